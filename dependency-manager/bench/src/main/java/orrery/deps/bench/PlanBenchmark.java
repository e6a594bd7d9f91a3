package orrery.deps.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import orrery.deps.domain.graph.CompactGraph;
import orrery.deps.domain.graph.Planner;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.GabowStrongConnectivityInspector;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.builder.GraphTypeBuilder;

/**
 * Prints, for generated graphs of 10^4, 10^5 and 10^6 nodes: the time to compute the full plan
 * (compact graph, strongly connected components, condensation, topological order, affected part
 * of one change) beside JGraphT's strongly connected sets (Kosaraju and Gabow) on the same graph
 * in the same run; the time to replan after one primary changes in the 10^5 graph; and the memory
 * the plan of 10^6 nodes holds. Wall-clock figures: medians of several runs after warm-up.
 */
public final class PlanBenchmark {

    private PlanBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {10_000, 100_000, 1_000_000}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.printf("java %s, %d cores, max heap %d MB%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        try {
            System.out.printf("load average before the run: %s%n", java.nio.file.Files.readString(
                    java.nio.file.Path.of("/proc/loadavg")).strip());
        } catch (java.io.IOException | RuntimeException e) {
            System.out.println("load average: unknown");
        }
        System.out.printf("graphs: ~%d edges per node, %.0f%% back edges (cycles), %.0f%% primaries%n%n",
                GeneratedGraph.EDGES_PER_NODE, GeneratedGraph.BACK_EDGES * 100, GeneratedGraph.PRIMARIES * 100);
        for (int n : sizes) {
            runSize(n);
        }
        if (Arrays.stream(sizes).anyMatch(n -> n == 100_000)) {
            replan(100_000);
        }
        if (Arrays.stream(sizes).anyMatch(n -> n == 1_000_000)) {
            memory(1_000_000);
        }
    }

    private static void runSize(int n) throws Exception {
        GeneratedGraph g = GeneratedGraph.generate(n, 42);
        SplittableRandom random = new SplittableRandom(7);
        int runs = n >= 1_000_000 ? 7 : 25;
        used(); // start each size from a collected heap

        Planner[] last = new Planner[1];
        double csr = 0;
        double scc = 0;
        double affected = 0;
        List<Double> totals = new ArrayList<>();
        int affectedSize = 0;
        int warmups = n >= 1_000_000 ? 3 : n >= 100_000 ? 10 : 50;
        for (int run = -warmups; run < runs; run++) {
            long t0 = System.nanoTime();
            CompactGraph graph = CompactGraph.of(g.nodes, g.from, g.to, g.edges);
            long t1 = System.nanoTime();
            Planner planner = Planner.of(graph);
            int[] order = planner.all();
            long t2 = System.nanoTime();
            int[] part = planner.affectedBy(g.primaries[random.nextInt(g.primaries.length)]);
            long t3 = System.nanoTime();
            if (run >= 0) {
                csr += (t1 - t0) / 1e6;
                scc += (t2 - t1) / 1e6;
                affected += (t3 - t2) / 1e6;
                totals.add((t3 - t0) / 1e6);
                affectedSize += part.length;
            }
            last[0] = planner;
            if (order.length == 0) {
                throw new IllegalStateException("empty plan");
            }
        }
        Planner planner = last[0];
        int cyclic = 0;
        int largest = 0;
        for (int c = 0; c < planner.components().count(); c++) {
            if (planner.components().isCyclic(c)) {
                cyclic++;
            }
            largest = Math.max(largest, planner.components().size(c));
        }
        double plan = median(totals);
        System.out.printf("n = %,d nodes, %,d edges: %,d components (%,d cycles, largest %,d nodes), %,d condensation edges%n",
                n, g.edges, planner.components().count(), cyclic, largest, planner.condensation().dag().edgeCount());
        System.out.printf("  orrery full plan          %10.2f ms  (median of %d; compact graph %.2f, components + condensation + order %.2f, affected part %.2f [%,d components])%n",
                plan, runs, csr / runs, scc / runs, affected / runs, affectedSize / runs);

        AtomicReference<Graph<Integer, DefaultEdge>> jg = new AtomicReference<>();
        double build = timeOnBigStack(() -> {
            Graph<Integer, DefaultEdge> graph = GraphTypeBuilder.<Integer, DefaultEdge>directed().allowingMultipleEdges(false)
                    .allowingSelfLoops(true).edgeClass(DefaultEdge.class).buildGraph();
            for (int v = 0; v < g.nodes; v++) {
                graph.addVertex(v);
            }
            for (int e = 0; e < g.edges; e++) {
                graph.addEdge(g.from[e], g.to[e]);
            }
            jg.set(graph);
            return graph.vertexSet().size();
        });
        System.out.printf("  JGraphT graph construction %9.2f ms  (not part of the comparison)%n", build);
        int jgRuns = n >= 1_000_000 ? 1 : 3;
        double kosaraju = best(jgRuns, () -> new KosarajuStrongConnectivityInspector<>(jg.get()).stronglyConnectedSets().size());
        report("JGraphT Kosaraju SCC sets", kosaraju, plan);
        double gabow = best(jgRuns, () -> new GabowStrongConnectivityInspector<>(jg.get()).stronglyConnectedSets().size());
        report("JGraphT Gabow SCC sets", gabow, plan);
        System.out.println();
    }

    private static void report(String name, double millis, double plan) {
        if (Double.isNaN(millis)) {
            System.out.printf("  %-26s %10s     (failed: see above)%n", name, "-");
        } else {
            System.out.printf("  %-26s %10.2f ms  orrery's full plan is %.1fx faster%n", name, millis, millis / plan);
        }
    }

    private static void replan(int n) {
        GeneratedGraph g = GeneratedGraph.generate(n, 43);
        Planner planner = Planner.of(CompactGraph.of(g.nodes, g.from, g.to, g.edges));
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 2_000; i++) {
            planner.affectedBy(g.primaries[random.nextInt(g.primaries.length)]);
        }
        int samples = 2_000;
        double[] micros = new double[samples];
        long components = 0;
        for (int i = 0; i < samples; i++) {
            int primary = g.primaries[random.nextInt(g.primaries.length)];
            long t0 = System.nanoTime();
            int[] part = planner.affectedBy(primary);
            micros[i] = (System.nanoTime() - t0) / 1e3;
            components += part.length;
        }
        Arrays.sort(micros);
        System.out.printf("replan after one primary changes, n = %,d: median %.1f us, p99 %.1f us, max %.1f us "
                        + "(%d random primaries, mean affected part %,d of %,d components)%n",
                n, micros[samples / 2], micros[(int) (samples * 0.99)], micros[samples - 1], samples,
                components / samples, planner.components().count());
        // What this machine takes just to read the same stretch of the condensation once, marking nothing.
        CompactGraph dag = planner.condensation().dag();
        double[] floor = new double[samples];
        long sink = 0;
        for (int i = -samples; i < samples; i++) {
            int from = planner.components().componentOf(g.primaries[random.nextInt(g.primaries.length)]);
            long t0 = System.nanoTime();
            for (int c = from; c < dag.nodeCount(); c++) {
                for (int e = dag.outStart(c); e < dag.outEnd(c); e++) {
                    sink += dag.target(e);
                }
            }
            if (i >= 0) {
                floor[i] = (System.nanoTime() - t0) / 1e3;
            }
        }
        Arrays.sort(floor);
        System.out.printf("  (reading the condensation once from the changed component to the end, marking nothing: "
                + "median %.1f us on this machine%s)%n%n", floor[samples / 2], sink == 42 ? "" : "");
    }

    private static void memory(int n) {
        GeneratedGraph g = GeneratedGraph.generate(n, 44);
        long before = used();
        Planner planner = Planner.of(CompactGraph.of(g.nodes, g.from, g.to, g.edges));
        long after = used();
        System.out.printf("memory held by the plan of %,d nodes and %,d edges (graph both ways, components, "
                + "condensation, scratch): %.1f MB%n", n, g.edges, (after - before) / 1048576.0);
        if (planner.components().count() == 0) {
            throw new IllegalStateException();
        }
    }

    private static long used() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static double best(int runs, Supplier<Integer> work) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            double t = timeOnBigStack(work);
            if (Double.isNaN(t)) {
                return t;
            }
            best = Math.min(best, t);
        }
        return best;
    }

    /** Runs on a thread with a 2 GB stack, since JGraphT's depth-first searches recurse. */
    private static double timeOnBigStack(Supplier<Integer> work) throws Exception {
        double[] millis = {Double.NaN};
        Thread thread = new Thread(null, () -> {
            try {
                long t0 = System.nanoTime();
                work.get();
                millis[0] = (System.nanoTime() - t0) / 1e6;
            } catch (StackOverflowError e) {
                System.out.println("  (stack overflow even with a 2 GB stack)");
            }
        }, "bench", 2L << 30);
        thread.start();
        thread.join();
        return millis[0];
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
