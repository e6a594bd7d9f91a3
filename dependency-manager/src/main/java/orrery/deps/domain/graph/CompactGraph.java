package orrery.deps.domain.graph;

import java.util.Arrays;

/**
 * An immutable directed graph over nodes {@code 0..n-1} in compressed sparse row form: for each
 * node, its successors and its predecessors are contiguous runs of one int array. About 16 bytes
 * per edge and 8 per node, no boxing, and scans that stay in cache, which is what lets planning
 * a graph of a million artefacts take a fraction of a second.
 */
public final class CompactGraph {

    private final int nodes;
    private final int[] outStart;
    private final int[] outTarget;
    // The predecessor side is built on first use: planning downstream of a change never needs it.
    private int[] inStart;
    private int[] inSource;

    private CompactGraph(int nodes, int[] outStart, int[] outTarget, int[] inStart, int[] inSource) {
        this.nodes = nodes;
        this.outStart = outStart;
        this.outTarget = outTarget;
        this.inStart = inStart;
        this.inSource = inSource;
    }

    /** A graph of {@code nodes} nodes with the first {@code edges} edges {@code from[i] -> to[i]}. */
    public static CompactGraph of(int nodes, int[] from, int[] to, int edges) {
        if (nodes < 0 || edges < 0 || edges > from.length || edges > to.length) {
            throw new IllegalArgumentException("bad sizes: " + nodes + " nodes, " + edges + " edges");
        }
        for (int e = 0; e < edges; e++) {
            if (from[e] < 0 || from[e] >= nodes || to[e] < 0 || to[e] >= nodes) {
                throw new IllegalArgumentException("edge " + e + " (" + from[e] + " -> " + to[e]
                        + ") names a node outside 0.." + (nodes - 1));
            }
        }
        int[] outStart = new int[nodes + 1];
        int[] outTarget = new int[edges];
        bucket(nodes, from, to, edges, outStart, outTarget);
        return new CompactGraph(nodes, outStart, outTarget, null, null);
    }

    /**
     * A graph whose successor lists are already grouped: {@code outTarget[outStart[v]..outStart[v+1])}
     * are v's successors. Only the predecessor side is computed. The arrays are taken, not copied.
     */
    static CompactGraph ofSuccessorLists(int nodes, int[] outStart, int[] outTarget) {
        int edges = outStart[nodes];
        return new CompactGraph(nodes, outStart, outTarget.length == edges ? outTarget
                : Arrays.copyOf(outTarget, edges), null, null);
    }

    private void buildPredecessors() {
        int edges = outStart[nodes];
        int[] start = new int[nodes + 1];
        for (int e = 0; e < edges; e++) {
            start[outTarget[e] + 1]++;
        }
        for (int v = 0; v < nodes; v++) {
            start[v + 1] += start[v];
        }
        int[] next = Arrays.copyOf(start, nodes);
        int[] sources = new int[edges];
        for (int v = 0; v < nodes; v++) {
            for (int e = outStart[v]; e < outStart[v + 1]; e++) {
                sources[next[outTarget[e]]++] = v;
            }
        }
        inSource = sources;
        inStart = start;
    }

    /** Counting sort of the edges by {@code key}: {@code start[v]..start[v+1]} then index {@code value}s of v. */
    private static void bucket(int nodes, int[] key, int[] value, int edges, int[] start, int[] values) {
        for (int e = 0; e < edges; e++) {
            start[key[e] + 1]++;
        }
        for (int v = 0; v < nodes; v++) {
            start[v + 1] += start[v];
        }
        int[] next = Arrays.copyOf(start, nodes);
        for (int e = 0; e < edges; e++) {
            values[next[key[e]]++] = value[e];
        }
    }

    public int nodeCount() {
        return nodes;
    }

    public int edgeCount() {
        return outTarget.length;
    }

    public int outStart(int node) {
        return outStart[node];
    }

    public int outEnd(int node) {
        return outStart[node + 1];
    }

    /** The successor stored at position {@code edge} (between {@link #outStart} and {@link #outEnd}). */
    public int target(int edge) {
        return outTarget[edge];
    }

    public int inStart(int node) {
        return inStarts()[node];
    }

    public int inEnd(int node) {
        return inStarts()[node + 1];
    }

    public int source(int edge) {
        return inSources()[edge];
    }

    int[] outStarts() {
        return outStart;
    }

    int[] outTargets() {
        return outTarget;
    }

    int[] inStarts() {
        if (inStart == null) {
            buildPredecessors();
        }
        return inStart;
    }

    int[] inSources() {
        if (inStart == null) {
            buildPredecessors();
        }
        return inSource;
    }

    public int[] successors(int node) {
        return Arrays.copyOfRange(outTarget, outStart[node], outStart[node + 1]);
    }

    public int[] predecessors(int node) {
        return Arrays.copyOfRange(inSources(), inStarts()[node], inStarts()[node + 1]);
    }

    public boolean hasSelfLoop(int node) {
        for (int e = outStart[node]; e < outStart[node + 1]; e++) {
            if (outTarget[e] == node) {
                return true;
            }
        }
        return false;
    }
}
