package orrery.broker.domain;

/**
 * Reserved cores over time, updated one booking at a time: a treap keyed by time whose nodes
 * hold the change of the reserved amount at that time, and whose subtrees keep their total change
 * and their highest running total. "Most reserved anywhere in [s, e)" is then the running total
 * at {@code s} plus the highest running total over the changes inside {@code (s, e)}: two
 * descents, O(log n) however many bookings there are. Adding or removing a booking is two point
 * updates, also O(log n).
 *
 * <p>Priorities come from a hash of the key, so the shape depends only on the keys and the
 * structure is deterministic. Not thread-safe: its owner ({@link PoolLedger}) serialises access.
 */
public final class ReservedProfile {

    private static final class Node {
        final long key;
        final long priority;
        int delta;
        int bookings;
        Node left;
        Node right;
        long sum;
        long best;
        /** The highest and lowest running totals after one of the subtree's keys (no empty prefix). */
        long high;
        long low;

        Node(long key) {
            this.key = key;
            this.priority = mix(key);
        }

        void refresh() {
            long leftSum = left == null ? 0 : left.sum;
            long leftBest = left == null ? 0 : left.best;
            long through = leftSum + delta;
            long rightBest = right == null ? 0 : right.best;
            sum = through + (right == null ? 0 : right.sum);
            best = Math.max(leftBest, through + rightBest);
            high = Math.max(left == null ? through : Math.max(left.high, through), right == null ? through : through + right.high);
            low = Math.min(left == null ? through : Math.min(left.low, through), right == null ? through : through + right.low);
        }
    }

    /** The change of a range: its total, and its highest running total (0 for none). */
    private record Change(long sum, long best) {
        static final Change NONE = new Change(0, 0);

        Change then(Change next) {
            return new Change(sum + next.sum, Math.max(best, sum + next.best));
        }

        static Change of(Node node) {
            return node == null ? NONE : new Change(node.sum, node.best);
        }

        static Change single(Node node) {
            return new Change(node.delta, Math.max(0, node.delta));
        }
    }

    private Node root;
    private int size;

    /** Adds a booking's footprint. */
    public void add(Booking booking) {
        update(booking.start(), booking.amount(), 1);
        update(booking.end(), -booking.amount(), 1);
    }

    /** Takes away a footprint added before. */
    public void remove(Booking booking) {
        update(booking.start(), -booking.amount(), -1);
        update(booking.end(), booking.amount(), -1);
    }

    /** How many distinct change times there are. */
    public int size() {
        return size;
    }

    /** The cores reserved at instant {@code t}: the total of the changes at or before it. */
    public long reservedAt(long t) {
        long total = 0;
        Node node = root;
        while (node != null) {
            if (node.key <= t) {
                total += (node.left == null ? 0 : node.left.sum) + node.delta;
                node = node.right;
            } else {
                node = node.left;
            }
        }
        return total;
    }

    /** The most cores reserved at any instant of {@code [from, to)}. */
    public long mostReserved(long from, long to) {
        return reservedAt(from) + inside(root, from, to).best;
    }

    /**
     * Up to {@code limit} change times strictly inside {@code (from, to)}, ascending, written into
     * {@code into} from {@code offset}; returns how many were written.
     */
    public int changes(long from, long to, long[] into, int offset, int limit) {
        return collect(root, from, to, into, offset, offset + limit) - offset;
    }

    private static int collect(Node node, long from, long to, long[] into, int at, int stop) {
        if (node == null || at >= stop) {
            return at;
        }
        if (node.key > from) {
            at = collect(node.left, from, to, into, at, stop);
        }
        if (at < stop && node.key > from && node.key < to) {
            into[at++] = node.key;
        }
        if (node.key < to) {
            at = collect(node.right, from, to, into, at, stop);
        }
        return at;
    }

    /** What {@link #firstAbove} and {@link #firstAtMost} answer when there is no such time. */
    public static final long NONE = Long.MIN_VALUE;

    /**
     * The first change time strictly inside {@code (from, to)} from which more than {@code limit}
     * cores are reserved, or {@link #NONE}: one descent, O(log n), skipping every subtree whose
     * highest running total stays within the limit.
     */
    public long firstAbove(long from, long to, long limit) {
        return first(root, from, to, true, true, new long[] {reservedAt(from)}, limit, true);
    }

