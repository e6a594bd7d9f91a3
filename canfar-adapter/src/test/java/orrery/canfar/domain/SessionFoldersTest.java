package orrery.canfar.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import orrery.model.problem.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionFoldersTest {

    @TempDir
    Path temp;

    @Test
    void resolvesAFolderUnderTheRoot() throws Exception {
        Path root = Files.createDirectories(temp.resolve("storage"));
        Path session = Files.createDirectories(root.resolve("home/alice/broker/e1"));

        assertThat(new SessionFolders(root).resolve("home/alice/broker/e1")).isEqualTo(session.toRealPath());
    }

    @Test
    void refusesFoldersOutsideTheRoot() throws Exception {
        Path root = Files.createDirectories(temp.resolve("storage"));
        Files.createDirectories(temp.resolve("elsewhere"));
        Files.createSymbolicLink(root.resolve("link"), temp.resolve("elsewhere"));
        SessionFolders folders = new SessionFolders(root);

        assertThatThrownBy(() -> folders.resolve("../elsewhere")).isInstanceOf(ProblemException.class)
                .hasMessageContaining("escapes the storage root");
        assertThatThrownBy(() -> folders.resolve(temp.resolve("elsewhere").toString())).isInstanceOf(ProblemException.class)
                .hasMessageContaining("relative");
        assertThatThrownBy(() -> folders.resolve("link")).isInstanceOf(ProblemException.class)
                .hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> folders.resolve(".")).isInstanceOf(ProblemException.class)
                .hasMessageContaining("escapes");
        assertThatThrownBy(() -> folders.resolve(" ")).isInstanceOf(ProblemException.class)
                .hasMessageContaining("required");
    }

    @Test
    void refusesAFolderThatWasNeverStaged() throws Exception {
        Path root = Files.createDirectories(temp.resolve("storage"));

        assertThatThrownBy(() -> new SessionFolders(root).resolve("home/alice/missing"))
                .isInstanceOf(ProblemException.class).hasMessageContaining("stage the session's files");
    }
}
