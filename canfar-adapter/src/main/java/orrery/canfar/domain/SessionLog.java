package orrery.canfar.domain;

import java.nio.file.Path;

/** A session's output: a file on this machine (streamed from an offset) or text the platform returned. */
public sealed interface SessionLog {

    record LocalFile(Path file, long offset) implements SessionLog {
    }

    record Text(String text) implements SessionLog {
    }
}
