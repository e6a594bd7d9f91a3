package orrery.deps.domain.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Properties of planning on random graphs, checked against plain reachability. */
class PlannerProperties {

    record Graph(int n, int[] from, int[] to) {
        CompactGraph compact() {
            return CompactGraph.of(n, from, to, from.length);
        }
    }

    @Provide
    Arbitrary<Graph> graphs() {
        return Arbitraries.integers().between(1, 150).flatMap(n -> {
            Arbitrary<Tuple.Tuple2<Integer, Integer>> edge = Combinators.combine(
                    Arbitraries.integers().between(0, n - 1), Arbitraries.integers().between(0, n - 1)).as(Tuple::of);
            return edge.list().ofMaxSize(4 * n).map(edges -> {
                int[] from = edges.stream().mapToInt(Tuple.Tuple2::get1).toArray();
                int[] to = edges.stream().mapToInt(Tuple.Tuple2::get2).toArray();
                return new Graph(n, from, to);
            });
        });
    }

    @Property(tries = 300)
    void everyNodeIsInExactlyOneComponent(@ForAll("graphs") Graph g) {
        Components components = Components.of(g.compact());
        int[] seen = new int[g.n()];
        for (int c = 0; c < components.count(); c++) {
            assertThat(components.size(c)).isPositive();
            for (int v : components.members(c)) {
                seen[v]++;
                assertThat(components.componentOf(v)).isEqualTo(c);
            }
        }
        assertThat(seen).containsOnly(1);
    }

    @Property(tries = 300)
    void twoNodesShareAComponentExactlyWhenEachReachesTheOther(@ForAll("graphs") Graph g) {
        CompactGraph graph = g.compact();
        Components components = Components.of(graph);
        BitSet[] reach = reachability(graph);
        for (int u = 0; u < g.n(); u++) {
            for (int v = 0; v < g.n(); v++) {
                boolean mutual = u == v || (reach[u].get(v) && reach[v].get(u));
                assertThat(components.componentOf(u) == components.componentOf(v)).isEqualTo(mutual);
            }
        }
    }

    @Property(tries = 300)
    void thePlanRespectsEveryEdgeBetweenComponents(@ForAll("graphs") Graph g) {
        Planner planner = Planner.of(g.compact());
        int[] order = planner.all();
        int[] position = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            position[order[i]] = i;
        }
        Components components = planner.components();
        for (int e = 0; e < g.from().length; e++) {
            int a = components.componentOf(g.from()[e]);
            int b = components.componentOf(g.to()[e]);
            if (a != b) {
                assertThat(position[a]).as("edge %d -> %d", g.from()[e], g.to()[e]).isLessThan(position[b]);
            }
        }
    }

    @Property(tries = 300)
    void theAffectedPartIsExactlyWhatTheChangeReaches(@ForAll("graphs") Graph g, @ForAll("seeds") int seed) {
        CompactGraph graph = g.compact();
        Planner planner = Planner.of(graph);
        int changed = Math.floorMod(seed, g.n());
        BitSet reach = reachability(graph)[changed];
        reach.set(changed);

        int[] affected = planner.affectedBy(changed);

        assertThat(affected).isSorted();
        BitSet nodes = new BitSet();
        for (int c : affected) {
            Arrays.stream(planner.components().members(c)).forEach(nodes::set);
        }
        assertThat(nodes).isEqualTo(reach);
    }

    @Property(tries = 300)
    void theRequiredPartIsExactlyWhatReachesTheTarget(@ForAll("graphs") Graph g, @ForAll("seeds") int seed) {
        CompactGraph graph = g.compact();
        Planner planner = Planner.of(graph);
        int target = Math.floorMod(seed, g.n());
        BitSet[] reach = reachability(graph);
        BitSet expected = new BitSet();
        for (int v = 0; v < g.n(); v++) {
            if (v == target || reach[v].get(target)) {
                expected.set(v);
            }
        }

        int[] required = planner.requiredFor(target);

        assertThat(required).isSorted();
        BitSet nodes = new BitSet();
        for (int c : required) {
            Arrays.stream(planner.components().members(c)).forEach(nodes::set);
        }
        assertThat(nodes).isEqualTo(expected);
    }

    @Provide
    Arbitrary<Integer> seeds() {
        return Arbitraries.integers();
    }

    private static BitSet[] reachability(CompactGraph graph) {
        int n = graph.nodeCount();
        BitSet[] reach = new BitSet[n];
        for (int s = 0; s < n; s++) {
            BitSet seen = new BitSet();
            ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(s));
            while (!queue.isEmpty()) {
                int v = queue.poll();
                for (int w : graph.successors(v)) {
                    if (!seen.get(w)) {
                        seen.set(w);
                        queue.add(w);
                    }
                }
            }
            reach[s] = seen;
        }
        return reach;
    }
}
