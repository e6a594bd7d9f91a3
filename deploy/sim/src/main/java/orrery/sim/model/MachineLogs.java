package orrery.sim.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Each machine's own log file, {@code machine-<i>.log}, a line per event:
 * <pre>
 * 2026-03-01T00:00:01.333333333Z received clock=9 jump=5 queue=0 from=m2 carried=8
 * 2026-03-01T00:00:01.500Z sent clock=10 to=m1,m2
 * 2026-03-01T00:00:01.666666666Z internal clock=11
 * </pre>
 * Lines are kept per machine and appended in blocks, so a thousand machines need not hold a
 * thousand files open.
 */
final class MachineLogs implements AutoCloseable {

    private static final int BLOCK = 1 << 16;

    private final Path dir;
    private final Instant start;
    private final StringBuilder[] pending;

    MachineLogs(Path dir, Instant start, int machines) {
        this.dir = dir;
        this.start = start;
        this.pending = new StringBuilder[machines];
        for (int i = 0; i < machines; i++) {
            pending[i] = new StringBuilder();
            try {
                Files.deleteIfExists(file(dir, i));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static Path file(Path dir, int machine) {
        return dir.resolve("machine-" + machine + ".log");
    }

    void write(Event e) {
        StringBuilder line = pending[e.machine()];
        line.append(start.plusNanos(e.at())).append(' ').append(e.kind().word()).append(" clock=").append(e.clock());
        switch (e.kind()) {
            case RECEIVED -> line.append(" jump=").append(e.jump()).append(" queue=").append(e.queue())
                    .append(" from=m").append(e.peers()[0]).append(" carried=").append(e.carried());
            case SENT -> {
                line.append(" to=");
                for (int i = 0; i < e.peers().length; i++) {
                    line.append(i == 0 ? "m" : ",m").append(e.peers()[i]);
                }
            }
            case INTERNAL -> {
            }
        }
        line.append('\n');
        if (line.length() > BLOCK) {
            flush(e.machine());
        }
    }

    private void flush(int machine) {
        try {
            Files.writeString(file(dir, machine), pending[machine], StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        pending[machine].setLength(0);
    }

    @Override
    public void close() {
        for (int i = 0; i < pending.length; i++) {
            flush(i);
        }
    }
}
