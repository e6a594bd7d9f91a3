package orrery.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code orrery status [<target>]}: one artefact in detail, or the whole graph in brief. */
@Command(name = "status", description = "Show a target's state, hash, inputs and last build; without a target, "
        + "a summary of the graph and everything not up to date.")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    Orrery parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<target>", arity = "0..1", description = "root/path or artefact id")
    String target;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DepsClient client = parent.client();
        if (target == null) {
            return summary(out, client.getJson("api/v1/graph"));
        }
        JsonNode a = client.getJson("api/v1/artefacts/" + DepsClient.encodePath(target));
        String state = a.path("state").asText();
        out.printf("%s/%s  %s%s%n", a.path("root").asText(), a.path("path").asText(), state,
                a.path("cyclic").asBoolean() ? "  (in a cycle)" : "");
        out.printf("  sha256   %s%n", a.path("sha256").asText("-"));
        if (a.has("builder")) {
            out.printf("  builder  %s: %s%n", a.path("builder").asText(), a.path("recipe").asText());
        }
        for (JsonNode input : a.path("inputs")) {
            out.printf("  input    %-10s %s%n", input.path("state").asText(), input.path("artefact").asText());
        }
        JsonNode last = a.path("lastBuild");
        if (!last.isMissingNode()) {
            out.printf("  build    %s%n", last.path("buildId").asText());
            if (last.has("failure")) {
                out.printf("  failure  %s%n", last.path("failure").asText());
            }
            if (last.has("log") && !last.path("log").asText().isBlank()) {
                out.println("  log (end):");
                String[] lines = last.path("log").asText().split("\n");
                for (int i = Math.max(0, lines.length - 10); i < lines.length; i++) {
                    out.println("    " + lines[i]);
                }
            }
        }
        return switch (state) {
            case "UP_TO_DATE", "SOURCE" -> ExitCodes.OK;
            case "FAILED" -> ExitCodes.FAILED;
            default -> ExitCodes.NOT_UP_TO_DATE;
        };
    }

    private static int summary(PrintWriter out, JsonNode graph) {
        Map<String, Integer> states = new TreeMap<>();
        for (JsonNode node : graph.path("nodes")) {
            states.merge(node.path("state").asText(), 1, Integer::sum);
        }
        out.printf("%d artefacts, %d edges, %d components, %d cycles%n", graph.path("artefacts").asInt(),
                graph.path("edges").asInt(), graph.path("components").asInt(), graph.path("cycles").asInt());
        states.forEach((state, count) -> out.printf("  %-10s %d%n", state, count));
        boolean failed = false;
        boolean behind = false;
        for (JsonNode node : graph.path("nodes")) {
            String state = node.path("state").asText();
            if (!state.equals("UP_TO_DATE") && !state.equals("SOURCE")) {
                out.printf("  %-10s %s%n", state, node.path("artefact").asText());
                failed |= state.equals("FAILED");
                behind = true;
            }
        }
        return failed ? ExitCodes.FAILED : behind ? ExitCodes.NOT_UP_TO_DATE : ExitCodes.OK;
    }
}
