package orrery.sim.cli;

import java.io.PrintWriter;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;

/** A subcommand's progress lines on its standard error, whole lines from any thread. */
public final class StderrLog {

    private StderrLog() {
    }

    /** Lines printed as {@code <prefix>: <line>} on {@code spec}'s error stream. */
    public static Consumer<String> of(CommandSpec spec, String prefix) {
        PrintWriter err = spec.commandLine().getErr();
        return line -> {
            synchronized (err) {
                err.println(prefix + ": " + line);
                err.flush();
            }
        };
    }
}
