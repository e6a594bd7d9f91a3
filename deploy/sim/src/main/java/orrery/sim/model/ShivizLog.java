package orrery.sim.model;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The run's events for ShiViz (the distributed-log visualiser): {@code shiviz.log} starts with the
 * parser's regular expression and an empty line (no multiple-execution delimiter), as ShiViz
 * reads an uploaded file, then one line per event with its host, a description and its vector
 * clock as JSON (non-zero entries only):
 * <pre>
 * m0 "sent to m1 clock=3" {"m0":3,"m2":1}
 * </pre>
 */
final class ShivizLog implements AutoCloseable {

    static final String REGEX = "(?<host>\\S+) \"(?<event>[^\"]*)\" (?<clock>\\{.*\\})";

    private final BufferedWriter out;

    ShivizLog(Path file) {
        try {
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            out.write(REGEX);
            out.write("\n\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(Event e) {
        StringBuilder line = new StringBuilder(64).append('m').append(e.machine()).append(" \"").append(e.kind().word());
        switch (e.kind()) {
            case RECEIVED -> line.append(" from m").append(e.peers()[0]);
            case SENT -> line.append(e.peers().length == 1 ? " to m" + e.peers()[0] : " to all");
            case INTERNAL -> {
            }
        }
        line.append(" clock=").append(e.clock()).append("\" {");
        long[] v = e.vector();
        boolean first = true;
        for (int i = 0; i < v.length; i++) {
            if (v[i] != 0) {
                line.append(first ? "" : ",").append("\"m").append(i).append("\":").append(v[i]);
                first = false;
            }
        }
        line.append("}\n");
        try {
            out.write(line.toString());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
