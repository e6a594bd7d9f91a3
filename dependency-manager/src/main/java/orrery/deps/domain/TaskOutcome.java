package orrery.deps.domain;

/**
 * What a builder reported for one task.
 *
 * @param sha256 the target's hash after a successful build
 * @param reason why it failed, for a failure
 */
public record TaskOutcome(boolean succeeded, String sha256, String log, String reason) {

    public static TaskOutcome built(String sha256, String log) {
        return new TaskOutcome(true, sha256, log, null);
    }

    public static TaskOutcome failed(String reason, String log) {
        return new TaskOutcome(false, null, log, reason);
    }
}
