package orrery.deps.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import orrery.deps.domain.graph.Components;
import orrery.model.build.BuildInput;

/**
 * Build runs on random graphs (cycles and self-loops included), with reports coming back in a
 * random order and sources changing while tasks are out. Each recipe is deterministic and reaches
 * a fixed point: its output depends on its inputs from other components and on how many of its
 * inputs exist.
 */
class BuildRunProperties {

    @Property(tries = 200)
    void everyRunEndsConsistentWithoutDuplicateOrPrematureTasks(@ForAll @IntRange(min = 2, max = 24) int size,
                                                                @ForAll long seed) {
        Random random = new Random(seed);
        ArtefactGraph graph = new ArtefactGraph();
        int sources = 1 + random.nextInt(Math.max(1, size / 3));
        List<Artefact> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            nodes.add(graph.ensure("r", "n" + i));
        }
        for (int i = 0; i < sources; i++) {
            graph.observe("r", "n" + i, FakeBuilders.sha("v0-" + i));
        }
        for (int i = sources; i < size; i++) {
            List<Artefact> inputs = new ArrayList<>();
            int count = 1 + random.nextInt(3);
            for (int k = 0; k < count; k++) {
                Artefact input = nodes.get(random.nextInt(size));
                if (!inputs.contains(input)) {
                    inputs.add(input);
                }
            }
            graph.define(nodes.get(i), "test", "make n" + i, "n" + i, inputs);
        }
        int maxParallel = 1 + random.nextInt(3);
        BuildRun run = new BuildRun("b", graph, new BuildSettings(maxParallel, 50));
        List<TaskOrder> out = new ArrayList<>(run.start(new HashSet<>(nodes), null));
        int changesLeft = random.nextInt(3);
        int steps = 0;

        while (!out.isEmpty()) {
            assertThat(++steps).as("the run ends").isLessThan(10_000);
            assertThat(out.size()).isLessThanOrEqualTo(maxParallel);
            assertThat(out.stream().map(TaskOrder::artefact).distinct().count()).as("no artefact twice out").isEqualTo(out.size());
            if (changesLeft > 0 && random.nextInt(4) == 0) {
                changesLeft--;
                int source = random.nextInt(sources);
                graph.observe("r", "n" + source, FakeBuilders.sha("v" + steps + "-" + source));
                out.addAll(checked(graph, out, run.changed(Set.of(nodes.get(source)))));
                continue;
            }
            TaskOrder order = out.remove(random.nextInt(out.size()));
            String content = recipe(graph, order.artefact(), order.inputs());
            out.addAll(checked(graph, out, run.completed(order.taskId(), TaskOutcome.built(FakeBuilders.sha(content), ""))));
        }

        assertThat(run.state()).isEqualTo(BuildRun.State.SUCCEEDED);
        for (Artefact artefact : nodes) {
            if (artefact.isDerived()) {
                List<BuildInput> now = artefact.inputs().stream().map(i -> new BuildInput(i.path(), i.sha256())).toList();
                assertThat(artefact.state()).as(artefact.path()).isEqualTo(ArtefactState.UP_TO_DATE);
                assertThat(artefact.sha256()).as(artefact.path() + " is what its recipe makes of its inputs now")
                        .isEqualTo(FakeBuilders.sha(recipe(graph, artefact, now)));
            }
        }
    }

    /** New tasks never start while something they are built from (outside their cycle) is still out. */
    private static List<TaskOrder> checked(ArtefactGraph graph, List<TaskOrder> out, List<TaskOrder> fresh) {
        Components components = graph.planner().components();
        for (TaskOrder order : fresh) {
            int c = components.componentOf(order.artefact().index());
            for (Artefact input : order.artefact().inputs()) {
                if (components.componentOf(input.index()) != c) {
                    assertThat(out).as(order.artefact() + " started while its input " + input + " is out")
                            .noneMatch(o -> o.artefact() == input);
                }
            }
        }
        return fresh;
    }

    private static String recipe(ArtefactGraph graph, Artefact artefact, List<BuildInput> inputs) {
        Components components = graph.planner().components();
        int c = components.componentOf(artefact.index());
        Map<String, Artefact> byPath = new HashMap<>();
        artefact.inputs().forEach(i -> byPath.put(i.path(), i));
        StringBuilder text = new StringBuilder(artefact.path());
        long present = inputs.stream().filter(i -> i.sha256() != null).count();
        text.append('|').append(present);
        for (BuildInput input : inputs) {
            if (components.componentOf(byPath.get(input.path()).index()) != c) {
                text.append('|').append(input.sha256());
            }
        }
        return text.toString();
    }
}
