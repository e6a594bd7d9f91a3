package orrery.deps.domain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import orrery.deps.domain.graph.CompactGraph;
import orrery.deps.domain.graph.Planner;
import orrery.model.build.RelativePaths;

/**
 * The artefact graph: every file the manager knows, what each derived one is built from, and
 * their hashes and states. Edges point from an input to the artefact built from it. Changes are
 * applied here and remembered as "dirty" until the store has written them.
 *
 * <p>Not thread-safe: the service applies every change under one lock.
 */
public final class ArtefactGraph {

    /** How far rules are followed from one new file, so a rule like {@code %.b <- %} cannot run away. */
    static final int MAX_EXPANSION_DEPTH = 8;

    private final List<Artefact> byIndex = new ArrayList<>();
    private final Map<String, Artefact> byKey = new HashMap<>();
    private final Map<String, Artefact> byId = new HashMap<>();
    private final Set<Artefact> dirty = new LinkedHashSet<>();
    private final Set<String> roots = new java.util.TreeSet<>();
    private long structure;
    private long plannedStructure = -1;
    private Planner planner;

    public int size() {
        return byIndex.size();
    }

    public List<Artefact> all() {
        return List.copyOf(byIndex);
    }

    public Artefact byIndex(int index) {
        return byIndex.get(index);
    }

    public Optional<Artefact> find(String root, String path) {
        return Optional.ofNullable(byKey.get(root + "/" + path));
    }

    /** True if some artefact of {@code root} is known (a file the watcher reported, or what rules make of one). */
    public boolean knowsRoot(String root) {
        return roots.contains(root);
    }

    /** The roots with known artefacts, sorted. */
    public Set<String> roots() {
        return java.util.Collections.unmodifiableSet(roots);
    }

    public Optional<Artefact> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The artefact named by its id or by {@code root/path}. */
    public Optional<Artefact> byReference(String ref) {
        Optional<Artefact> byId = byId(ref);
        if (byId.isPresent()) {
            return byId;
        }
        int slash = ref.indexOf('/');
        return slash <= 0 ? Optional.empty() : find(ref.substring(0, slash), ref.substring(slash + 1));
    }

    /** The artefact at {@code root}/{@code path}, created as a missing source if new. */
    public Artefact ensure(String root, String path) {
        RelativePaths.require(path, "path");
        Artefact known = byKey.get(root + "/" + path);
        if (known != null) {
            return known;
        }
        Artefact created = new Artefact(byIndex.size(), root, path);
        roots.add(root);
        byIndex.add(created);
        byKey.put(created.key(), created);
        byId.put(created.id(), created);
        dirty.add(created);
        structure++;
        return created;
    }

    /** Makes {@code target} built by {@code builder} from {@code inputs}; a no-op if it already is. */
    public void define(Artefact target, String builder, String recipe, String rule, List<Artefact> inputs) {
        if (Objects.equals(builder, target.builder()) && Objects.equals(recipe, target.recipe())
                && Objects.equals(rule, target.rule()) && inputs.equals(target.inputs())) {
            return;
        }
        boolean wasDerived = target.isDerived();
        boolean sameInputs = inputs.equals(target.inputs());
        target.define(builder, recipe, rule, inputs);
        if (!wasDerived) {
            target.setState(ArtefactState.NEW);
        } else {
            target.markStale(); // another recipe or other inputs: what was built is out of date
        }
        if (!sameInputs) {
            structure++;
        }
        dirty.add(target);
    }

    /**
     * Applies a file change seen on disk ({@code sha256} null for a deletion). Returns the
     * artefacts whose content really changed: an identical hash, or the watcher reporting a file
     * one of our own builds just wrote, changes nothing.
     */
    public Set<Artefact> observe(String root, String path, String sha256) {
        Artefact artefact = ensure(root, path);
        if (Objects.equals(artefact.sha256(), sha256)) {
            return Set.of();
        }
        if (artefact.isDerived() && artefact.producedRecently(sha256)) {
            return Set.of();
        }
        artefact.setContent(sha256);
        if (!artefact.isDerived()) {
            artefact.setState(sha256 == null ? ArtefactState.MISSING : ArtefactState.SOURCE);
        } else if (sha256 == null) {
            artefact.markStale(); // a built file was deleted: build it again
        }
        markUsersStale(artefact);
        dirty.add(artefact);
        return Set.of(artefact);
    }

