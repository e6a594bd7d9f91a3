package orrery.deps.shell;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code orrery.shell-builder.*}: the shell builder that runs inside this service when enabled. */
@ConfigMapping(prefix = "orrery.shell-builder")
public interface ShellBuilderConfig {

    /** Run the shell builder in this process (it also needs {@code mp.messaging.incoming.shell-builder.enabled}). */
    @WithDefault("false")
    boolean enabled();

    /** The builder's name: it takes tasks on {@code tasks.build.<name>}. */
    @WithDefault("shell")
    String name();

    /** The rules file (see README); required when enabled. */
    Optional<String> rulesFile();

    /** The roots it builds in, as {@code name=/path,other=/path} (the fs-watcher's root names). */
    Optional<String> roots();

    /** How long one command may run. */
    @WithDefault("PT10M")
    Duration timeout();

    /** How many bytes of a command's output are kept (its end). */
    @WithDefault("65536")
    int logLimit();
}
