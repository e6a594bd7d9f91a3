package orrery.deps.domain.graph;

import java.util.Arrays;

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
        int[] outStart = graph.outStarts();
        int[] outTarget = graph.outTargets();
        int[] componentOf = components.componentArray();
        int[] memberStart = components.memberStarts();
        int[] members = components.memberArray();
        int[] lastSeen = new int[count];
        Arrays.fill(lastSeen, -1);
        // Components are visited in order, so their successor lists come out grouped: no sort needed.
        int[] dagStart = new int[count + 1];
        int[] dagTarget = new int[Math.max(16, graph.edgeCount())];
        int edges = 0;
        for (int c = 0; c < count; c++) {
            dagStart[c] = edges;
            for (int p = memberStart[c]; p < memberStart[c + 1]; p++) {
                int v = members[p];
                for (int e = outStart[v]; e < outStart[v + 1]; e++) {
                    int d = componentOf[outTarget[e]];
                    if (d != c && lastSeen[d] != c) {
                        lastSeen[d] = c;
                        dagTarget[edges++] = d;
                    }
                }
            }
        }
        dagStart[count] = edges;
        return new Condensation(components, CompactGraph.ofSuccessorLists(count, dagStart, dagTarget));
    }

    public Components components() {
        return components;
    }

    /** The component DAG; its nodes are component numbers. */
    public CompactGraph dag() {
        return dag;
    }
}
