package orrery.cli;

/** What {@code orrery} exits with, so scripts can rely on it. */
public final class ExitCodes {

    /** The build succeeded, or the target is up to date, or the command did what was asked. */
    public static final int OK = 0;
    /** The build failed (a command failed, or a cycle did not converge), or the target's last build failed. */
    public static final int FAILED = 1;
    /** The command line was wrong (picocli's usage error). */
    public static final int USAGE = 2;
    /** {@code status}: the target is not up to date (never built, or an input changed). */
    public static final int NOT_UP_TO_DATE = 3;
    /** The target or build does not exist, or nothing knows how to build it. */
    public static final int NOT_FOUND = 4;
    /** The dependency manager could not be reached or failed (5xx). */
    public static final int UNAVAILABLE = 5;
    /** The dependency manager refused the request (4xx other than 401, 403, 404), e.g. a source file as target. */
    public static final int REFUSED = 6;
    /** No token, a token the dependency manager does not accept (401), or not allowed (403). */
    public static final int UNAUTHORIZED = 7;

    private ExitCodes() {
    }
}
