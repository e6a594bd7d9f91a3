package orrery.deps.domain.graph;

import java.util.Arrays;

/**
 * Plans over one structure of the artefact graph (edges point from an input to what is built
 * from it): its components, their condensation and its topological order are computed once,
 * then each change asks only for the part it affects.
 *
 * <p>Not thread-safe: the mark array is reused between queries so that a query costs time in
 * proportion to the part it visits, not to the whole graph.
 */
public final class Planner {

    private final CompactGraph graph;
    private final Components components;
    private final Condensation condensation;
    private final int[] mark;
    private final int[] queue;
    private int epoch;

    private Planner(CompactGraph graph, Components components, Condensation condensation) {
        this.graph = graph;
        this.components = components;
        this.condensation = condensation;
        this.mark = new int[components.count()];
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

    private int[] closure(int[] nodes, boolean downstream) {
        CompactGraph dag = condensation.dag();
        int stamp = nextEpoch();
        int head = 0;
        int tail = 0;
        for (int node : nodes) {
            int c = components.componentOf(node);
            if (mark[c] != stamp) {
                mark[c] = stamp;
                queue[tail++] = c;
            }
        }
        while (head < tail) {
            int c = queue[head++];
            int start = downstream ? dag.outStart(c) : dag.inStart(c);
            int end = downstream ? dag.outEnd(c) : dag.inEnd(c);
            for (int e = start; e < end; e++) {
                int d = downstream ? dag.target(e) : dag.source(e);
                if (mark[d] != stamp) {
                    mark[d] = stamp;
                    queue[tail++] = d;
                }
            }
        }
        return topological(stamp, tail);
    }

    /** The {@code count} marked components in increasing (= topological) order. */
    private int[] topological(int stamp, int count) {
        int[] result = new int[count];
        // Sorting k ints costs k log k; scanning the marks costs the component count. Take the cheaper.
        if ((long) count * (32 - Integer.numberOfLeadingZeros(Math.max(count, 1))) < components.count()) {
            System.arraycopy(queue, 0, result, 0, count);
            Arrays.sort(result);
        } else {
            int k = 0;
            for (int c = 0; c < mark.length && k < count; c++) {
                if (mark[c] == stamp) {
                    result[k++] = c;
                }
            }
        }
        return result;
    }

    private int nextEpoch() {
        if (++epoch == Integer.MAX_VALUE) {
            Arrays.fill(mark, 0);
            epoch = 1;
        }
        return epoch;
    }
}
