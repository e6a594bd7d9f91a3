package orrery.deps.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import orrery.deps.domain.graph.CompactGraph;
import orrery.deps.domain.graph.Components;
import orrery.deps.domain.graph.Planner;
import orrery.model.build.BuildInput;

/**
 * One build: the plan (strongly connected components in topological order), what is out, and
 * what comes next. It is driven by three calls, each answering with the tasks to send:
 * {@link #start}, {@link #completed} (a builder reported) and {@link #changed} (a file changed
 * while the build runs).
 *
 * <ul>
 *   <li>Independent components run in parallel, at most {@link BuildSettings#maxParallel} tasks out.
 *   <li>Early cutoff: a component is rebuilt only if one of its artefacts needs it (never built,
 *       an input's hash changed, or it failed before). A rebuild that leaves a hash unchanged marks
 *       nothing downstream stale, so what is built from it is skipped.
 *   <li>A cycle is rebuilt member by member in a stable order (by path), round after round, until
 *       a whole round changes no hash; after {@link BuildSettings#maxRounds} rounds it fails with a
 *       {@link CycleReport} naming what kept changing.
 *   <li>A change mid-build puts the part it affects back in the plan. A task already out for that
 *       part is not sent twice: its result is applied when it comes, and the component runs again.
 * </ul>
 *
 * <p>Not thread-safe: the service drives a run under one lock.
 */
public final class BuildRun {

    /** How a build ended, or that it has not. */
    public enum State {
        RUNNING, SUCCEEDED, FAILED
    }

    /** One artefact's progress in this build. */
    public static final class Step {
        private final Artefact artefact;
        private StepStatus status = StepStatus.WAITING;
        private int rounds;
        private boolean changed;
        private String taskId;
        private String reason;

        Step(Artefact artefact) {
            this.artefact = artefact;
        }

        public Artefact artefact() {
            return artefact;
        }

        public StepStatus status() {
            return status;
        }

        public int rounds() {
            return rounds;
        }

        public boolean changed() {
            return changed;
        }

        public String taskId() {
            return taskId;
        }

        public String reason() {
            return reason;
        }
    }

    private final String id;
    private final ArtefactGraph graph;
    private final BuildSettings settings;
    private final Map<Artefact, Step> steps = new LinkedHashMap<>();
    private final List<Job> jobs = new ArrayList<>();
    private final Map<String, Job> inFlight = new HashMap<>();
    private final List<BuildEvent> events = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private int drained;
    private int attempts;
    private State state = State.RUNNING;