    /** Everything built from {@code artefact} has a changed input now. */
    void markUsersStale(Artefact artefact) {
        for (Artefact user : artefact.users()) {
            user.markStale();
            dirty.add(user);
        }
    }

    /**
     * Follows the rules from {@code seeds}: what builds them, and what they are the main input of;
     * then the same from each artefact that found, breadth first, to {@link #MAX_EXPANSION_DEPTH}.
     */
    public void expand(RuleBook rules, Collection<Artefact> seeds) {
        ArrayDeque<Artefact> work = new ArrayDeque<>(seeds);
        Map<Artefact, Integer> depth = new HashMap<>();
        seeds.forEach(seed -> depth.put(seed, 0));
        while (!work.isEmpty()) {
            Artefact artefact = work.poll();
            int level = depth.get(artefact);
            if (level >= MAX_EXPANSION_DEPTH) {
                continue;
            }
            List<Artefact> found = new ArrayList<>();
            defineByRule(rules, artefact, found);
            addTargets(rules, artefact, found);
            for (Artefact next : found) {
                if (!depth.containsKey(next)) {
                    depth.put(next, level + 1);
                    work.add(next);
                }
            }
        }
    }

    /** The rule that builds {@code artefact}, if any, defines it; inputs new to the graph go to {@code found}. */
    private void defineByRule(RuleBook rules, Artefact artefact, List<Artefact> found) {
        rules.ruleFor(artefact.path()).ifPresent(match -> {
            List<Artefact> inputs = new ArrayList<>();
            for (String input : match.inputs()) {
                boolean known = find(artefact.root(), input).isPresent();
                Artefact in = ensure(artefact.root(), input);
                inputs.add(in);
                if (!known) {
                    found.add(in);
                }
            }
            define(artefact, match.offer().builder(), match.offer().rule().recipe(), match.offer().rule().pattern(),
                    inputs);
        });
    }

    /** What {@code artefact} is the main input of goes to {@code found} when new or not yet defined. */
    private void addTargets(RuleBook rules, Artefact artefact, List<Artefact> found) {
        for (RuleBook.Match target : rules.targetsOf(artefact.path())) {
            String path = target.inputs().get(0);
            boolean known = find(artefact.root(), path).isPresent();
            Artefact built = ensure(artefact.root(), path);
            if (!known || !built.isDerived()) {
                found.add(built);
            }
        }
    }

    /** Follows the rules from every artefact, after new rules arrived. */
    public void expandAll(RuleBook rules) {
        expand(rules, all());
    }

    /** Sets an artefact's stored state when the graph is loaded from the database. */
    public void restore(Artefact artefact, String sha256, ArtefactState state, long staleVersion, String lastBuildId,
                        String lastTaskId, String lastLog, String failure) {
        artefact.restore(sha256, state, staleVersion, lastBuildId, lastTaskId, lastLog, failure);
    }

    /** Defines an artefact's rule as stored, without marking anything stale. */
    public void restoreDefinition(Artefact target, String builder, String recipe, String rule, List<Artefact> inputs) {
        target.define(builder, recipe, rule, inputs);
        structure++;
    }

    /** Artefacts changed since the last call, for the store to write. */
    public List<Artefact> drainDirty() {
        List<Artefact> changed = List.copyOf(dirty);
        dirty.clear();
        return changed;
    }

    /** Remembers {@code artefact} as not yet written (again, when a write failed). */
    public void touched(Artefact artefact) {
        dirty.add(artefact);
    }

    /** The planner of the current structure (rebuilt only after the structure changed). */
    public Planner planner() {
        if (planner == null || plannedStructure != structure) {
            int n = byIndex.size();
            int edges = 0;
            for (Artefact artefact : byIndex) {
                edges += artefact.inputs().size();
            }
            int[] from = new int[edges];
            int[] to = new int[edges];
            int e = 0;
            for (Artefact artefact : byIndex) {
                for (Artefact input : artefact.inputs()) {
                    from[e] = input.index();
                    to[e++] = artefact.index();
                }
            }
            planner = Planner.of(CompactGraph.of(n, from, to, edges));
            plannedStructure = structure;
        }
        return planner;
    }
}
