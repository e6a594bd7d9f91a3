package orrery.fswatch.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import orrery.fswatch.domain.Sha256Hasher;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.fs.FsChangeKind;
import orrery.model.fs.FsEvent;
import orrery.testsupport.JwtTestResource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;

/**
 * Roots in fresh folders of the test's base folder, and the events they publish. Subclasses run with
 * {@link JwtTestResource}: every REST call carries a token ({@link #asAdmin()}, {@link #asUser()}).
 */
public abstract class WatcherTestBase {

    /** A request as the administrator {@code root}, who may add, replace, remove and rescan roots. */
    protected static RequestSpecification asAdmin() {
        return given().auth().oauth2(JwtTestResource.admin("root"));
    }

    /** A request as the ordinary user {@code alice}, who may read roots and their files. */
    protected static RequestSpecification asUser() {
        return given().auth().oauth2(JwtTestResource.token("alice"));
    }

    private static final AtomicInteger ROOTS = new AtomicInteger();

    @Inject
    protected Connection connection;

    @Inject
    protected EnvelopeCodec codec;

    /** The allowed base folder {@link WatchedTreeResource} made (read when used: other tests run without it). */
    protected String base() {
        return ConfigProvider.getConfig().getValue("orrery.fswatch.allowed-bases", String.class);
    }

    private final List<FsEventStream> streams = new ArrayList<>();

    @AfterEach
    void closeStreams() {
        streams.forEach(FsEventStream::close);
        streams.clear();
    }

    /** A fresh folder inside the allowed base, and a root name nobody used yet. */
    protected Tree newTree(String label) throws IOException {
        String name = label + "-" + ROOTS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path folder = Files.createDirectories(Path.of(base()).resolve(name));
        return new Tree(name, folder);
    }

    /** A reader of everything the tree's root published so far and will publish (closed after the test). */
    protected FsEventStream events(Tree tree) {
        return events(tree, FsEventStream.PATIENCE);
    }

    protected FsEventStream events(Tree tree, Duration patience) {
        FsEventStream[] opened = new FsEventStream[1];
        // Right after a NATS restart the connection may still be reconnecting: try until it takes.
        await("event stream of " + tree.name()).atMost(patience).ignoreExceptions()
                .until(() -> (opened[0] = new FsEventStream(connection, codec, tree.name())) != null);
        streams.add(opened[0]);
        return opened[0];
    }

    /** Watches {@code tree} (201) and waits until it is WATCHING; returns its event stream. */
    protected FsEventStream watch(Tree tree, Map<String, Object> settings) throws Exception {
        FsEventStream stream = events(tree);
        Map<String, Object> body = new HashMap<>(settings);
        body.put("path", tree.folder().toString());
        asAdmin().contentType(ContentType.JSON).body(body).put("/api/v1/roots/" + tree.name())
                .then().statusCode(201);
        awaitState(tree, "WATCHING");
        return stream;
    }

    protected FsEventStream watch(Tree tree) throws Exception {
        return watch(tree, Map.of());
    }

    protected static void awaitState(Tree tree, String state) {
        await(tree.name() + " " + state).atMost(FsEventStream.PATIENCE).untilAsserted(() ->
                assertThat(asUser().get("/api/v1/roots/" + tree.name()).then().statusCode(200)
                        .extract().jsonPath().getString("state")).isEqualTo(state));
    }

    /**
     * Writes a fence file and waits for its CREATED event: every event caused by what the test did
     * before is then in the stream, so the test can assert what did not happen. Returns the
     * events before the fence (fences left out).
     */
    protected static List<FsEvent> fence(Tree tree, FsEventStream stream) throws IOException {
        return fence(tree, stream, FsEventStream.PATIENCE);
    }

    /** {@link #fence(Tree, FsEventStream)}, waiting up to {@code patience} (longer just after an outage). */
    protected static List<FsEvent> fence(Tree tree, FsEventStream stream, Duration patience) throws IOException {
        String name = "fence-" + UUID.randomUUID() + ".txt";
        Files.writeString(tree.folder().resolve(name), name);
        stream.await("fence " + name, event -> event.path().equals(name) && event.kind() == FsChangeKind.CREATED, patience);
        List<FsEvent> before = new ArrayList<>();
        for (FsEvent event : stream.events()) {
            if (event.path().equals(name)) {
                break;
            }
            if (!event.path().startsWith("fence-")) {
                before.add(event);
            }
        }
        return before;
    }

    /** Appends {@code text}, creating the file if needed. */
    protected static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static String sha(String content) {
        return Sha256Hasher.hashOf(content.getBytes(StandardCharsets.UTF_8));
    }

    /** A watched folder and its root name. */
    public record Tree(String name, Path folder) {

        public Path write(String path, String content) throws IOException {
            Path file = folder.resolve(path);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        }

        public Path path(String path) {
            return folder.resolve(path);
        }
    }
}
