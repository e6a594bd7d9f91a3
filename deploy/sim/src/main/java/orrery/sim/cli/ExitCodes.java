package orrery.sim.cli;

/** What {@code orrery-sim} exits with, so scripts can rely on it. */
public final class ExitCodes {

    /** The run finished: it reached {@code --until}, or nothing was left to do before it. */
    public static final int OK = 0;
    /** Something unexpected failed (the message says what). */
    public static final int FAILED = 1;
    /** The command line was wrong (picocli's usage error). */
    public static final int USAGE = 2;
    /** NATS could not be reached. */
    public static final int NATS_UNREACHABLE = 3;
    /** NATS refused the login (user and password: --user/--password, or ORRERY_NATS_USERNAME/PASSWORD). */
    public static final int NATS_LOGIN = 4;
    /** Stopped (SIGTERM, as the shell reports it: 128 + 15) before the run finished. */
    public static final int STOPPED = 143;

    private ExitCodes() {
    }
}
