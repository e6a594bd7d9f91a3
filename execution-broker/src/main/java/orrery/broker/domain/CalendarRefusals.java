package orrery.broker.domain;

import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;

/** Every way the capacity calendar refuses a request, each with a stable problem type. */
public final class CalendarRefusals {

    private CalendarRefusals() {
    }

    public static ProblemException notUnixSeconds(String field, String detail) {
        return new ProblemException(Problem.of("not-unix-seconds", 400, "A time is not in unix seconds",
                field + " " + detail + "; give whole seconds since 1970-01-01T00:00:00Z, e.g. 1707165008").with("field", field));
    }

    public static ProblemException startNotBeforeEnd(long start, long end) {
        return new ProblemException(Problem.of("start-not-before-end", 400, "The interval is empty or reversed",
                "start_time " + start + " must be before end_time " + end));
    }

    public static ProblemException invalidAmount(String detail) {
        return new ProblemException(Problem.of("invalid-amount", 400, "The amount is not a positive whole number of cores",
                detail).with("field", "amount"));
    }

    public static ProblemException amountExceedsCapacity(int amount, int largest, long start, long end) {
        return new ProblemException(Problem.of("amount-exceeds-capacity", 400, "The amount is more than the pool ever has",
                amount + " cores were asked for but the pool has at most " + largest + " in [" + start + ", " + end + ")")
                .with("maxCapacity", largest));
    }

    public static ProblemException outsideSchedule(long start, long end, CapacitySchedule schedule) {
        String covers = schedule.isEmpty() ? "the pool has no schedule"
                : "the pool's schedule covers [" + schedule.start() + ", " + schedule.end() + ")";
        ProblemException refusal = new ProblemException(Problem.of("outside-schedule", 400,
                "The interval is outside the pool's schedule", "[" + start + ", " + end + ") is not inside it: " + covers));
        return schedule.isEmpty() ? refusal : new ProblemException(refusal.problem()
                .with("scheduleStart", schedule.start()).with("scheduleEnd", schedule.end()));
    }

    public static ProblemException invalidSchedule(String detail) {
        return new ProblemException(Problem.of("invalid-schedule", 400, "The schedule is not valid", detail));
    }

    public static ProblemException unknownField(String field, String allowed) {
        return new ProblemException(Problem.of("unknown-field", 400, "The request has a field this API does not know",
                "unknown field '" + field + "'; allowed fields are " + allowed).with("field", field));
    }

    public static ProblemException missingField(String field) {
        return new ProblemException(Problem.of("missing-field", 400, "The request lacks a required field",
                "field '" + field + "' is required").with("field", field));
    }

    public static ProblemException unknownPool(String pool) {
        return new ProblemException(Problem.of("unknown-pool", 404, "No such pool", "there is no pool '" + pool + "'"));
    }
}
