package orrery.canfar.domain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The command line that executes a notebook headless with Jupyter: the executed copy is written
 * next to it as {@code <name>-executed.ipynb}, and no cell has a time limit of its own (the
 * booking's end, through a delete, is the limit).
 */
public final class NotebookCommand {

    private NotebookCommand() {
    }

    /**
     * Picks the notebook: {@code requested} (relative to the folder) when given, else the one
     * {@code .ipynb} file in the folder.
     */
    public static Path pick(Path folder, String requested) {
        if (requested != null && !requested.isBlank()) {
            Path notebook = folder.resolve(requested).normalize();
            if (!notebook.toString().endsWith(".ipynb")) {
                throw Refusals.invalidField("cmd", "for a notebook session, cmd names the notebook to execute (a .ipynb "
                        + "file in the session folder), not '" + requested + "'");
            }
            if (!SessionFolders.isInside(folder, notebook)) {
                throw Refusals.invalidField("cmd", "notebook '" + requested + "' is not a file in the session folder");
            }
            return notebook;
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> notebooks = files.filter(p -> p.getFileName().toString().endsWith(".ipynb"))
                    .filter(p -> !p.getFileName().toString().endsWith("-executed.ipynb"))
                    .filter(Files::isRegularFile).sorted().toList();
            if (notebooks.size() != 1) {
                throw Refusals.invalidField("cmd", "the session folder holds " + notebooks.size()
                        + " notebooks; name the one to execute in 'cmd'");
            }
            return notebooks.get(0);
        } catch (IOException e) {
            throw Refusals.invalid("workdir-missing", "The session folder cannot be read",
                    "cannot list the session folder: " + e.getMessage());
        }
    }

    /** {@code jupyter nbconvert --to notebook --execute ...} for {@code notebook}. */
    public static List<String> argv(String jupyter, Path notebook) {
        String file = notebook.getFileName().toString();
        String stem = file.substring(0, file.length() - ".ipynb".length());
        return List.of(jupyter, "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=-1", "--output", stem + "-executed", notebook.toString());
    }
}
