package orrery.deps.backend.shell;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import orrery.deps.config.ShellBuilderConfig;
import orrery.deps.domain.shell.CommandEnvironment;
import orrery.deps.domain.shell.CommandLine;
import orrery.model.build.BuildInput;
import orrery.model.build.BuildOutput;
import orrery.model.build.BuildResult;
import orrery.model.build.BuildTask;
import orrery.model.build.RelativePaths;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.NatsUsers;
import orrery.model.messaging.Subjects;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.task.TaskEvent;
import orrery.model.task.TaskState;
import orrery.model.time.TimeSource;
import orrery.model.util.BoundedMaps;
import orrery.support.messaging.Disposition;
import orrery.support.messaging.DurableConsumers;
import orrery.support.messaging.EnvelopeRoutes;
import orrery.support.messaging.TaskEventPublisher;
import org.jboss.logging.Logger;

/**
 * The shell builder's task consumer ({@code tasks.build.<name>} on TASKS). It runs the rule's
 * command in the target's folder, without a shell, and reports on {@code events.task.<taskId>}:
 * COMPLETED with the target's SHA-256, or FAILED with the reason and the end of the output.
 *
 * <p>A task it already finished is answered again with the same report (the stream drops the
 * duplicate); a task still running when it is redelivered is put back for later.
 *
 * <p>Commands run with an environment built from the rule only ({@link CommandEnvironment}): nothing
 * of this service's environment, which holds its database password, NATS login and tokens.
 */
@ApplicationScoped
public class ShellBuilder {

    private static final Logger LOG = Logger.getLogger(ShellBuilder.class);
    private static final int REMEMBERED = 1000;

    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Map<String, TaskEvent> finished = Collections.synchronizedMap(BoundedMaps.leastRecentlyUsed(REMEMBERED));

    private final EnvelopeCodec codec;
    private final TaskEventPublisher reports;
    private final ShellRules rules;
    private final ShellBuilderConfig config;
    private final TimeSource time;
    private final EnvelopeRoutes routes;

    @Inject
    public ShellBuilder(EnvelopeCodec codec, TaskEventPublisher reports, ShellRules rules, ShellBuilderConfig config,
                        TimeSource time) {
        this.codec = codec;
        this.reports = reports;
        this.rules = rules;
        this.config = config;
        this.time = time;
        this.routes = EnvelopeRoutes.using(codec).on(MessageTypes.BUILD_TASK, BuildTask.class, (task, envelope) -> take(task));
    }

    void start(@Observes StartupEvent ignored, DurableConsumers consumers) {
        if (config.enabled()) {
            consumers.start(NatsUsers.consumerNamed("shell-builder").filtered(Subjects.BUILD_PREFIX + config.name()),
                    (envelope, delivery) -> {
                        if (MessageTypes.BUILD_TASK.equals(envelope.type())) {
                            nullInputs(envelope);
                        }
                        return routes.handle(envelope, delivery);
                    });
        }
    }

    /** Runs a task once: a finished one is reported again, a running one is put back for later. */
    private Uni<Disposition> take(BuildTask task) {
        TaskEvent known = finished.get(task.taskId());
        if (known != null) {
            return reports.publish(known, task.buildId()).replaceWith(Disposition.done());
        }
        if (!running.add(task.taskId())) {
            return Uni.createFrom().item(Disposition.retryLater(Duration.ofSeconds(30), task.taskId() + " is still running"));
        }
        return Uni.createFrom().item(() -> build(task))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .eventually(() -> running.remove(task.taskId()))
                .chain(report -> {
                    finished.put(task.taskId(), report);
                    return reports.publish(report, task.buildId());
                })
                .replaceWith(Disposition.done());
    }

    /** A {@code null} input would only say "null" once the record refuses it; name it here instead. */
    private static void nullInputs(Envelope envelope) {
        var inputs = envelope.data() == null ? null : envelope.data().get("inputs");
        if (inputs != null && inputs.isArray()) {
            for (int i = 0; i < inputs.size(); i++) {
                if (inputs.get(i).isNull()) {
                    throw new ProblemException(Problem.of("invalid-build-task", 400, "Unusable build task",
                            "inputs[" + i + "] is null; each input is {\"path\": ..., \"sha256\": ...}"));
                }
            }
        }
    }

