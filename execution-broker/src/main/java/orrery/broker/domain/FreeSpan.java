package orrery.broker.domain;

/** Free capacity over {@code [start, end)}: the schedule's capacity minus what is reserved. */
public record FreeSpan(long start, long end, int free) {
}
