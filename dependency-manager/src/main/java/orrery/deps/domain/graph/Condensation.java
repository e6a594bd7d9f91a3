package orrery.deps.domain.graph;

/**
 * The component graph: one node per strongly connected component, an edge wherever some edge
 * of the original graph crosses from one component to another (each such pair once). It is
 * acyclic, and {@link Components}' numbering is already a topological order of it.
 */
public final class Condensation {

    private final Components components;
    private final CompactGraph dag;

    private Condensation(Components components, CompactGraph dag) {
        this.components = components;
        this.dag = dag;
    }

    public static Condensation of(CompactGraph graph, Components components) {
        int count = components.count();
        int[] lastSeen = new int[count];
        java.util.Arrays.fill(lastSeen, -1);
        int capacity = Math.max(16, graph.edgeCount() / 2);
        int[] from = new int[capacity];
        int[] to = new int[capacity];
        int edges = 0;
        for (int c = 0; c < count; c++) {
            int end = components.memberStart(c + 1);
            for (int p = components.memberStart(c); p < end; p++) {
                int v = components.member(p);
                for (int e = graph.outStart(v); e < graph.outEnd(v); e++) {
                    int d = components.componentOf(graph.target(e));
                    if (d != c && lastSeen[d] != c) {
                        lastSeen[d] = c;
                        if (edges == from.length) {
                            from = java.util.Arrays.copyOf(from, edges * 2);
                            to = java.util.Arrays.copyOf(to, edges * 2);
                        }
                        from[edges] = c;
                        to[edges++] = d;
                    }
                }
            }
        }
        return new Condensation(components, CompactGraph.of(count, from, to, edges));
    }

    public Components components() {
        return components;
    }

    /** The component DAG; its nodes are component numbers. */
    public CompactGraph dag() {
        return dag;
    }
}
