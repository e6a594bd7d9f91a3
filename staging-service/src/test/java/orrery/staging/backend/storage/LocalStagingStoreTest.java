package orrery.staging.backend.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import orrery.model.problem.ProblemException;
import orrery.staging.domain.StoredFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStagingStoreTest {

    @TempDir
    Path tmp;

    private LocalStagingStore store;

    @BeforeEach
    void create() throws IOException {
        store = new LocalStagingStore(tmp.resolve("root"));
    }

    @Test
    void statComputesDigestsOfAFileAlreadyThere() throws IOException {
        Path file = store.root().resolve("home/alice/broker/e/a.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "hello");

        StoredFile stored = store.stat("home/alice/broker/e/a.txt").orElseThrow();

        assertThat(stored.size()).isEqualTo(5);
        assertThat(stored.md5()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        assertThat(stored.sha256()).isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assertThat(store.stat("home/alice/broker/e/none.txt")).isEmpty();
    }

    @Test
    void nothingIsVisibleUnderTheNameBeforeCommit() throws IOException {
        try (StagingStore.Upload upload = store.begin("home/alice/broker/e/a.txt", "t1", null, null)) {
            OutputStream out = upload.open(0);
            out.write("hello".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(store.stat("home/alice/broker/e/a.txt")).isEmpty();

            upload.commit(new StoredFile(5, "5d41402abc4b2a76b9719d911017c592", "x"));
        }

        assertThat(Files.readString(store.root().resolve("home/alice/broker/e/a.txt"))).isEqualTo("hello");
    }

    @Test
    void anUploadWithDirectIoIsCommittedWholeAndResumableWhereverTheLastAttemptEnded() throws Exception {
        LocalStagingStore direct = new LocalStagingStore(tmp.resolve("direct"), 10_000, true);
        uploadsInTwoAttempts(direct);

        if (directIoWorksIn(direct.root())) {
            assertThat(direct.directBytes()).as("whole blocks went out with direct I/O").isGreaterThan(1_900_000);
        } else {
            assertThat(direct.directBytes()).as("this file system refuses direct I/O: all through the page cache").isZero();
        }
    }

    @Test
    void anUploadThroughThePageCacheWrittenBackEarlyManyTimesIsCommittedWholeAndResumable() throws Exception {
        uploadsInTwoAttempts(new LocalStagingStore(tmp.resolve("buffered"), 10_000, false)); // a write-back every 10 kB
    }

    private static boolean directIoWorksIn(Path folder) {
        try (java.nio.channels.FileChannel probe = java.nio.channels.FileChannel.open(folder.resolve("probe"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                com.sun.nio.file.ExtendedOpenOption.DIRECT)) {
            return probe.isOpen();
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Writes 1,000,000 bytes (not a whole number of blocks) in pieces, gives up, resumes in another attempt and
     * commits 2,000,000 in 1 MiB writes (an unaligned start, an odd tail).
     */
    private static void uploadsInTwoAttempts(LocalStagingStore store) throws Exception {
        long resumable = 1_000_000;
        byte[] data = new byte[2_000_000];
        new java.util.Random(3).nextBytes(data);
        String path = "home/alice/broker/e/big.bin";
        try (StagingStore.Upload first = store.begin(path, "t1", null, null)) {
            OutputStream out = first.open(0);
            for (int at = 0; at < 1_000_000; at += 3000) {
                out.write(data, at, Math.min(3000, 1_000_000 - at));
            }
        } // an attempt that ended: its partial file stays for the next one
        try (StagingStore.Upload second = store.begin(path, "t1", null, null)) {
            assertThat(second.resumableBytes()).isEqualTo(resumable);
            OutputStream out = second.open(resumable);
            for (int at = (int) resumable; at < data.length; at += 1 << 20) {
                out.write(data, at, Math.min(1 << 20, data.length - at));
            }
            second.commit(new StoredFile(data.length, "m", "s"));
        }

        assertThat(Files.readAllBytes(store.root().resolve(path))).isEqualTo(data);
        assertThat(store.stat(path).orElseThrow().md5()).as("remembered from the commit").isEqualTo("m");
    }

    @Test
    void statOfALargeFileHashesItWhole() throws Exception {
        byte[] data = new byte[5 * 1024 * 1024 + 3];
        new java.util.Random(5).nextBytes(data);
        Path file = store.root().resolve("home/alice/broker/e/large.bin");
        Files.createDirectories(file.getParent());
        Files.write(file, data);

        StoredFile stored = store.stat("home/alice/broker/e/large.bin").orElseThrow();

        assertThat(stored.size()).isEqualTo(data.length);
        assertThat(stored.md5()).isEqualTo(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("MD5").digest(data)));
        assertThat(stored.sha256()).isEqualTo(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(data)));
    }

    @Test
    void commitNeverReplacesAFileThatAppearedMeanwhile() throws IOException {
        Path target = store.root().resolve("home/alice/broker/e/a.txt");
        try (StagingStore.Upload upload = store.begin("home/alice/broker/e/a.txt", "t1", null, null)) {
            upload.open(0).write(1);
            Files.writeString(target, "theirs");

            assertThatThrownBy(() -> upload.commit(new StoredFile(1, null, null))).hasMessageContaining("not overwritten");
        }
        assertThat(Files.readString(target)).isEqualTo("theirs");
    }

    @Test
    void refusesAFolderThatLeadsOutOfTheUsersHomeThroughASymlink() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
        Path home = Files.createDirectories(store.root().resolve("home/alice"));
        Files.createSymbolicLink(home.resolve("broker"), outside);

        assertThatThrownBy(() -> store.ensureFolder("home/alice/broker/e"))
                .isInstanceOf(ProblemException.class).hasMessageContaining("outside the user's folder");
        assertThatThrownBy(() -> store.begin("home/alice/broker/e/x", "t", null, null))
                .isInstanceOf(ProblemException.class);
    }

    @Test
    void refusesToFollowASymlinkedFile() throws IOException {
        Path secret = Files.writeString(tmp.resolve("secret"), "s");
        Path folder = Files.createDirectories(store.root().resolve("home/alice/broker/e"));
        Files.createSymbolicLink(folder.resolve("a.txt"), secret);

        assertThatThrownBy(() -> store.stat("home/alice/broker/e/a.txt")).hasMessageContaining("symbolic link");
    }

    @Test
    void oneUserCannotReachAnotherThroughASymlink() throws IOException {
        Files.createDirectories(store.root().resolve("home/bob/broker/e"));
        Path alice = Files.createDirectories(store.root().resolve("home/alice"));
        Files.createSymbolicLink(alice.resolve("broker"), store.root().resolve("home/bob/broker"));

        assertThatThrownBy(() -> store.ensureFolder("home/alice/broker/e")).hasMessageContaining("outside the user's folder");
    }
}
