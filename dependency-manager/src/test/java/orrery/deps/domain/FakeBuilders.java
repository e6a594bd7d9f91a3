package orrery.deps.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import orrery.model.build.BuildInput;

/**
 * Stands in for builders in the pure tests of {@link BuildRun}: each artefact's content is a
 * function of its inputs' hashes, as a real deterministic recipe would be.
 */
final class FakeBuilders {

    final ArtefactGraph graph = new ArtefactGraph();
    final Map<String, Function<List<BuildInput>, String>> recipes = new HashMap<>();
    final List<TaskOrder> sent = new ArrayList<>();

    Artefact source(String path, String content) {
        graph.observe("r", path, sha(content));
        return graph.find("r", path).orElseThrow();
    }

    /** {@code path} built from {@code inputs}; its content is {@code recipe} applied to the inputs. */
    Artefact rule(String path, Function<List<BuildInput>, String> recipe, String... inputs) {
        List<Artefact> in = new ArrayList<>();
        for (String input : inputs) {
            in.add(graph.ensure("r", input));
        }
        Artefact target = graph.ensure("r", path);
        graph.define(target, "test", "make " + path, path, in);
        recipes.put(path, recipe);
        return target;
    }

    /** A recipe whose output depends on all its inputs. */
    static Function<List<BuildInput>, String> combine(String salt) {
        return inputs -> {
            StringBuilder text = new StringBuilder(salt);
            inputs.forEach(i -> text.append('|').append(i.path()).append('=').append(i.sha256()));
            return text.toString();
        };
    }

    /** Builds {@code order} as the recipe says and reports it to {@code run}. */
    List<TaskOrder> deliver(BuildRun run, TaskOrder order) {
        String content = recipes.get(order.artefact().path()).apply(order.inputs());
        return run.completed(order.taskId(), content == null ? TaskOutcome.failed("recipe failed", "boom")
                : TaskOutcome.built(sha(content), "ok"));
    }

    /** Runs the build to its end, answering tasks first come first served; returns every task sent. */
    List<TaskOrder> runToEnd(BuildRun run, List<TaskOrder> first) {
        List<TaskOrder> queue = new ArrayList<>(first);
        while (!queue.isEmpty()) {
            TaskOrder order = queue.remove(0);
            sent.add(order);
            queue.addAll(deliver(run, order));
        }
        return sent;
    }

    static String sha(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
