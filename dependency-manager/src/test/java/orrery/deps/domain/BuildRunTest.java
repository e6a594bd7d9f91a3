package orrery.deps.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BuildRunTest {

    private final FakeBuilders b = new FakeBuilders();
    private final BuildSettings settings = new BuildSettings(4, 5);

    @Test
    void aDiamondBuildsBothSidesInParallelThenTheBottom() {
        Artefact src = b.source("src", "v1");
        b.rule("left", FakeBuilders.combine("L"), "src");
        b.rule("right", FakeBuilders.combine("R"), "src");
        b.rule("bottom", FakeBuilders.combine("B"), "left", "right");
        BuildRun run = new BuildRun("b1", b.graph, settings);

        List<TaskOrder> first = run.start(Set.of(src), null);

        assertThat(paths(first)).containsExactlyInAnyOrder("left", "right");
        List<TaskOrder> all = b.runToEnd(run, first);
        assertThat(paths(all)).hasSize(3).endsWith("bottom");
        assertThat(run.state()).isEqualTo(BuildRun.State.SUCCEEDED);
        assertThat(b.graph.find("r", "bottom").orElseThrow().state()).isEqualTo(ArtefactState.UP_TO_DATE);
    }

    @Test
    void earlyCutoffSkipsWhatIsBuiltFromAnUnchangedOutput() {
        Artefact src = b.source("src", "v1");
        b.rule("strip", inputs -> "always the same", "src");
        b.rule("use", FakeBuilders.combine("U"), "strip");
        buildAll(src);

        b.graph.observe("r", "src", FakeBuilders.sha("v2"));
        BuildRun run = new BuildRun("b2", b.graph, settings);
        List<TaskOrder> sent = b.runToEnd(run, run.start(Set.of(src), null));

        assertThat(paths(sent)).containsExactly("strip");
        assertThat(status(run, "use")).isEqualTo(StepStatus.UNCHANGED);
        assertThat(run.events()).anyMatch(e -> e.kind() == BuildEvent.Kind.UNCHANGED && "r/use".equals(e.artefact()));
        assertThat(run.state()).isEqualTo(BuildRun.State.SUCCEEDED);
    }

    @Test
    void aCycleIsRebuiltInAStableOrderUntilARoundChangesNothing() {
        Artefact a = b.source("a.src", "alpha");
        Artefact bs = b.source("b.src", "beta");
        // Each output carries its body and a digest of the other's body: they agree after the third round.
        b.rule("a.txt", inputs -> "alpha+" + peerBody(inputs, "b.txt"), "a.src", "b.txt");
        b.rule("b.txt", inputs -> "beta+" + peerBody(inputs, "a.txt"), "b.src", "a.txt");
        BuildRun run = new BuildRun("b1", b.graph, settings);

        List<TaskOrder> sent = b.runToEnd(run, run.start(Set.of(a, bs), null));

        assertThat(run.state()).isEqualTo(BuildRun.State.SUCCEEDED);
        assertThat(paths(sent)).containsExactly("a.txt", "b.txt", "a.txt", "b.txt", "a.txt", "b.txt");
        assertThat(sent).extracting(TaskOrder::round).containsExactly(1, 1, 2, 2, 3, 3);
        assertThat(run.events()).anyMatch(e -> e.kind() == BuildEvent.Kind.CONVERGED && e.round() == 3);
    }

    @Test
    void aCycleThatNeverSettlesFailsAfterMaxRoundsNamingWhatKeptChanging() {
        Artefact src = b.source("seed", "s");
        b.rule("c.txt", FakeBuilders.combine("C"), "seed", "d.txt");
        b.rule("d.txt", FakeBuilders.combine("D"), "c.txt");
        b.rule("after", FakeBuilders.combine("A"), "d.txt");
        BuildRun run = new BuildRun("b1", b.graph, new BuildSettings(4, 3));

        List<TaskOrder> sent = b.runToEnd(run, run.start(Set.of(src), null));

        assertThat(run.state()).isEqualTo(BuildRun.State.FAILED);
        assertThat(sent).hasSize(6).extracting(TaskOrder::round).containsExactly(1, 1, 2, 2, 3, 3);
        assertThat(run.failures()).singleElement().asString()
                .contains("did not converge after 3 rounds").contains("r/c.txt and r/d.txt kept changing");
        assertThat(status(run, "after")).isEqualTo(StepStatus.BLOCKED);
        assertThat(b.graph.find("r", "c.txt").orElseThrow().state()).isEqualTo(ArtefactState.FAILED);
        assertThat(run.events()).anyMatch(e -> e.kind() == BuildEvent.Kind.NOT_CONVERGED);
    }

    @Test
    void aSelfLoopConvergesLikeAnyCycle() {
        Artefact src = b.source("gen.in", "x");
        // Reads its own previous output; stable from the second round on.
        b.rule("gen.out", inputs -> "gen:" + (inputs.get(1).sha256() == null ? "first" : "again"), "gen.in", "gen.out");
        BuildRun run = new BuildRun("b1", b.graph, settings);

        List<TaskOrder> sent = b.runToEnd(run, run.start(Set.of(src), null));

        assertThat(run.state()).isEqualTo(BuildRun.State.SUCCEEDED);
        assertThat(sent).extracting(TaskOrder::round).containsExactly(1, 2, 3);
    }

    @Test
    void aChangeMidBuildRebuildsTheAffectedPartOnceWithoutSendingATaskTwice() {
        Artefact src = b.source("src", "v1");
        b.rule("mid", FakeBuilders.combine("M"), "src");
        b.rule("end", FakeBuilders.combine("E"), "mid");
        BuildRun run = new BuildRun("b1", b.graph, settings);
        List<TaskOrder> first = run.start(Set.of(src), null);
        assertThat(paths(first)).containsExactly("mid");

        b.graph.observe("r", "src", FakeBuilders.sha("v2"));
        List<TaskOrder> duringChange = run.changed(Set.of(src));
        assertThat(duringChange).as("mid is already out: not sent again").isEmpty();

        List<TaskOrder> rest = b.runToEnd(run, first);
        assertThat(paths(rest)).containsExactly("mid", "mid", "end");
        assertThat(rest.get(1).inputs().get(0).sha256()).isEqualTo(FakeBuilders.sha("v2"));
        assertThat(run.state()).isEqualTo(BuildRun.State.SUCCEEDED);
        assertThat(b.graph.find("r", "mid").orElseThrow().state()).isEqualTo(ArtefactState.UP_TO_DATE);
        assertThat(run.events()).anyMatch(e -> e.kind() == BuildEvent.Kind.REPLANNED);
    }

    @Test
    void aChangeAfterAPartWasDoneRebuildsThatPartAgain() {
        Artefact src = b.source("src", "v1");
        Artefact other = b.source("other", "o1");
        b.rule("a", FakeBuilders.combine("A"), "src");
        b.rule("slow", FakeBuilders.combine("S"), "other");
        BuildRun run = new BuildRun("b1", b.graph, settings);
        List<TaskOrder> first = run.start(Set.of(src, other), null);
        TaskOrder a = first.stream().filter(o -> o.artefact().path().equals("a")).findFirst().orElseThrow();
        TaskOrder slow = first.stream().filter(o -> o.artefact().path().equals("slow")).findFirst().orElseThrow();
        assertThat(b.deliver(run, a)).isEmpty();
        assertThat(status(run, "a")).isEqualTo(StepStatus.BUILT);

        b.graph.observe("r", "src", FakeBuilders.sha("v2"));
        List<TaskOrder> again = run.changed(Set.of(src));

        assertThat(paths(again)).containsExactly("a");
        b.runToEnd(run, new ArrayList<>(List.of(slow, again.get(0))));
        assertThat(run.state()).isEqualTo(BuildRun.State.SUCCEEDED);
    }

    @Test
    void aDuplicateReportIsIgnored() {
        Artefact src = b.source("src", "v1");
        b.rule("a", FakeBuilders.combine("A"), "src");
        b.rule("b", FakeBuilders.combine("B"), "a");
        BuildRun run = new BuildRun("b1", b.graph, settings);
        TaskOrder order = run.start(Set.of(src), null).get(0);

        List<TaskOrder> next = b.deliver(run, order);
        List<TaskOrder> duplicate = b.deliver(run, order);

        assertThat(paths(next)).containsExactly("b");
        assertThat(duplicate).isEmpty();
    }

    @Test
    void aFailureBlocksWhatNeedsItWhileIndependentWorkGoesOn() {
        Artefact src = b.source("src", "v1");
        b.rule("broken", inputs -> null, "src");
        b.rule("needs-broken", FakeBuilders.combine("N"), "broken");
        b.rule("fine", FakeBuilders.combine("F"), "src");
        BuildRun run = new BuildRun("b1", b.graph, settings);

        List<TaskOrder> sent = b.runToEnd(run, run.start(Set.of(src), null));

        assertThat(paths(sent)).containsExactlyInAnyOrder("broken", "fine");
        assertThat(status(run, "needs-broken")).isEqualTo(StepStatus.BLOCKED);
        assertThat(status(run, "fine")).isEqualTo(StepStatus.BUILT);
        assertThat(run.state()).isEqualTo(BuildRun.State.FAILED);
        assertThat(b.graph.find("r", "broken").orElseThrow().failure()).isEqualTo("recipe failed");
    }

    @Test
    void noMoreThanMaxParallelTasksAreOutAtOnce() {
        Artefact src = b.source("src", "v1");
        for (int i = 0; i < 10; i++) {
            b.rule("t" + i, FakeBuilders.combine("T" + i), "src");
        }
        BuildRun run = new BuildRun("b1", b.graph, new BuildSettings(3, 5));

        List<TaskOrder> first = run.start(Set.of(src), null);
        assertThat(first).hasSize(3);
        assertThat(run.tasksOut()).hasSize(3);
        List<TaskOrder> next = b.deliver(run, first.get(0));
        assertThat(next).hasSize(1);
        assertThat(run.tasksOut()).hasSize(3);
        b.runToEnd(run, new ArrayList<>(List.of(first.get(1), first.get(2), next.get(0))));
        assertThat(run.steps()).filteredOn(s -> s.status() == StepStatus.BUILT).hasSize(10);
    }

    @Test
    void anInputThatDoesNotExistFailsWithAClearReason() {
        Artefact src = b.source("main.tex", "x");
        b.rule("main.pdf", FakeBuilders.combine("P"), "main.tex", "missing.bib");
        BuildRun run = new BuildRun("b1", b.graph, settings);

        List<TaskOrder> sent = run.start(Set.of(src), null);

        assertThat(sent).isEmpty();
        assertThat(run.state()).isEqualTo(BuildRun.State.FAILED);
        assertThat(run.failures()).singleElement().asString()
                .isEqualTo("r/main.pdf needs r/missing.bib, which does not exist and no builder makes");
    }

    @Test
    void aTargetBuildTakesOnlyWhatTheTargetNeeds() {
        b.source("src", "v1");
        b.rule("a", FakeBuilders.combine("A"), "src");
        b.rule("wanted", FakeBuilders.combine("W"), "a");
        b.rule("unrelated", FakeBuilders.combine("U"), "src");
        BuildRun run = new BuildRun("b1", b.graph, settings);

        List<TaskOrder> sent = b.runToEnd(run, run.start(Set.of(), b.graph.find("r", "wanted").orElseThrow()));

        assertThat(paths(sent)).containsExactly("a", "wanted");
        assertThat(b.graph.find("r", "unrelated").orElseThrow().state()).isEqualTo(ArtefactState.NEW);
    }

    @Test
    void aTargetThatIsUpToDateNeedsNoTask() {
        Artefact src = b.source("src", "v1");
        Artefact a = b.rule("a", FakeBuilders.combine("A"), "src");
        buildAll(src);
        BuildRun run = new BuildRun("b2", b.graph, settings);

        assertThat(run.start(Set.of(), a)).isEmpty();
        assertThat(run.state()).isEqualTo(BuildRun.State.SUCCEEDED);
        assertThat(status(run, "a")).isEqualTo(StepStatus.UNCHANGED);
    }

    private void buildAll(Artefact changed) {
        BuildRun first = new BuildRun("b0", b.graph, settings);
        b.runToEnd(first, first.start(Set.of(changed), null));
        assertThat(first.state()).isEqualTo(BuildRun.State.SUCCEEDED);
        b.sent.clear();
    }

    private static String peerBody(List<orrery.model.build.BuildInput> inputs, String peer) {
        // The fake can only see hashes: "agreeing" means the peer exists; its body never changes.
        return inputs.stream().filter(i -> i.path().equals(peer)).anyMatch(i -> i.sha256() != null)
                ? "peer-seen" : "peer-missing";
    }

    private static List<String> paths(List<TaskOrder> orders) {
        return orders.stream().map(o -> o.artefact().path()).toList();
    }

    private static StepStatus status(BuildRun run, String path) {
        return run.steps().stream().filter(s -> s.artefact().path().equals(path)).findFirst().orElseThrow().status();
    }
}
