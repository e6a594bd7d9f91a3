package orrery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line itself; the commands against a running dependency manager are tested in its module. */
class OrreryCommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Orrery.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private int run(Map<String, String> environment, String... args) {
        return Orrery.run(environment, new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void helpListsTheCommandsAndTheExitCodes() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("build", "status", "graph", "Exit codes:", "4   no such target or build",
                "7   no token", "ORRERY_TOKEN", "--token");
    }

    @Test
    void aMissingTargetIsAUsageError() {
        assertThat(run("build")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Missing required parameter: '<target>'");
    }

    @Test
    void twoGraphFormatsAtOnceAreAUsageError() {
        assertThat(run("graph", "--dot", "--mermaid")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void anUnreachableManagerExitsWithFiveAndSaysWhere() {
        assertThat(run("--url", "http://127.0.0.1:9", "status")).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(err.toString()).contains("cannot reach the dependency manager at http://127.0.0.1:9/");
    }

    @Test
    void pathsAreEncodedSegmentBySegment() {
        assertThat(DepsClient.encodePath("papers/my paper.pdf")).isEqualTo("papers/my%20paper.pdf");
    }

    @Test
    void theTokenComesFromOrreryTokenOrTokenAndA401SaysWhatToDo() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            seen.add(String.valueOf(authorization));
            boolean known = "Bearer good-token".equals(authorization);
            byte[] body = (known ? "{\"artefacts\":0,\"edges\":0,\"components\":0,\"cycles\":0,\"nodes\":[]}"
                    : "{\"type\":\"urn:orrery:problem:unauthenticated\",\"title\":\"Who are you?\",\"status\":401,"
                            + "\"detail\":\"send a valid bearer token\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", known ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(known ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();

            assertThat(run(Map.of(), "--url", url, "status")).isEqualTo(ExitCodes.UNAUTHORIZED);
            assertThat(err.toString()).contains("no token was given").contains("ORRERY_TOKEN")
                    .contains("deploy/local/token.sh").contains("send a valid bearer token");

            assertThat(run(Map.of("ORRERY_TOKEN", "good-token"), "--url", url, "status")).isEqualTo(ExitCodes.OK);
            assertThat(out.toString()).contains("0 artefacts");

            err.getBuffer().setLength(0);
            assertThat(run(Map.of("ORRERY_TOKEN", "good-token"), "--url", url, "--token", "stale-token", "status"))
                    .isEqualTo(ExitCodes.UNAUTHORIZED);
            assertThat(err.toString()).contains("did not accept the token from --token").contains("get a fresh one");

            assertThat(seen).containsExactly("null", "Bearer good-token", "Bearer stale-token");
        } finally {
            server.stop(0);
        }
    }
}
