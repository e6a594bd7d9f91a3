package orrery.deps.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import orrery.deps.config.DependencyManagerConfig;
import orrery.deps.domain.Artefact;
import orrery.deps.domain.ArtefactGraph;
import orrery.deps.domain.BuildTarget;
import orrery.model.build.HowToReply;
import orrery.model.build.HowToRequest;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.support.messaging.NatsRequestReply;

/**
 * {@code POST /api/v1/builds}: finds the target (a known artefact, one an announced rule makes,
 * or one a builder says how to make when asked on {@code rules.howto}) and builds it for its
 * requester, now or after the running build.
 */
@ApplicationScoped
public class BuildRequests {

    /** The target as found: a known artefact, or the root and path to ask builders about. */
    private record Found(Artefact artefact, BuildTarget askAbout) {
    }

    private final BuildState state;
    private final BuildScheduler scheduler;
    private final Settlement settlement;
    private final NatsRequestReply requests;
    private final DependencyManagerConfig config;

    @Inject
    BuildRequests(BuildState state, BuildScheduler scheduler, Settlement settlement, NatsRequestReply requests,
                  DependencyManagerConfig config) {
        this.state = state;
        this.scheduler = scheduler;
        this.settlement = settlement;
        this.requests = requests;
        this.config = config;
    }

    /** Builds {@code target} for {@code owner} now, or after the running build; answers with the plan. */
    public Uni<BuildView> requestBuild(String target, String owner) {
        state.requireLoaded();
        Found found = state.locked(() -> find(target));
        Uni<Artefact> artefact = found.artefact() != null ? Uni.createFrom().item(found.artefact())
                : askHowTo(found.askAbout());
        return artefact.chain(known -> start(known, owner));
    }

    /** By id or root/path; else root/path in a root with known files, made known here if a rule builds it. */
    private Found find(String target) {
        ArtefactGraph graph = state.graph();
        Optional<Artefact> known = graph.byReference(target);
        if (known.isPresent()) {
            return new Found(known.get(), null);
        }
        BuildTarget parsed = BuildTarget.parse(target);
        if (!graph.knowsRoot(parsed.root())) {
            // Nothing could be built from it, and every such request would otherwise add nodes to the graph.
            throw new ProblemException(Problem.of("unknown-target", 404, "Nothing knows this target",
                    "no file of root '" + parsed.root() + "' is known here, so nothing can be built in it; roots with "
                            + "files: " + graph.roots().stream().limit(20).toList()));
        }
        if (state.rules().ruleFor(parsed.path()).isPresent()) {
            return new Found(makeKnown(parsed), null);
        }
        return new Found(null, parsed);
    }

    /** Asks the builders how to build {@code target}; the first answer is learnt as a rule. */
    private Uni<Artefact> askHowTo(BuildTarget target) {
        return requests.request(Subjects.RULES_HOWTO, MessageTypes.RULES_HOWTO,
                        new HowToRequest(target.root(), target.path()), null, config.howtoTimeout(), HowToReply.class)
                .onFailure(f -> !(f instanceof ProblemException)).transform(failure -> new ProblemException(Problem.of(
                        "unknown-target", 404, "Nothing knows this target",
                        target.root() + "/" + target.path() + " is not a known file and no builder answered how to build "
                                + "it (" + failure.getClass().getSimpleName() + ")")))
                .map(reply -> state.locked(() -> {
                    state.rules().learn(reply);
                    return makeKnown(target);
                }));
    }

    /** The target's node, and what the rules say it is built from. Under the lock. */
    private Artefact makeKnown(BuildTarget target) {
        Artefact artefact = state.graph().ensure(target.root(), target.path());
        state.graph().expand(state.rules(), List.of(artefact));
        return artefact;
    }

    private Uni<BuildView> start(Artefact target, String owner) {
        Effects effects = new Effects();
        BuildView view = state.locked(() -> {
            if (!target.isDerived()) {
                throw new ProblemException(Problem.of("not-buildable", 422, "Nothing builds this artefact",
                        target.key() + " is a source file (" + target.state() + "): no builder's rule makes it"));
            }
            return BuildViews.build(scheduler.requested(target, owner, effects));
        });
        return settlement.settle(effects).replaceWith(view);
    }
}
