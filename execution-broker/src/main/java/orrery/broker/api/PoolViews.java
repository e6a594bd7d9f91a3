package orrery.broker.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import orrery.broker.domain.CompactSchedule;
import orrery.broker.domain.FreeSpan;
import orrery.broker.store.PoolEntity;
import orrery.broker.store.ReservationEntity;

/** What the calendar endpoints return (times in unix seconds, as the requests give them). */
public final class PoolViews {

    private PoolViews() {
    }

    /** A piece of a schedule. */
    public record SegmentView(@JsonProperty("start_time") long startTime, @JsonProperty("end_time") long endTime,
                              int capacity) {
    }

    /** A pool and its schedule. */
    public record PoolView(String name, List<SegmentView> segments, @JsonProperty("start_time") long startTime,
                           @JsonProperty("end_time") long endTime) {

        static PoolView of(PoolEntity pool) {
            var schedule = CompactSchedule.parse(pool.schedule);
            return new PoolView(pool.name, schedule.segments().stream()
                    .map(s -> new SegmentView(s.start(), s.end(), s.capacity())).toList(), schedule.start(), schedule.end());
        }
    }

    /** Free capacity, piecewise. */
    public record FreeView(@JsonProperty("start_time") long startTime, @JsonProperty("end_time") long endTime, int free) {

        static FreeView of(FreeSpan span) {
            return new FreeView(span.start(), span.end(), span.free());
        }
    }

    /** Availability over an interval. */
    public record AvailabilityView(String pool, @JsonProperty("start_time") long startTime,
                                   @JsonProperty("end_time") long endTime, List<FreeView> free) {
    }

    /** A reservation. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReservationView(UUID id, String pool, @JsonProperty("start_time") long startTime,
                                  @JsonProperty("end_time") long endTime, int amount, @JsonProperty("user_id") String userId,
                                  String state, String purpose, Instant expires, Instant created) {

        static ReservationView of(ReservationEntity row) {
            return new ReservationView(row.id, row.pool, row.startTime, row.endTime, row.amount, row.owner, row.state.name(),
                    row.purpose, row.expiresAt, row.createdAt);
        }
    }
}
