package orrery.deps.domain.graph;

import java.util.Arrays;

/**
 * Plans over one structure of the artefact graph (edges point from an input to what is built
 * from it): its components, their condensation and its topological order are computed once,
 * then each change asks only for the part it affects.
 *
 * <p>Not thread-safe: the marks are reused between queries (and cleared only where a query
 * went), so a query costs time in proportion to the part it visits, not to the whole graph.
 */
public final class Planner {

    private final CompactGraph graph;
    private final Components components;
    private final Condensation condensation;
    // One bit per component, all clear between queries: small enough to stay in the CPU's cache.
    private final long[] marks;
    private final int[] queue;

    private Planner(CompactGraph graph, Components components, Condensation condensation) {
        this.graph = graph;
        this.components = components;
        this.condensation = condensation;
        this.marks = new long[(components.count() + 63) >>> 6];
        this.queue = new int[components.count()];
    }

    public static Planner of(CompactGraph graph) {
        Components components = Components.of(graph);
        return new Planner(graph, components, Condensation.of(graph, components));
    }

    public CompactGraph graph() {
        return graph;
    }

    public Components components() {
        return components;
    }

    public Condensation condensation() {
        return condensation;
    }

    /** The components that contain {@code changed} nodes or anything built from them, in topological order. */
    public int[] affectedBy(int... changed) {
        return closure(changed, true);
    }

    /** The components {@code targets} are built from, directly or not, themselves included, in topological order. */
    public int[] requiredFor(int... targets) {
        return closure(targets, false);
    }

    /** Every component, in topological order. */
    public int[] all() {
        int[] order = new int[components.count()];
        Arrays.setAll(order, c -> c);
        return order;
    }

    /**
     * Marks the seeds' components, then sweeps the components in topological order (downstream)
     * or its reverse (upstream), marking the neighbours of each marked one. Every edge of the DAG
     * goes forward in that order, so one sweep reaches everything, the marked components come out
     * already ordered, and memory is read front to back. The sweep stops once no marked component
     * lies ahead, so a small part near its seeds costs little.
     */
    private int[] closure(int[] nodes, boolean downstream) {
        int pending = 0;
        int first = downstream ? Integer.MAX_VALUE : -1;
        for (int node : nodes) {
            int c = components.componentOf(node);
            if (!marked(c)) {
                mark(c);
                pending++;
                first = downstream ? Math.min(first, c) : Math.max(first, c);
            }
        }
        if (pending == 0) {
            return new int[0];
        }
        CompactGraph dag = condensation.dag();
        return downstream ? sweep(first, pending, 1, dag.outStarts(), dag.outTargets())
                : sweep(first, pending, -1, dag.inStarts(), dag.inSources());
    }

    /**
     * Walks the components from {@code first} in direction {@code step} (+1 along the topological
     * order, -1 against it), marking the neighbours ({@code start}/{@code adjacent}) of each marked
     * one, until no marked component is left ahead. Returns them in topological order.
     */
    private int[] sweep(int first, int pending, int step, int[] start, int[] adjacent) {
        long[] bits = marks;
        int found = 0;
        int c = first;
        for (; pending > 0; c += step) {
            if ((bits[c >>> 6] & (1L << c)) == 0) {
                continue;
            }
            pending--;
            queue[found++] = c;
            for (int e = start[c], end = start[c + 1]; e < end; e++) {
                int d = adjacent[e];
                long bit = 1L << d;
                int word = d >>> 6;
                if ((bits[word] & bit) == 0) {
                    bits[word] |= bit;
                    pending++;
                }
            }
        }
        int last = c - step;
        Arrays.fill(bits, Math.min(first, last) >>> 6, (Math.max(first, last) >>> 6) + 1, 0L);
        int[] result = Arrays.copyOf(queue, found);
        if (step < 0) {
            for (int i = 0, j = found - 1; i < j; i++, j--) {
                int t = result[i];
                result[i] = result[j];
                result[j] = t;
            }
        }
        return result;
    }

    private boolean marked(int c) {
        return (marks[c >>> 6] & (1L << c)) != 0;
    }

    private void mark(int c) {
        marks[c >>> 6] |= 1L << c;
    }
}