    /** Finds the root, the rule and the target's place, refusing a target outside its root; then runs it. */
    private TaskEvent build(BuildTask task) {
        Path root = rules.roots().get(task.root());
        if (root == null) {
            return failed(task, "the shell builder has no root named '" + task.root() + "' (it has "
                    + rules.roots().keySet() + ")", null);
        }
        var chosen = rules.ruleFor(task.path());
        if (chosen.isEmpty()) {
            return failed(task, "no rule of builder " + config.name() + " builds " + task.path(), null);
        }
        Path target = root.resolve(task.path()).normalize();
        if (!target.startsWith(root) || !insideRealRoot(root, target.getParent())) {
            return failed(task, task.path() + " is outside root " + task.root(), null);
        }
        return run(task, chosen.get(), target);
    }

    /** Runs the rule's command in the target's folder and reports what it left. */
    private TaskEvent run(BuildTask task, ShellRules.Chosen chosen, Path target) {
        Path folder = target.getParent();
        List<String> inputs = task.inputs().stream().map(BuildInput::path).toList();
        List<String> args = CommandLine.expand(chosen.rule().command(), chosen.stem(), task.path(), inputs);
        long started = time.now().toEpochMilli();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            return failed(task, "cannot create folder " + RelativePaths.folder(task.path()) + ": " + e.getMessage(), null);
        }
        LOG.debugf("%s: %s (round %d) in %s", task.taskId(), args, task.round(), folder);
        CommandRunner.Run run = CommandRunner.run(args, folder, environment(task, chosen), config.timeout(),
                config.logLimit(), chosen.rule().stdoutToTarget() ? target : null);
        return report(task, args, target, run, time.now().toEpochMilli() - started);
    }

    /** The rule's environment and the task's variables, nothing of this process's. */
    private Map<String, String> environment(BuildTask task, ShellRules.Chosen chosen) {
        return CommandEnvironment.of(config.path(), rules.home().toString(), config.lang(),
                chosen.rule().environment(), RelativePaths.fileName(task.path()), task.round(), task.buildId());
    }

    /** COMPLETED with the target's hash, or FAILED: the command failed or left no target. */
    private TaskEvent report(BuildTask task, List<String> args, Path target, CommandRunner.Run run, long took) {
        if (run.failure() != null) {
            return failed(task, run.failure(), new BuildResult(task.root(), task.path(), List.of(), run.exitCode(),
                    run.log(), took));
        }
        if (!Files.isRegularFile(target)) {
            return failed(task, String.join(" ", args) + " succeeded but did not write " + task.path()
                            + " (if it prints what it makes, end the rule with '> $@')",
                    new BuildResult(task.root(), task.path(), List.of(), run.exitCode(), run.log(), took));
        }
        try {
            BuildOutput output = new BuildOutput(task.path(), CommandRunner.sha256(target), Files.size(target));
            BuildResult result = new BuildResult(task.root(), task.path(), List.of(output), 0, run.log(), took);
            return new TaskEvent(task.taskId(), BuildTask.KIND, TaskState.COMPLETED, 1, null,
                    codec.mapper().valueToTree(result), null);
        } catch (IOException e) {
            return failed(task, "cannot read " + task.path() + " after the build: " + e.getMessage(), null);
        }
    }

    private TaskEvent failed(BuildTask task, String reason, BuildResult result) {
        LOG.infof("%s failed: %s", task.taskId(), reason);
        return new TaskEvent(task.taskId(), BuildTask.KIND, TaskState.FAILED, 1, null,
                result == null ? null : codec.mapper().valueToTree(result), reason);
    }

    /** The folder resolves, through any symbolic links that exist, to a place inside the root. */
    private static boolean insideRealRoot(Path root, Path folder) {
        try {
            Path realRoot = root.toRealPath();
            Path existing = folder;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            return existing != null && existing.toRealPath().startsWith(realRoot);
        } catch (IOException e) {
            return false;
        }
    }
}
