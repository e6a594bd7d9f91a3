package orrery.canfar.backend;

/** Whether a platform can take a session at all, and if not, why. */
public record Feasibility(boolean feasible, String reason) {

    public static Feasibility yes() {
        return new Feasibility(true, null);
    }

    public static Feasibility no(String reason) {
        return new Feasibility(false, reason);
    }
}
