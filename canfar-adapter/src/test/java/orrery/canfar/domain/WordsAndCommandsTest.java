package orrery.canfar.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import orrery.model.canfar.SessionStatus;
import orrery.model.problem.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit statuses in words, skaha's statuses, and the notebook command line. */
class WordsAndCommandsTest {

    @TempDir
    Path folder;

    @Test
    void describesExitStatuses() {
        assertThat(ExitStatus.describe(0)).contains("status 0");
        assertThat(ExitStatus.describe(3)).contains("status 3");
        assertThat(ExitStatus.describe(127)).contains("not found");
        assertThat(ExitStatus.describe(137)).contains("signal 9 (SIGKILL)");
        assertThat(ExitStatus.describe(143)).contains("signal 15 (SIGTERM)");
    }

    @Test
    void mapsSkahasStatuses() {
        assertThat(SkahaStatuses.map("Pending")).isEqualTo(SessionStatus.Pending);
        assertThat(SkahaStatuses.map("Running")).isEqualTo(SessionStatus.Running);
        assertThat(SkahaStatuses.map("Succeeded")).isEqualTo(SessionStatus.Succeeded);
        assertThat(SkahaStatuses.map("Error")).isEqualTo(SessionStatus.Failed);
        assertThat(SkahaStatuses.map("Failed")).isEqualTo(SessionStatus.Failed);
        assertThat(SkahaStatuses.map("Terminating")).isEqualTo(SessionStatus.Terminating);
        assertThat(SkahaStatuses.map("Unknown")).isNull();
        assertThat(SkahaStatuses.map(null)).isNull();
    }

    @Test
    void picksTheOneNotebookOrTheNamedOne() throws Exception {
        Path analysis = Files.writeString(folder.resolve("analysis.ipynb"), "{}");
        Files.writeString(folder.resolve("analysis-executed.ipynb"), "{}");

        assertThat(NotebookCommand.pick(folder, null)).isEqualTo(analysis);
        Files.writeString(folder.resolve("other.ipynb"), "{}");
        assertThatThrownBy(() -> NotebookCommand.pick(folder, null)).isInstanceOf(ProblemException.class)
                .hasMessageContaining("2 notebooks");
        assertThat(NotebookCommand.pick(folder, "other.ipynb")).isEqualTo(folder.resolve("other.ipynb"));
        assertThatThrownBy(() -> NotebookCommand.pick(folder, "../escape.ipynb")).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> NotebookCommand.pick(folder, "script.py")).isInstanceOf(ProblemException.class)
                .hasMessageContaining(".ipynb");
    }

    @Test
    void executesTheNotebookInPlaceOfAnExecutedCopy() {
        assertThat(NotebookCommand.argv("/usr/bin/jupyter", folder.resolve("analysis.ipynb")))
                .containsExactly("/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute",
                        "--ExecutePreprocessor.timeout=-1", "--output", "analysis-executed",
                        folder.resolve("analysis.ipynb").toString());
    }
}
