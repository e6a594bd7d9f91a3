package orrery.staging.service.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import orrery.model.staging.Checks;
import orrery.model.time.SystemTimeSource;
import orrery.staging.backend.source.FileSourceFetcher;
import orrery.staging.backend.source.HttpSourceFetcher;
import orrery.staging.backend.storage.LocalStagingStore;
import orrery.staging.domain.AddressPolicy;
import orrery.staging.domain.Backoff;
import orrery.staging.domain.HostResolver;
import orrery.staging.domain.SourcePolicy;
import orrery.testsupport.FileServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferEngineTest {

    private static final String TARGET = "home/alice/broker/e1/data.bin";

    @TempDir
    Path tmp;

    private FileServer server;
    private SystemTimeSource time;
    private TransferEngine engine;
    private LocalStagingStore store;
    private SourcePolicy policy;
    private byte[] data;
    private String md5;
    private String sha256;
    private final List<Long> progress = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Path served = Files.createDirectory(tmp.resolve("served"));
        data = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(data);
        Files.write(served.resolve("data.bin"), data);
        md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        server = FileServer.start(served);
        time = new SystemTimeSource();
        store = new LocalStagingStore(tmp.resolve("store"));
        policy = new SourcePolicy(Set.of("127.0.0.1", "169.254.169.254"), new AddressPolicy(true, false, false), List.of(served), Set.of());
        engine = engine(Duration.ofSeconds(2));
    }

    private TransferEngine engine(Duration stallTimeout) {
        return new TransferEngine(store, Map.of(
                SourcePolicy.Scheme.HTTP, new HttpSourceFetcher(policy, HostResolver.SYSTEM, Duration.ofSeconds(5), stallTimeout),
                SourcePolicy.Scheme.FILE, new FileSourceFetcher()),
                time, new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), 4), 2, Duration.ofMillis(1), stallTimeout);
    }

    @AfterEach
    void stop() {
        engine.close();
        server.close();
        time.close();
    }

    private TransferOutcome run(String taskId, String url, Checks checks) throws Exception {
        return submit(taskId, url, checks).get(60, TimeUnit.SECONDS);
    }

    private CompletableFuture<TransferOutcome> submit(String taskId, String url, Checks checks) {
        return engine.submit(new TransferSpec(taskId, TARGET, policy.check(url), checks), (done, total) -> progress.add(done));
    }

    @Test
    void streamsVerifiesAndPublishesTheFile() throws Exception {
        TransferOutcome outcome = run("t1", server.url("/files/data.bin"), new Checks((long) data.length, md5));

        assertThat(outcome).isInstanceOf(TransferOutcome.Completed.class);
        TransferOutcome.Completed done = (TransferOutcome.Completed) outcome;
        assertThat(done.transferred()).isTrue();
        assertThat(done.file().md5()).isEqualTo(md5);
        assertThat(done.file().sha256()).isEqualTo(sha256);
        assertThat(Files.readAllBytes(store.root().resolve(TARGET))).isEqualTo(data);
        assertThat(partialFiles()).isEmpty();
        assertThat(progress).isNotEmpty().isSorted().last().isEqualTo((long) data.length);
    }

    @Test
    void aFileAlreadyThereWithTheSameChecksIsNotFetchedAgain() throws Exception {
        run("t1", server.url("/files/data.bin"), new Checks((long) data.length, md5));

        TransferOutcome again = run("t2", server.url("/files/data.bin"), new Checks((long) data.length, md5));

        assertThat(((TransferOutcome.Completed) again).transferred()).isFalse();
        assertThat(server.requests("/files/data.bin")).isEqualTo(1);
    }

    @Test
    void aDifferentFileAlreadyThereIsNeverOverwritten() throws Exception {
        Path target = store.root().resolve(TARGET);
        Files.createDirectories(target.getParent());
        Files.writeString(target, "someone else's data");

        TransferOutcome outcome = run("t1", server.url("/files/data.bin"), new Checks((long) data.length, md5));

        assertThat(((TransferOutcome.Failed) outcome).reason()).contains("already there").contains("never overwrites");
        assertThat(Files.readString(target)).isEqualTo("someone else's data");
        assertThat(server.requests("/files/data.bin")).isZero();
    }

    @Test
    void aChecksumMismatchFailsAndLeavesNothingBehind() throws Exception {
        TransferOutcome outcome = run("t1", server.url("/files/data.bin"),
                new Checks((long) data.length, "00000000000000000000000000000000"));

        assertThat(((TransferOutcome.Failed) outcome).reason()).contains("MD5 mismatch").contains(md5)
                .contains("partial file was removed");
        assertThat(Files.exists(store.root().resolve(TARGET))).isFalse();
        assertThat(partialFiles()).isEmpty();
    }

    @Test
    void aSourceLargerThanExpectedFailsWithoutRetrying() throws Exception {
        TransferOutcome outcome = run("t1", server.url("/files/data.bin"), new Checks(1000L, null));

        assertThat(((TransferOutcome.Failed) outcome).reason()).contains("larger than the expected 1000 bytes");
        assertThat(server.requests("/files/data.bin")).isEqualTo(1);
        assertThat(partialFiles()).isEmpty();
    }

    @Test
    void aDroppedConnectionIsResumedWithARangeRequest() throws Exception {
        TransferOutcome outcome = run("t1", server.url("/drop/data.bin"), new Checks((long) data.length, md5));

        assertThat(outcome).isInstanceOf(TransferOutcome.Completed.class);
        assertThat(Files.readAllBytes(store.root().resolve(TARGET))).isEqualTo(data);
        List<String> ranges = server.ranges("/drop/data.bin");
        assertThat(ranges).hasSize(2);
        assertThat(ranges.get(0)).isEqualTo("-");
        assertThat(ranges.get(1)).startsWith("bytes=").isNotEqualTo("bytes=0-");
    }

    @Test
    void aWriteFailingHalfwayIsRetriedAndResumedFromWhatWasWritten() throws Exception {
        engine.close();
        FailingWrites failing = new FailingWrites(store, 1_500_000);
        engine = new TransferEngine(failing, Map.of(SourcePolicy.Scheme.HTTP,
                new HttpSourceFetcher(policy, HostResolver.SYSTEM, Duration.ofSeconds(5), Duration.ofSeconds(2))),
                time, new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), 4), 2, Duration.ofMillis(1), Duration.ofSeconds(2));

        TransferOutcome outcome = run("t1", server.url("/files/data.bin"), new Checks((long) data.length, md5));

        TransferOutcome.Completed done = (TransferOutcome.Completed) outcome;
        assertThat(done.file().md5()).isEqualTo(md5);
        assertThat(done.file().sha256()).isEqualTo(sha256);
        assertThat(done.fetched()).as("the second attempt fetched only what was missing").isLessThan(data.length);
        assertThat(Files.readAllBytes(store.root().resolve(TARGET))).isEqualTo(data);
        List<String> ranges = server.ranges("/files/data.bin");
        assertThat(ranges).hasSize(2);
        assertThat(ranges.get(1)).startsWith("bytes=").isNotEqualTo("bytes=0-");
        assertThat(partialFiles()).isEmpty();
    }

    @Test
    void aLargeTransferPassesManyBuffersThroughThePipeline() throws Exception {
        byte[] large = new byte[(TransferEngine.BUFFERS * 3 + 1) * (1 << 20) + 12_345];
        new Random(7).nextBytes(large);
        Files.write(server.root().resolve("large.bin"), large);
        String largeMd5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(large));

        TransferOutcome outcome = run("t1", server.url("/files/large.bin"), new Checks((long) large.length, largeMd5));

        TransferOutcome.Completed done = (TransferOutcome.Completed) outcome;
        assertThat(done.file().sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(large)));
        assertThat(Files.readAllBytes(store.root().resolve(TARGET))).isEqualTo(large);
        assertThat(progress).isSorted().last().isEqualTo((long) large.length);
    }

    @Test
    void transientServerErrorsAreRetried() throws Exception {
        server.failNext("data.bin", 503, 2);

        TransferOutcome outcome = run("t1", server.url("/files/data.bin"), new Checks((long) data.length, md5));

        assertThat(outcome).isInstanceOf(TransferOutcome.Completed.class);
        assertThat(server.requests("/files/data.bin")).isEqualTo(3);
    }

    @Test
    void aClientErrorIsNotRetried() throws Exception {
        TransferOutcome outcome = run("t1", server.url("/files/missing.bin"), Checks.none());

        assertThat(((TransferOutcome.Failed) outcome).reason()).contains("answered 404").contains("check the URL");
        assertThat(server.requests("/files/missing.bin")).isEqualTo(1);
    }

    @Test
    void retriesRunOutWithTheLastErrorInTheReason() throws Exception {
        server.failNext("data.bin", 500, 10);

        TransferOutcome outcome = run("t1", server.url("/files/data.bin"), Checks.none());

        assertThat(((TransferOutcome.Failed) outcome).reason()).contains("gave up after 4 attempts").contains("answered 500");
    }

    @Test
    void aRedirectToADisallowedHostIsRefused() throws Exception {
        String url = server.url("/redirect?to=" + java.net.URLEncoder.encode("https://evil.example.com/x",
                java.nio.charset.StandardCharsets.UTF_8));

        TransferOutcome outcome = run("t1", url, Checks.none());

        assertThat(((TransferOutcome.Failed) outcome).reason()).contains("redirect was refused").contains("evil.example.com");
    }

    @Test
    void aRedirectToAMetadataAddressIsRefusedEvenWhenItsHostIsListed() throws Exception {
        String url = server.url("/redirect?to=" + java.net.URLEncoder.encode("http://169.254.169.254/latest/meta-data/",
                java.nio.charset.StandardCharsets.UTF_8));

        TransferOutcome outcome = run("t1", url, Checks.none());

        assertThat(((TransferOutcome.Failed) outcome).reason()).contains("redirect was refused").contains("metadata");
        assertThat(partialFiles()).isEmpty();
    }

    @Test
    void aRedirectToAnAllowedPlaceIsFollowed() throws Exception {
        String url = server.url("/redirect?to=" + java.net.URLEncoder.encode(server.url("/files/data.bin"),
                java.nio.charset.StandardCharsets.UTF_8));

        TransferOutcome outcome = run("t1", url, new Checks((long) data.length, md5));

        assertThat(outcome).isInstanceOf(TransferOutcome.Completed.class);
    }

    @Test
    void aCancelledTransferStopsAndRemovesItsPartialFile() throws Exception {
        CompletableFuture<TransferOutcome> running = submit("t1", server.url("/hold/data.bin"), Checks.none());
        await().atMost(Duration.ofSeconds(30)).until(() -> !partialFiles().isEmpty());

        assertThat(engine.cancel("t1")).isTrue();

        assertThat(running.get(30, TimeUnit.SECONDS)).isInstanceOf(TransferOutcome.Cancelled.class);
        assertThat(partialFiles()).isEmpty();
        assertThat(Files.exists(store.root().resolve(TARGET))).isFalse();
        server.release("data.bin");
    }

    @Test
    void twoTransfersOfTheSameItemFetchItOnce() throws Exception {
        CompletableFuture<TransferOutcome> first = submit("t1", server.url("/hold/data.bin"), new Checks((long) data.length, md5));
        await().atMost(Duration.ofSeconds(30)).until(() -> server.requests("/hold/data.bin") == 1);
        CompletableFuture<TransferOutcome> second = submit("t2", server.url("/hold/data.bin"), new Checks((long) data.length, md5));

        server.release("data.bin");

        TransferOutcome.Completed a = (TransferOutcome.Completed) first.get(30, TimeUnit.SECONDS);
        TransferOutcome.Completed b = (TransferOutcome.Completed) second.get(30, TimeUnit.SECONDS);
        assertThat(a.transferred()).isTrue();
        assertThat(b.transferred()).isFalse();
        assertThat(server.requests("/hold/data.bin")).isEqualTo(1);
    }

    @Test
    void aStalledSourceIsDroppedAndRetried() throws Exception {
        engine.close();
        engine = engine(Duration.ofMillis(300));
        CompletableFuture<TransferOutcome> running = submit("t1", server.url("/hold/data.bin"), new Checks((long) data.length, md5));

        await().atMost(Duration.ofSeconds(30)).until(() -> server.requests("/hold/data.bin") >= 2);
        server.release("data.bin");

        assertThat(running.get(30, TimeUnit.SECONDS)).isInstanceOf(TransferOutcome.Completed.class);
        assertThat(server.ranges("/hold/data.bin").get(1)).startsWith("bytes=");
        assertThat(Files.readAllBytes(store.root().resolve(TARGET))).isEqualTo(data);
    }

    @Test
    void copiesFromAnAllowedLocalFolder() throws Exception {
        String url = server.root().resolve("data.bin").toUri().toString();

        TransferOutcome outcome = run("t1", url, new Checks((long) data.length, md5));

        assertThat(((TransferOutcome.Completed) outcome).file().sha256()).isEqualTo(sha256);
    }

    @Test
    void targetLocksDoNotGrowWithTheNumberOfTargets() throws Exception {
        Files.writeString(server.root().resolve("small.txt"), "small");
        String url = server.root().resolve("small.txt").toUri().toString();
        List<Integer> lockedWhileRunning = new CopyOnWriteArrayList<>();
        List<CompletableFuture<TransferOutcome>> transfers = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            TransferSpec spec = new TransferSpec("t" + i, "home/alice/broker/e1/small-" + i + ".txt", policy.check(url),
                    Checks.none());
            transfers.add(engine.submit(spec, (done, total) -> lockedWhileRunning.add(engine.lockedTargets())));
        }
        for (CompletableFuture<TransferOutcome> transfer : transfers) {
            assertThat(transfer.get(60, TimeUnit.SECONDS)).isInstanceOf(TransferOutcome.Completed.class);
        }

        assertThat(lockedWhileRunning).isNotEmpty().allMatch(locked -> locked >= 1 && locked <= 2,
                "at most one lock per worker (2), however many targets");
        assertThat(engine.lockedTargets()).as("no lock outlives its transfer").isZero();
    }

    private List<Path> partialFiles() throws IOException {
        Path root = store.root();
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
    }

    /** The local store, except that the first upload's writes fail once {@code limit} bytes are written (a full disk). */
    private static final class FailingWrites implements orrery.staging.backend.storage.StagingStore {
        private final LocalStagingStore local;
        private final long limit;
        private boolean failed;

        FailingWrites(LocalStagingStore local, long limit) {
            this.local = local;
            this.limit = limit;
        }

        @Override
        public String name() {
            return local.name();
        }

        @Override
        public void ensureFolder(String folder) throws IOException {
            local.ensureFolder(folder);
        }

        @Override
        public java.util.Optional<orrery.staging.domain.StoredFile> stat(String path) throws IOException {
            return local.stat(path);
        }

        @Override
        public void discardPartial(String path, String taskId) throws IOException {
            local.discardPartial(path, taskId);
        }

        @Override
        public synchronized Upload begin(String path, String taskId, Long expectedSize, String expectedMd5) throws IOException {
            Upload upload = local.begin(path, taskId, expectedSize, expectedMd5);
            if (failed) {
                return upload;
            }
            failed = true;
            return new Upload() {
                @Override
                public long resumableBytes() {
                    return upload.resumableBytes();
                }

                @Override
                public java.io.InputStream partial() throws IOException {
                    return upload.partial();
                }

                @Override
                public java.io.OutputStream open(long offset) throws IOException {
                    java.io.OutputStream out = upload.open(offset);
                    return new java.io.FilterOutputStream(out) {
                        private long written;

                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            if (written + len > limit) {
                                throw new IOException("No space left on device (test)");
                            }
                            out.write(b, off, len);
                            written += len;
                        }
                    };
                }

                @Override
                public void commit(orrery.staging.domain.StoredFile verified) throws IOException {
                    upload.commit(verified);
                }

                @Override
                public void abort() {
                    upload.abort();
                }

                @Override
                public void close() {
                    upload.close();
                }
            };
        }
    }
}