    public BuildRun(String id, ArtefactGraph graph, BuildSettings settings) {
        this.id = Objects.requireNonNull(id, "id");
        this.graph = Objects.requireNonNull(graph, "graph");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Plans the rebuild after {@code changed} artefacts changed (or were asked for) and starts it. */
    public List<TaskOrder> start(Collection<Artefact> changed, Artefact target) {
        if (target != null) {
            include(planForTarget(target), false);
        }
        if (!changed.isEmpty()) {
            include(planForChanges(changed), false);
        }
        event(BuildEvent.Kind.PLANNED, null, 0, null, false,
                steps.size() + (steps.size() == 1 ? " artefact" : " artefacts") + " in the plan");
        return advance();
    }

    /** Applies a builder's report on {@code taskId}; a report for a task not out (a duplicate) is ignored. */
    public List<TaskOrder> completed(String taskId, TaskOutcome outcome) {
        Job job = inFlight.remove(taskId);
        if (job == null) {
            return List.of();
        }
        if (!outcome.succeeded() || outcome.sha256() == null) {
            taskFailed(job, taskId, outcome);
            return advance();
        }
        taskBuilt(job, taskId, outcome);
        List<TaskOrder> orders = new ArrayList<>(nextInJob(job));
        orders.addAll(advance());
        return orders;
    }

    /** Files changed while the build runs: what they affect is checked again. */
    public List<TaskOrder> changed(Collection<Artefact> changed) {
        if (state != State.RUNNING || changed.isEmpty()) {
            return List.of();
        }
        Planner planner = graph.planner();
        Set<Artefact> affected = new LinkedHashSet<>();
        for (int c : planner.affectedBy(indices(changed))) {
            for (int node : planner.components().members(c)) {
                affected.add(graph.byIndex(node));
            }
        }
        include(affected, true);
        include(planForChanges(changed), false);
        event(BuildEvent.Kind.REPLANNED, null, 0, null, false,
                names(changed) + " changed; " + affected.size() + " affected artefacts checked again");
        return advance();
    }

    public String id() {
        return id;
    }

    public State state() {
        return state;
    }

    public boolean isFinished() {
        return state != State.RUNNING;
    }

    public List<Step> steps() {
        return List.copyOf(steps.values());
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }

    public Set<String> tasksOut() {
        return Set.copyOf(inFlight.keySet());
    }

    /** Every event so far. */
    public List<BuildEvent> events() {
        return List.copyOf(events);
    }

    /** The events since the last call. */
    public List<BuildEvent> drainEvents() {
        List<BuildEvent> fresh = List.copyOf(events.subList(drained, events.size()));
        drained = events.size();
        return fresh;
    }

    // --- planning -------------------------------------------------------------------------

    /**
     * What a change affects, plus anything it needs that is itself due for a build (and what that
     * in turn affects among the needed part), so no task is sent with an input never built.
     */
    private Set<Artefact> planForChanges(Collection<Artefact> changed) {
        Planner planner = graph.planner();
        int[] affected = planner.affectedBy(indices(changed));
        Set<Integer> chosen = new HashSet<>();
        for (int c : affected) {
            chosen.add(c);
        }
        widenByDueAncestors(planner, planner.requiredFor(nodesOf(planner, affected)), chosen);
        return artefactsOf(planner, chosen);
    }

    /** What {@code target} is built from that is due, what that affects on the way, and the target. */
    private Set<Artefact> planForTarget(Artefact target) {
        Planner planner = graph.planner();
        Set<Integer> chosen = new HashSet<>();
        chosen.add(planner.components().componentOf(target.index()));
        widenByDueAncestors(planner, planner.requiredFor(target.index()), chosen);
        return artefactsOf(planner, chosen);
    }

    private void widenByDueAncestors(Planner planner, int[] required, Set<Integer> chosen) {
        List<Integer> due = new ArrayList<>();
        Set<Integer> requiredSet = new HashSet<>();
        for (int c : required) {
            requiredSet.add(c);
            for (int node : planner.components().members(c)) {
                if (graph.byIndex(node).needsBuild()) {
                    due.add(node);
                }
            }
        }
        if (due.isEmpty()) {
            return;
        }
        for (int c : planner.affectedBy(due.stream().mapToInt(Integer::intValue).toArray())) {
            if (requiredSet.contains(c)) {
                chosen.add(c);
            }
        }
    }

    private void include(Collection<Artefact> artefacts, boolean reset) {
        for (Artefact artefact : artefacts) {
            Step step = steps.get(artefact);
            if (step == null) {
                steps.put(artefact, new Step(artefact));
            } else if (reset && step.status == StepStatus.RUNNING) {
                jobOf(artefact).rerun = true;
            } else if (reset && step.status.isFinal()) {
                step.status = StepStatus.WAITING;
            }
        }
    }

    // --- scheduling -----------------------------------------------------------------------

    /** The task failed (or left no target): its component fails, unless a change already asked for it again. */
    private void taskFailed(Job job, String taskId, TaskOutcome outcome) {
        Artefact artefact = job.current();
        String reason = outcome.succeeded() ? "the build did not leave " + artefact.path() : outcome.reason();
        artefact.failed(id, taskId, reason, outcome.log());
        graph.touched(artefact);
        jobs.remove(job);
        if (job.rerun) {
            job.members.forEach(m -> steps.get(m).status = StepStatus.WAITING);
            return;
        }
        steps.get(artefact).reason = reason;
        for (Artefact member : job.members) {
            Step step = steps.get(member);
            step.status = StepStatus.FAILED;
            if (member != artefact) {
                step.reason = "its cycle failed: " + artefact.key() + ": " + reason;
            }
        }
        failures.add(artefact.key() + ": " + reason);
        event(BuildEvent.Kind.FAILED, artefact, job.roundNumber(), null, false, reason);
    }

    /** The task built its artefact: the new hash, what it makes stale, and the cycle's history of hashes. */
    private void taskBuilt(Job job, String taskId, TaskOutcome outcome) {
        Artefact artefact = job.current();
        String before = artefact.sha256();
        boolean changed = !Objects.equals(before, outcome.sha256());
        artefact.built(outcome.sha256(), id, taskId, outcome.log(), job.dispatchedVersion);
        graph.touched(artefact);
        if (changed) {
            graph.markUsersStale(artefact);
            job.changedThisRound.add(artefact);
        }
        job.history.computeIfAbsent(artefact, a -> new ArrayList<>(Collections.singletonList(before)))
                .add(outcome.sha256());
        steps.get(artefact).changed |= changed;
        event(BuildEvent.Kind.BUILT, artefact, job.roundNumber(), outcome.sha256(), changed,
                changed ? "content changed" : "content unchanged");
        job.position++;
    }

    /** After a member was built: the next member, the component's end, or the end of a cycle's round. */
    private List<TaskOrder> nextInJob(Job job) {
        if (job.rerun) {
            // Something it is built from changed while it was out: run the component again from the start.
            jobs.remove(job);
            job.members.forEach(m -> steps.get(m).status = StepStatus.WAITING);
            return List.of();
        }
        if (job.position < job.members.size()) {
            return List.of(job.dispatch());
        }
        if (!job.cyclic) {
            finish(job);
            return List.of();
        }
        return endRound(job);
    }

    /** Starts what is ready, skips what needs nothing, and ends the build when nothing is left. */
    private List<TaskOrder> advance() {
        List<TaskOrder> orders = new ArrayList<>();
        if (state != State.RUNNING) {
            return orders;
        }
        Planner planner = graph.planner();
        TreeMap<Integer, List<Artefact>> plan = planByComponent(planner.components());
        for (Map.Entry<Integer, List<Artefact>> component : plan.entrySet()) {
            advance(planner, component.getKey(), component.getValue(), plan).ifPresent(orders::add);
        }
        if (jobs.isEmpty()) {
            end();
        }
        return orders;
    }

    /**
     * The components of the artefacts in the plan, in topological order, each with its members by
     * path (the order a cycle is built in). A member the structure added to a component gets a step.
     */
    private TreeMap<Integer, List<Artefact>> planByComponent(Components components) {
        TreeMap<Integer, List<Artefact>> plan = new TreeMap<>();
        for (Artefact artefact : List.copyOf(steps.keySet())) {
            plan.computeIfAbsent(components.componentOf(artefact.index()), c -> membersByPath(components, c));
        }
        return plan;
    }

    private List<Artefact> membersByPath(Components components, int c) {
        List<Artefact> members = new ArrayList<>();
        for (int node : components.members(c)) {
            Artefact member = graph.byIndex(node);
            steps.computeIfAbsent(member, Step::new); // the structure grew: a cycle took in more
            members.add(member);
        }
        members.sort(Comparator.comparing(Artefact::key));
        return members;
    }

    /**
     * Moves component {@code c} on if it can: blocked by a failure before it, its sources and
     * unchanged artefacts skipped, failed for a missing input, or started. Returns its first task
     * when it starts.
     */
    private Optional<TaskOrder> advance(Planner planner, int c, List<Artefact> members,
                                        Map<Integer, List<Artefact>> plan) {
        if (members.stream().anyMatch(m -> steps.get(m).status == StepStatus.RUNNING)
                || members.stream().allMatch(m -> steps.get(m).status.isFinal())) {
            return Optional.empty();
        }
        Readiness readiness = readiness(planner.condensation().dag(), c, plan);
        if (!readiness.ready()) {
            return Optional.empty();
        }
        List<Artefact> waiting = members.stream().filter(m -> steps.get(m).status == StepStatus.WAITING).toList();
        if (readiness.blockedBy() != null) {
            block(waiting, readiness.blockedBy());
            return Optional.empty();
        }
        List<Artefact> derived = skipSources(waiting);
        if (derived.isEmpty()) {
            return Optional.empty();
        }
        if (derived.stream().noneMatch(Artefact::needsBuild)) {
            skipUnchanged(derived);
            return Optional.empty();
        }
        if (inFlight.size() >= settings.maxParallel()) {
            return Optional.empty();
        }
        return startJob(planner.components(), c, derived);
    }

    /** Whether a component may go: everything it is built from in the plan is done; and what failed there, if any. */
    private record Readiness(boolean ready, String blockedBy) {
        static final Readiness NOT_YET = new Readiness(false, null);
    }

    private Readiness readiness(CompactGraph dag, int c, Map<Integer, List<Artefact>> plan) {
        String blockedBy = null;
        for (int e = dag.inStart(c); e < dag.inEnd(c); e++) {
            for (Artefact before : plan.getOrDefault(dag.source(e), List.of())) {
                StepStatus status = steps.get(before).status;
                if (!status.isFinal()) {
                    return Readiness.NOT_YET;
                }
                if (status.isBad() && blockedBy == null) {
                    blockedBy = before.key();
                }
            }
        }
        return new Readiness(true, blockedBy);
    }

    private void block(List<Artefact> waiting, String blockedBy) {
        for (Artefact m : waiting) {
            Step step = steps.get(m);
            step.status = StepStatus.BLOCKED;
            step.reason = "needs " + blockedBy + ", which failed";
            event(BuildEvent.Kind.BLOCKED, m, 0, null, false, step.reason);
        }
    }

    /** Sources need no build: they are marked so; returns the derived artefacts among {@code waiting}. */
    private List<Artefact> skipSources(List<Artefact> waiting) {
        waiting.stream().filter(m -> !m.isDerived()).forEach(m -> steps.get(m).status = StepStatus.SOURCE);
        return waiting.stream().filter(Artefact::isDerived).toList();
    }

    /** Early cutoff: nothing they are built from changed. */
    private void skipUnchanged(List<Artefact> derived) {
        for (Artefact m : derived) {
            steps.get(m).status = StepStatus.UNCHANGED;
            event(BuildEvent.Kind.UNCHANGED, m, 0, m.sha256(), false, "nothing it is built from changed");
        }
    }

    /** Sends the component's first task, unless an input from outside it is missing (then it fails). */
    private Optional<TaskOrder> startJob(Components components, int c, List<Artefact> derived) {
        Job job = new Job(derived, components.isCyclic(c));
        String missing = job.missingInput(components);
        if (missing != null) {
            failMissing(derived, missing);
            return Optional.empty();
        }
        jobs.add(job);
        return Optional.of(job.dispatch());
    }

    private void failMissing(List<Artefact> derived, String missing) {
        for (Artefact m : derived) {
            Step step = steps.get(m);
            step.status = StepStatus.FAILED;
            step.reason = missing;
            m.failed(id, null, missing, null);
            graph.touched(m);
        }
        failures.add(missing);
        event(BuildEvent.Kind.FAILED, derived.get(0), 0, null, false, missing);
    }

    /** Nothing is out and nothing can start: what never ran is blocked, and the build ends. */
    private void end() {
        for (Step step : steps.values()) {
            if (!step.status.isFinal()) {
                step.status = StepStatus.BLOCKED;
                step.reason = "could not be scheduled";
            }
        }
        boolean bad = steps.values().stream().anyMatch(s -> s.status.isBad()) || !failures.isEmpty();
        state = bad ? State.FAILED : State.SUCCEEDED;
        long built = steps.values().stream().filter(s -> s.status == StepStatus.BUILT).count();
        event(BuildEvent.Kind.FINISHED, null, 0, null, false, state + ": " + built + " built"
                + (bad ? "; " + String.join("; ", failures) : ""));
    }

    /** A cycle's round ended: it reached its fixed point, ran out of rounds, or goes round again. */
    private List<TaskOrder> endRound(Job job) {
        int round = job.round;
        event(BuildEvent.Kind.ROUND, null, round, null, !job.changedThisRound.isEmpty(),
                "round " + round + " of " + names(job.members) + ": "
                        + (job.changedThisRound.isEmpty() ? "nothing changed" : names(job.changedThisRound) + " changed"));
        if (job.changedThisRound.isEmpty()) {
            event(BuildEvent.Kind.CONVERGED, null, round, null, false,
                    names(job.members) + " reached a fixed point in " + round + (round == 1 ? " round" : " rounds"));
            finish(job);
            return List.of();
        }
        if (round >= settings.maxRounds()) {
            notConverged(job);
            return List.of();
        }
        job.round++;
        job.position = 0;
        job.changedThisRound.clear();
        return List.of(job.dispatch());
    }

    /** The cycle kept changing for {@code max-rounds} rounds: every member fails with the report. */
    private void notConverged(Job job) {
        String reason = job.report().describe();
        jobs.remove(job);
        for (Artefact member : job.members) {
            Step step = steps.get(member);
            step.status = StepStatus.FAILED;
            step.reason = reason;
            member.failed(id, member.lastTaskId(), reason, member.lastLog());
            graph.touched(member);
        }
        failures.add(reason);
        event(BuildEvent.Kind.NOT_CONVERGED, null, job.round, null, true, reason);
    }

    private void finish(Job job) {
        jobs.remove(job);
        for (Artefact member : job.members) {
            steps.get(member).status = StepStatus.BUILT;
        }
    }

    private Job jobOf(Artefact artefact) {
        for (Job job : jobs) {
            if (job.members.contains(artefact)) {
                return job;
            }
        }
        throw new IllegalStateException(artefact + " is running but belongs to no job");
    }

    private void event(BuildEvent.Kind kind, Artefact artefact, int round, String sha256, boolean changed,
                       String message) {
        events.add(new BuildEvent(events.size() + 1L, kind, artefact == null ? null : artefact.id(),
                artefact == null ? null : artefact.key(), round, sha256, changed, message));
    }

    private static int[] indices(Collection<Artefact> artefacts) {
        return artefacts.stream().mapToInt(Artefact::index).toArray();
    }

    private static int[] nodesOf(Planner planner, int[] components) {
        return Arrays.stream(components).flatMap(c -> Arrays.stream(planner.components().members(c)))
                .toArray();
    }

    private Set<Artefact> artefactsOf(Planner planner, Set<Integer> components) {
        Set<Artefact> artefacts = new LinkedHashSet<>();
        components.stream().sorted().forEach(c -> {
            for (int node : planner.components().members(c)) {
                artefacts.add(graph.byIndex(node));
            }
        });
        return artefacts;
    }

    private static String names(Collection<Artefact> artefacts) {
        return String.join(", ", artefacts.stream().map(Artefact::key).toList());
    }

    /** The rebuild of one component: one task for an acyclic artefact, rounds of tasks for a cycle. */
    private final class Job {
        final List<Artefact> members;
        final boolean cyclic;
        final Set<Artefact> changedThisRound = new LinkedHashSet<>();
        final Map<Artefact, List<String>> history = new LinkedHashMap<>();
        int round = 1;
        int position;
        long dispatchedVersion;
        boolean rerun;

        Job(List<Artefact> members, boolean cyclic) {
            this.members = members;
            this.cyclic = cyclic;
        }

        Artefact current() {
            return members.get(position);
        }

        int roundNumber() {
            return cyclic ? round : 1;
        }

        TaskOrder dispatch() {
            Artefact artefact = current();
            String taskId = id + "-" + artefact.index() + "-" + (++attempts);
            dispatchedVersion = artefact.staleVersion();
            inFlight.put(taskId, this);
            if (position == 0 && round == 1) {
                members.forEach(m -> steps.get(m).status = StepStatus.RUNNING);
            }
            Step step = steps.get(artefact);
            step.status = StepStatus.RUNNING;
            step.rounds = roundNumber();
            step.taskId = taskId;
            event(BuildEvent.Kind.STARTED, artefact, roundNumber(), null, false,
                    cyclic ? "round " + round + " of its cycle" : "building");
            List<BuildInput> inputs = artefact.inputs().stream()
                    .map(input -> new BuildInput(input.path(), input.sha256())).toList();
            return new TaskOrder(taskId, id, artefact, artefact.builder(), inputs, artefact.recipe(), roundNumber());
        }

        /** An input from outside the component that does not exist and that nothing builds, or null. */
        String missingInput(Components components) {
            for (Artefact member : members) {
                int c = components.componentOf(member.index());
                for (Artefact input : member.inputs()) {
                    if (components.componentOf(input.index()) != c && input.sha256() == null) {
                        return member.key() + " needs " + input.key()
                                + (input.isDerived() ? ", which has not been built" : ", which does not exist and no builder makes");
                    }
                }
            }
            return null;
        }

        CycleReport report() {
            Map<String, List<String>> changing = new LinkedHashMap<>();
            for (Artefact artefact : changedThisRound) {
                changing.put(artefact.key(), Collections.unmodifiableList(
                        new ArrayList<>(history.getOrDefault(artefact, List.of()))));
            }
            return new CycleReport(members.stream().map(Artefact::key).toList(), round, changing);
        }
    }
}
