package orrery.support.messaging;

import io.smallrye.mutiny.Uni;
import orrery.model.envelope.Envelope;

/**
 * Handles one decoded envelope. It runs on a fresh, safe Vert.x context, so it may use
 * Hibernate Reactive. Failing the returned Uni counts as a transient error and the message is
 * redelivered; {@link orrery.model.envelope.EnvelopeFormatException} and
 * {@link orrery.model.problem.ProblemException} count as permanent and dead-letter it at once.
 */
@FunctionalInterface
public interface EnvelopeHandler {

    Uni<Disposition> handle(Envelope envelope, Delivery delivery);
}
