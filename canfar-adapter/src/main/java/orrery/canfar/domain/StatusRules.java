package orrery.canfar.domain;

import orrery.model.canfar.SessionStatus;

/**
 * Which status a session moves to when a backend reports on it. Final statuses are never left,
 * a session never goes back from Running to Pending, one that started passes through Running,
 * and once a delete was asked for the session is Terminating until it is gone.
 */
public final class StatusRules {

    private StatusRules() {
    }

    public static SessionStatus next(SessionStatus current, boolean deleteRequested, Observation seen) {
        if (current.isFinal()) {
            return current;
        }
        if (seen.gone()) {
            return SessionStatus.Terminated;
        }
        SessionStatus reported = seen.status();
        if (reported == null) {
            return current;
        }
        if (reported.isFinal()) {
            if (deleteRequested) {
                return SessionStatus.Terminated;
            }
            // A session that started is said to run before it is said to have ended, however
            // briefly it ran, so that whoever waits for Running hears it.
            return current == SessionStatus.Pending && seen.startTime() != null ? SessionStatus.Running : reported;
        }
        if (deleteRequested || reported == SessionStatus.Terminating) {
            return SessionStatus.Terminating;
        }
        if (current == SessionStatus.Running && reported == SessionStatus.Pending) {
            return current;
        }
        return reported;
    }
}
