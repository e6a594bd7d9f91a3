package orrery.deps.backend.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the rules file lies inside one of the builder's roots, which the fs-watcher watches and
 * users write into. Its path is compared as given and with symbolic links resolved, against each
 * root as given and resolved, so neither a link in the tree pointing out nor a link out pointing in
 * hides it.
 */
final class RulesFileCheck {

    private RulesFileCheck() {
    }

    /** The reason the file may not be used, or empty when it lies outside every root. */
    static Optional<String> insideARoot(Path rulesFile, Map<String, Path> roots) {
        Path given = rulesFile.toAbsolutePath().normalize();
        Path real = real(given);
        for (Map.Entry<String, Path> root : roots.entrySet()) {
            Path folder = root.getValue().toAbsolutePath().normalize();
            Path realFolder = real(folder);
            if (given.startsWith(folder) || given.startsWith(realFolder) || real.startsWith(folder)
                    || real.startsWith(realFolder)) {
                return Optional.of("the shell builder's rules file " + given
                        + (real.equals(given) ? "" : " (" + real + ")") + " lies inside root '" + root.getKey() + "' ("
                        + folder + "), where anyone who can write files could add rules, that is run commands as "
                        + "this service. Move it outside every root (by default it is "
                        + "$ORRERY_RUN_DIR/shell-builder/rules.txt) and point ORRERY_SHELL_BUILDER_RULES_FILE at it, or, "
                        + "if everyone who may write into that root may also run commands here, set "
                        + "ORRERY_SHELL_BUILDER_ALLOW_RULES_IN_ROOT=true (orrery.shell-builder.allow-rules-in-root)");
            }
        }
        return Optional.empty();
    }

    private static Path real(Path path) {
        try {
            return Files.exists(path) ? path.toRealPath() : path;
        } catch (IOException e) {
            return path;
        }
    }
}