    /** The first change time strictly inside {@code (from, to)} from which at most {@code limit} cores are reserved, or {@link #NONE}. */
    public long firstAtMost(long from, long to, long limit) {
        return first(root, from, to, true, true, new long[] {reservedAt(from)}, limit, false);
    }

    /**
     * In time order over the subtree's keys inside {@code (from, to)}, the first whose running total
     * is above {@code limit} ({@code above}) or at most it. {@code base[0]}: the running total
     * before the subtree's first key still to be looked at, moved past the keys passed over.
     * {@code checkFrom}/{@code checkTo}: whether the subtree may hold keys outside the span; one
     * that holds none is skipped whole when no running total in it can qualify.
     */
    private static long first(Node node, long from, long to, boolean checkFrom, boolean checkTo, long[] base,
                              long limit, boolean above) {
        if (node == null) {
            return NONE;
        }
        if (checkFrom && node.key <= from) {
            return first(node.right, from, to, true, checkTo, base, limit, above);
        }
        if (checkTo && node.key >= to) {
            return first(node.left, from, to, checkFrom, true, base, limit, above);
        }
        if (!checkFrom && !checkTo && !(above ? base[0] + node.high > limit : base[0] + node.low <= limit)) {
            base[0] += node.sum;
            return NONE;
        }
        long found = first(node.left, from, to, checkFrom, false, base, limit, above);
        if (found != NONE) {
            return found;
        }
        base[0] += node.delta;
        if (above ? base[0] > limit : base[0] <= limit) {
            return node.key;
        }
        return first(node.right, from, to, false, checkTo, base, limit, above);
    }

    /** The change over keys strictly between {@code from} and {@code to}. */
    private static Change inside(Node node, long from, long to) {
        while (node != null) {
            if (node.key <= from) {
                node = node.right;
            } else if (node.key >= to) {
                node = node.left;
            } else {
                return after(node.left, from).then(Change.single(node)).then(before(node.right, to));
            }
        }
        return Change.NONE;
    }

    /** The change over the subtree's keys greater than {@code from}. */
    private static Change after(Node node, long from) {
        if (node == null) {
            return Change.NONE;
        }
        if (node.key <= from) {
            return after(node.right, from);
        }
        return after(node.left, from).then(Change.single(node)).then(Change.of(node.right));
    }

    /** The change over the subtree's keys less than {@code to}. */
    private static Change before(Node node, long to) {
        if (node == null) {
            return Change.NONE;
        }
        if (node.key >= to) {
            return before(node.left, to);
        }
        return Change.of(node.left).then(Change.single(node)).then(before(node.right, to));
    }

    private void update(long key, int delta, int bookings) {
        Node[] lower = split(root, key);        // keys < key | keys >= key
        Node[] upper = split(lower[1], key + 1); // keys == key | keys > key
        Node point = upper[0];
        if (point == null) {
            point = new Node(key);
            size++;
        }
        point.delta += delta;
        point.bookings += bookings;
        if (point.bookings < 0) {
            throw new IllegalStateException("removed a booking that was never added at " + key);
        }
        if (point.bookings == 0) {
            point = null;
            size--;
        } else {
            point.refresh();
        }
        root = merge(merge(lower[0], point), upper[1]);
    }

    /** Splits into keys below {@code key} and keys at or above it. */
    private static Node[] split(Node node, long key) {
        if (node == null) {
            return new Node[] {null, null};
        }
        if (node.key < key) {
            Node[] parts = split(node.right, key);
            node.right = parts[0];
            node.refresh();
            return new Node[] {node, parts[1]};
        }
        Node[] parts = split(node.left, key);
        node.left = parts[1];
        node.refresh();
        return new Node[] {parts[0], node};
    }

    private static Node merge(Node low, Node high) {
        if (low == null) {
            return high;
        }
        if (high == null) {
            return low;
        }
        if (low.priority > high.priority) {
            low.right = merge(low.right, high);
            low.refresh();
            return low;
        }
        high.left = merge(low, high.left);
        high.refresh();
        return high;
    }

    /** SplitMix64's finaliser: well-spread priorities from the keys alone. */
    private static long mix(long key) {
        long z = key + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
