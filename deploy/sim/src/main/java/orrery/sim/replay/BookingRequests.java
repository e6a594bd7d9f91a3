package orrery.sim.replay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import orrery.sim.workload.Request;

/**
 * A workload request as the body of {@code POST /api/v1/offersets} (execution-broker's
 * {@code OfferSetRequest}): the start window opens at the submit time; the simulated backends'
 * model rides in the executable's environment and the data URLs:
 * <ul>
 *   <li>{@code ORRERY_SIM_RUNTIME} (ISO-8601) and {@code ORRERY_SIM_EXIT} (0 to 255): the canfar-adapter's
 *       simulated session runs that long and exits with that status (canfar-adapter/README.md, "Simulated backend");</li>
 *   <li>{@code ?sim-fail=checksum} on the first item's (or the notebook's) URL: the staging service's simulated
 *       transfer fails its MD5 check (staging-service, {@code TransferModel}).</li>
 * </ul>
 * Every item has {@code checks.size}, which the simulated transfer takes as the item's size.
 */
final class BookingRequests {

    /** What the simulated staging service reads as "this item fails its checks". */
    static final String FAIL_QUERY = "sim-fail=checksum";
    /** The size of the notebook a notebook request stages. */
    static final long NOTEBOOK_SIZE = 20_000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * @param pool    the pool to book on (null: the broker's default)
     * @param dataUrl where the items are said to come from ({@code <dataUrl>/<position>/<name>})
     * @param command what a headless session runs (simulated sessions run nothing)
     */
    record Settings(String pool, String dataUrl, String command) {
    }

    private BookingRequests() {
    }

    static ObjectNode body(Request request, Instant submitAt, Settings settings) {
        ObjectNode body = NODES.objectNode();
        body.put("name", name(request));
        ObjectNode executable = body.putObject("executable");
        String base = settings.dataUrl().replaceAll("/+$", "") + "/" + request.position() + "/";
        boolean failNotebook = request.failStaging() && request.kind() == Request.Kind.NOTEBOOK && request.data().isEmpty();
        if (request.kind() == Request.Kind.NOTEBOOK) {
            executable.put("kind", "jupyter-notebook");
            executable.putObject("location").put("url", base + "notebook.ipynb" + (failNotebook ? "?" + FAIL_QUERY : ""));
            executable.putObject("checks").put("size", NOTEBOOK_SIZE);
        } else {
            executable.put("kind", "command");
            executable.put("cmd", settings.command());
        }
        ObjectNode env = NODES.objectNode();
        if (request.runtime() != null) {
            env.put("ORRERY_SIM_RUNTIME", request.runtime().toString());
        }
        if (request.exitStatus() != null) {
            env.put("ORRERY_SIM_EXIT", Integer.toString(request.exitStatus()));
        }
        if (!env.isEmpty()) {
            executable.set("env", env);
        }
        ObjectNode resources = body.putObject("resources");
        ObjectNode compute = resources.putArray("compute").addObject();
        compute.putObject("cores").put("min", request.cores()).put("max", request.cores());
        if (request.memory() != null) {
            compute.putObject("memory").put("min", request.memory()).put("max", request.memory());
        }
        if (!request.data().isEmpty()) {
            ArrayNode data = resources.putArray("data");
            for (int i = 0; i < request.data().size(); i++) {
                Request.DataItem item = request.data().get(i);
                boolean fail = request.failStaging() && !failNotebook && i == 0;
                ObjectNode d = data.addObject();
                d.put("name", item.name());
                d.putObject("location").put("url", base + item.name() + (fail ? "?" + FAIL_QUERY : ""));
                d.putObject("checks").put("size", item.size());
            }
        }
        ObjectNode requested = body.putObject("schedule").putArray("requested").addObject();
        requested.put("start", request.window().isZero() ? submitAt.toString() : submitAt + "/" + request.window());
        String duration = request.duration().toString();
        requested.putObject("duration").put("min", duration).put("max", duration);
        if (settings.pool() != null) {
            body.put("pool", settings.pool());
        }
        return body;
    }

    /** {@code replay-<position>-<workload id>}, within the broker's 128 characters of name. */
    static String name(Request request) {
        String id = request.id().replaceAll("[^A-Za-z0-9._-]", "_");
        String name = "replay-" + request.position() + "-" + id;
        return name.length() <= 128 ? name : name.substring(0, 128);
    }
}
