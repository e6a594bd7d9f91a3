package orrery.deps.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** {@code orrery.shell-builder.*}: the shell builder that runs inside this service when enabled. */
@ConfigMapping(prefix = "orrery.shell-builder")
public interface ShellBuilderConfig {

    /** Run the shell builder in this process. */
    @WithDefault("false")
    boolean enabled();

    /** The builder's name: it takes tasks on {@code tasks.build.<name>}. */
    @WithDefault("shell")
    String name();

    /**
     * The rules file (see README). application.properties defaults it to
     * {@code ${ORRERY_RUN_DIR:/tmp/orrery}/shell-builder/rules.txt}, outside the watched roots.
     */
    Optional<Path> rulesFile();

    /**
     * Read the rules file even though it lies inside one of the roots. Off by default: anyone who can
     * write into a watched root could then add rules, that is run commands as this service.
     */
    @WithDefault("false")
    boolean allowRulesInRoot();

    /** The roots it builds in, as {@code name=/path,other=/path} (the fs-watcher's root names). */
    Optional<String> roots();

    /** How long one command may run. */
    @WithDefault("PT10M")
    Duration timeout();

    /** How many bytes of a command's output are kept (its end). */
    @WithDefault("65536")
    int logLimit();

    /** {@code PATH} of the commands (a rule may set its own with {@code !env PATH=...}). */
    @WithDefault("/usr/local/bin:/usr/bin:/bin")
    String path();

    /**
     * {@code HOME} of the commands (created at start-up when missing). application.properties defaults
     * it to {@code ${ORRERY_RUN_DIR:/tmp/orrery}/shell-builder/home}.
     */
    Optional<Path> home();

    /** {@code LANG} of the commands. */
    @WithDefault("C.UTF-8")
    String lang();
}
