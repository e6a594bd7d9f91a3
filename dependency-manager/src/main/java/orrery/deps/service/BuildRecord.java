package orrery.deps.service;

import java.time.Instant;
import orrery.deps.domain.Artefact;
import orrery.deps.domain.BuildRun;

/**
 * A build the service knows of: queued, running, or recently ended, with its events for
 * streaming. Used under {@link BuildState}'s lock.
 */
final class BuildRecord {

    /** Where a build is, from the outside. */
    enum Phase {
        QUEUED, RUNNING, SUCCEEDED, FAILED
    }

    final String id;
    final Artefact target;
    final String trigger;
    /** The user who asked for it; null for a build the service started because files changed. */
    final String owner;
    final Instant createdAt;
    final BuildEventStream events = new BuildEventStream();
    BuildRun run;
    Phase phase = Phase.QUEUED;
    Instant finishedAt;

    BuildRecord(String id, Artefact target, String trigger, String owner, Instant createdAt) {
        this.id = id;
        this.target = target;
        this.trigger = trigger;
        this.owner = owner;
        this.createdAt = createdAt;
    }

    boolean isOver() {
        return phase == Phase.SUCCEEDED || phase == Phase.FAILED;
    }
}
