package orrery.sim.workload;

/** A workload file that cannot be read at all (not one bad line: those are skipped and counted). */
public final class WorkloadFormatException extends RuntimeException {

    public WorkloadFormatException(String message) {
        super(message);
    }

    public WorkloadFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
