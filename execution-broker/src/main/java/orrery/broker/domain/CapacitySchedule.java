package orrery.broker.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A pool's total capacity over time, known in advance: non-overlapping segments, sorted by
 * start. Outside the segments the capacity is zero.
 */
public final class CapacitySchedule {

    private final List<Segment> segments;

    public CapacitySchedule(List<Segment> segments) {
        List<Segment> sorted = new ArrayList<>(segments);
        sorted.sort(Comparator.comparingLong(Segment::start));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).start() < sorted.get(i - 1).end()) {
                throw new IllegalArgumentException("segments [" + sorted.get(i - 1).start() + ", " + sorted.get(i - 1).end()
                        + ") and [" + sorted.get(i).start() + ", " + sorted.get(i).end() + ") overlap");
            }
        }
        this.segments = List.copyOf(sorted);
    }

    public List<Segment> segments() {
        return segments;
    }

    public boolean isEmpty() {
        return segments.isEmpty();
    }

    /** The first instant the schedule covers. */
    public long start() {
        return segments.isEmpty() ? 0 : segments.get(0).start();
    }

    /** The instant after the last one the schedule covers. */
    public long end() {
        return segments.isEmpty() ? 0 : segments.get(segments.size() - 1).end();
    }

    /** True if {@code [from, to)} lies within the schedule's overall period. */
    public boolean covers(long from, long to) {
        return !segments.isEmpty() && from >= start() && to <= end();
    }

    public int capacityAt(long t) {
        for (Segment segment : segments) {
            if (t >= segment.start() && t < segment.end()) {
                return segment.capacity();
            }
            if (segment.start() > t) {
                break;
            }
        }
        return 0;
    }

    /** The largest capacity of any segment overlapping {@code [from, to)}, 0 if none does. */
    public int maxCapacity(long from, long to) {
        int max = 0;
        for (Segment segment : segments) {
            if (segment.overlaps(from, to)) {
                max = Math.max(max, segment.capacity());
            }
        }
        return max;
    }
}
