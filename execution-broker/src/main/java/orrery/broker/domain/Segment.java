package orrery.broker.domain;

/**
 * A piece of a pool's capacity schedule: {@code capacity} cores over {@code [start, end)}, in unix
 * seconds.
 */
public record Segment(long start, long end, int capacity) {

    public Segment {
        if (end <= start) {
            throw new IllegalArgumentException("a segment must end after it starts: [" + start + ", " + end + ")");
        }
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
    }

    public boolean overlaps(long from, long to) {
        return start < to && from < end;
    }
}
