package orrery.deps.bench;

import java.util.SplittableRandom;

/**
 * A graph shaped like a big build: about 4 edges per node, mostly forward (an artefact is built
 * from artefacts made shortly before it), a few percent backward over a short distance (small
 * cycles, like a document and its index), and about 5% primaries with no inputs (source files).
 */
final class GeneratedGraph {

    static final int EDGES_PER_NODE = 4;
    static final double BACK_EDGES = 0.03;
    static final double PRIMARIES = 0.05;
    static final int WINDOW = 64;

    final int nodes;
    final int edges;
    final int[] from;
    final int[] to;
    final int[] primaries;

    private GeneratedGraph(int nodes, int edges, int[] from, int[] to, int[] primaries) {
        this.nodes = nodes;
        this.edges = edges;
        this.from = from;
        this.to = to;
        this.primaries = primaries;
    }

    static GeneratedGraph generate(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] primary = new boolean[n];
        int primaryCount = 0;
        for (int i = 0; i < n; i++) {
            primary[i] = i < 16 || random.nextDouble() < PRIMARIES;
            if (primary[i]) {
                primaryCount++;
            }
        }
        int[] from = new int[n * EDGES_PER_NODE];
        int[] to = new int[n * EDGES_PER_NODE];
        int m = 0;
        for (int i = 16; i < n; i++) {
            if (primary[i]) {
                continue;
            }
            for (int k = 0; k < EDGES_PER_NODE; k++) {
                if (random.nextDouble() < BACK_EDGES) {
                    int j = i - 1 - random.nextInt(3); // i feeds something made just before it: a small cycle
                    if (!primary[j]) {
                        from[m] = i;
                        to[m++] = j;
                    }
                } else {
                    from[m] = i - 1 - random.nextInt(Math.min(i, WINDOW));
                    to[m++] = i;
                }
            }
        }
        int[] primaries = new int[primaryCount];
        for (int i = 0, p = 0; i < n; i++) {
            if (primary[i]) {
                primaries[p++] = i;
            }
        }
        return new GeneratedGraph(n, m, from, to, primaries);
    }
}
