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

    /**
     * Marks the seeds' components, then sweeps the components in topological order (downstream)
     * or its reverse (upstream), marking the neighbours of each marked one. Every edge of the DAG
     * goes forward in that order, so one sweep reaches everything, the marked components come out
     * already ordered, and memory is read front to back. The sweep stops once no marked component
     * lies ahead, so a small part near its seeds costs little.
     */
    private int[] closure(int[] nodes, boolean downstream) {
        CompactGraph dag = condensation.dag();
        int stamp = nextEpoch();
        int pending = 0;
        int first = downstream ? Integer.MAX_VALUE : -1;
        for (int node : nodes) {
            int c = components.componentOf(node);
            if (mark[c] != stamp) {
                mark[c] = stamp;
                pending++;
                first = downstream ? Math.min(first, c) : Math.max(first, c);
            }
        }
        int found = 0;
        if (downstream) {
            int[] start = dag.outStarts();
            int[] target = dag.outTargets();
            for (int c = first; pending > 0; c++) {
                if (mark[c] != stamp) {
                    continue;
                }
                pending--;
                queue[found++] = c;
                for (int e = start[c], end = start[c + 1]; e < end; e++) {
                    int d = target[e];
                    if (mark[d] != stamp) {
                        mark[d] = stamp;
                        pending++;
                    }
                }
            }
            return java.util.Arrays.copyOf(queue, found);
        }
        int[] start = dag.inStarts();
        int[] source = dag.inSources();
        for (int c = first; pending > 0; c--) {
            if (mark[c] != stamp) {
                continue;
            }
            pending--;
            queue[found++] = c;
            for (int e = start[c], end = start[c + 1]; e < end; e++) {
                int d = source[e];
                if (mark[d] != stamp) {
                    mark[d] = stamp;
                    pending++;
                }
            }
        }
        int[] result = new int[found];
        for (int i = 0; i < found; i++) {
            result[i] = queue[found - 1 - i];
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
