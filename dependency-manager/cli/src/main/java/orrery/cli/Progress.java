package orrery.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** Prints a build's events as they come, one line each, with a count of what is done. */
final class Progress {

    private final PrintWriter out;
    private int total;
    private int done;

    Progress(PrintWriter out, int total) {
        this.out = out;
        this.total = total;
    }

    /** Shows one event; false once the build has finished. */
    boolean show(JsonNode event) {
        String kind = event.path("kind").asText();
        String artefact = event.path("artefact").asText("");
        String message = event.path("message").asText("");
        switch (kind) {
            case "STARTED" -> line("building", artefact, event.has("round") && event.path("round").asInt() > 1
                    ? "round " + event.path("round").asInt() : "");
            case "BUILT" -> {
                done++;
                line("built", artefact, event.path("changed").asBoolean() ? "changed" : "unchanged");
            }
            case "UNCHANGED" -> {
                done++;
                line("skipped", artefact, "nothing it is built from changed");
            }
            case "FAILED", "BLOCKED" -> {
                done++;
                line(kind.toLowerCase(), artefact, message);
            }
            case "ROUND", "CONVERGED", "NOT_CONVERGED", "REPLANNED" -> line(kind.toLowerCase().replace('_', ' '), "", message);
            case "PLANNED" -> total = Math.max(total, number(message));
            case "FINISHED" -> {
                out.flush();
                return false;
            }
            default -> line(kind.toLowerCase(), artefact, message);
        }
        out.flush();
        return true;
    }

    private void line(String what, String artefact, String detail) {
        String count = total > 0 ? String.format("[%d/%d] ", Math.min(done, total), total) : "";
        out.printf("%s%-10s %s%s%n", count, what, artefact, detail.isEmpty() ? "" : (artefact.isEmpty() ? "" : "  ") + detail);
    }

    private static int number(String message) {
        try {
            return Integer.parseInt(message.split(" ")[0]);
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
