package orrery.deps.domain.shell;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import orrery.model.build.RelativePaths;

/**
 * Turns a rule's command into the arguments for one target. Commands run in the target's
 * folder, so names are given relative to it:
 * {@code $@} the target, {@code $<} the main input, {@code $^} every input (one word each; only as
 * a whole word), and {@code %} the stem's file name ({@code paper} for {@code docs/paper.pdf}
 * under {@code %.pdf}). For inputs in other folders use {@code $<} and {@code $^}.
 */
public final class CommandLine {

    private CommandLine() {
    }

    public static List<String> expand(List<String> command, String stem, String target, List<String> inputs) {
        Path folder = Path.of(RelativePaths.folder(target));
        String stemName = stem == null ? "" : RelativePaths.fileName(stem);
        List<String> args = new ArrayList<>();
        for (String word : command) {
            if (word.equals("$^")) {
                inputs.forEach(input -> args.add(relative(folder, input)));
                continue;
            }
            String main = inputs.isEmpty() ? "" : relative(folder, inputs.get(0));
            args.add(word.replace("$@", relative(folder, target)).replace("$<", main).replace("%", stemName));
        }
        return args;
    }

    private static String relative(Path folder, String path) {
        return folder.relativize(Path.of(path)).toString();
    }
}
