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
