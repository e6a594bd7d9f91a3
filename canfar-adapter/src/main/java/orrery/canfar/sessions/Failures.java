package orrery.canfar.sessions;

/** Reading database failures. */
final class Failures {

    private Failures() {
    }

    /** True when {@code failure} (or a cause) is PostgreSQL's unique_violation (SQLSTATE 23505). */
    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && (message.contains("23505") || message.contains("duplicate key"))) {
                return true;
            }
        }
        return false;
    }
}
