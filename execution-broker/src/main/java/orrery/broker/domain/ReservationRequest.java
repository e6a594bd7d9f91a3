package orrery.broker.domain;

/**
 * {@code {start_time, end_time, amount, user_id}}: hold {@code amount} cores for the whole of
 * {@code [start_time, end_time)}.
 *
 * @param userId who the reservation is for, or null for the caller
 */
public record ReservationRequest(long start, long end, int amount, String userId) {
}
