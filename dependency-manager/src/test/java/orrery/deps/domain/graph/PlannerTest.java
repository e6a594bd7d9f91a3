package orrery.deps.domain.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Planning on the hand-made graphs of issue 9. Edges point from an input to what is built from it. */
class PlannerTest {

    @Test
    void aSelfLoopIsACyclicComponentOfItsOwn() {
        // 0 -> 1, 1 -> 1 (a generator that reads its own output), 1 -> 2
        Planner planner = plan(3, 0, 1, 1, 1, 1, 2);
        Components c = planner.components();

        assertThat(c.count()).isEqualTo(3);
        assertThat(c.isCyclic(c.componentOf(1))).isTrue();
        assertThat(c.isCyclic(c.componentOf(0))).isFalse();
        assertThat(c.isCyclic(c.componentOf(2))).isFalse();
        assertThat(nodesOf(planner, planner.affectedBy(0))).containsExactly(List.of(0), List.of(1), List.of(2));
    }

    @Test
    void twoNestedCyclesFormOneComponentBuiltAfterItsInputsAndBeforeItsUsers() {
        // source 0 feeds the outer cycle 1 -> 2 -> 3 -> 1, which holds the inner cycle 2 -> 4 -> 2; 3 feeds 5.
        Planner planner = plan(6, 0, 1, 1, 2, 2, 3, 3, 1, 2, 4, 4, 2, 3, 5);

        assertThat(nodesOf(planner, planner.all())).containsExactly(List.of(0), List.of(1, 2, 3, 4), List.of(5));
        assertThat(planner.components().isCyclic(planner.components().componentOf(4))).isTrue();
        assertThat(nodesOf(planner, planner.affectedBy(4))).containsExactly(List.of(1, 2, 3, 4), List.of(5));
        assertThat(nodesOf(planner, planner.requiredFor(5))).containsExactly(List.of(0), List.of(1, 2, 3, 4), List.of(5));
    }

    @Test
    void aDiamondIsBuiltOnceItsTwoSidesAreDone() {
        // 0 -> 1, 0 -> 2, 1 -> 3, 2 -> 3
        Planner planner = plan(4, 0, 1, 0, 2, 1, 3, 2, 3);
        int[] order = planner.affectedBy(0);

        assertThat(order).hasSize(4);
        assertThat(position(planner, order, 0)).isLessThan(position(planner, order, 1));
        assertThat(position(planner, order, 0)).isLessThan(position(planner, order, 2));
        assertThat(position(planner, order, 1)).isLessThan(position(planner, order, 3));
        assertThat(position(planner, order, 2)).isLessThan(position(planner, order, 3));
        assertThat(nodesOf(planner, planner.affectedBy(1))).containsExactly(List.of(1), List.of(3));
        assertThat(planner.condensation().dag().edgeCount()).isEqualTo(4);
    }

    @Test
    void aChainOfAMillionNodesNeedsNoDeepStack() {
        int n = 1_000_000;
        int[] from = IntStream.range(0, n - 1).toArray();
        int[] to = IntStream.range(1, n).toArray();
        Planner planner = Planner.of(CompactGraph.of(n, from, to, n - 1));

        assertThat(planner.components().count()).isEqualTo(n);
        int[] affected = planner.affectedBy(n / 2);
        assertThat(affected).hasSize(n / 2);
        assertThat(planner.components().members(affected[0])).containsExactly(n / 2);
        assertThat(planner.components().members(affected[affected.length - 1])).containsExactly(n - 1);
    }

    @Test
    void aLongCycleIsOneComponentWithoutDeepRecursion() {
        int n = 1_000_000;
        int[] from = IntStream.range(0, n).toArray();
        int[] to = IntStream.range(0, n).map(i -> (i + 1) % n).toArray();
        Planner planner = Planner.of(CompactGraph.of(n, from, to, n));

        assertThat(planner.components().count()).isEqualTo(1);
        assertThat(planner.components().isCyclic(0)).isTrue();
    }

    @Test
    void aChangeInADisconnectedPartLeavesTheOtherPartOut() {
        // part A: 0 -> 1 -> 2; part B: 3 -> 4 <-> 5
        Planner planner = plan(6, 0, 1, 1, 2, 3, 4, 4, 5, 5, 4);

        assertThat(nodesOf(planner, planner.affectedBy(0))).containsExactly(List.of(0), List.of(1), List.of(2));
        assertThat(nodesOf(planner, planner.affectedBy(3))).containsExactly(List.of(3), List.of(4, 5));
        assertThat(nodesOf(planner, planner.requiredFor(2))).containsExactly(List.of(0), List.of(1), List.of(2));
        assertThat(planner.all()).hasSize(5);
    }

    @Test
    void aBigAffectedPartComesOutInTopologicalOrderToo() {
        // Enough affected components that the planner scans its marks instead of sorting.
        int n = 1000;
        int[] from = IntStream.range(0, n - 1).toArray();
        int[] to = IntStream.range(1, n).toArray();
        Planner planner = Planner.of(CompactGraph.of(n, from, to, n - 1));

        int[] affected = planner.affectedBy(0);
        assertThat(affected).isSorted().hasSize(n);
        assertThat(planner.affectedBy(n - 3)).hasSize(3).isSorted();
    }

    static Planner plan(int n, int... pairs) {
        int m = pairs.length / 2;
        int[] from = new int[m];
        int[] to = new int[m];
        for (int i = 0; i < m; i++) {
            from[i] = pairs[2 * i];
            to[i] = pairs[2 * i + 1];
        }
        return Planner.of(CompactGraph.of(n, from, to, m));
    }

    private static List<List<Integer>> nodesOf(Planner planner, int[] components) {
        List<List<Integer>> nodes = new ArrayList<>();
        for (int c : components) {
            nodes.add(IntStream.of(planner.components().members(c)).boxed().toList());
        }
        return nodes;
    }

    private static int position(Planner planner, int[] order, int node) {
        int c = planner.components().componentOf(node);
        for (int i = 0; i < order.length; i++) {
            if (order[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
