package orrery.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code orrery build <target>}: asks for a build and follows it to its end. */
@Command(name = "build", description = "Build a target (root/path or artefact id) and follow the build live.")
final class BuildCommand implements Callable<Integer> {

    @ParentCommand
    Orrery parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<target>", description = "e.g. papers/paper.pdf")
    String target;

    @Option(names = "--no-follow", description = "Print the plan and the build id, and do not wait")
    boolean noFollow;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DepsClient client = parent.client();
        JsonNode build = client.postJson("api/v1/builds", Map.of("target", target));
        String id = build.path("id").asText();
        int planned = build.path("steps").size();
        out.printf("build %s %s: %d artefact%s in the plan%n", id, build.path("state").asText().toLowerCase(), planned,
                planned == 1 ? "" : "s");
        for (JsonNode step : build.path("steps")) {
            out.printf("  %-9s %s%n", step.path("status").asText(), step.path("artefact").asText());
        }
        if (noFollow) {
            return ExitCodes.OK;
        }
        Progress progress = new Progress(out, planned);
        client.follow("api/v1/builds/" + id + "/events", progress::show);
        JsonNode finished = client.getJson("api/v1/builds/" + id);
        String state = finished.path("state").asText();
        out.printf("build %s %s%n", id, state);
        for (JsonNode failure : finished.path("failures")) {
            out.printf("  failed: %s%n", failure.asText());
        }
        return "SUCCEEDED".equals(state) ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
