package orrery.support.messaging;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.envelope.EnvelopeFactory;
import orrery.model.time.LamportClock;
import orrery.model.time.TimeSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The envelope codec and factory of this service, stamped with its name as CloudEvents {@code source}. */
public class EnvelopeBeans {

    @Produces
    @Singleton
    EnvelopeCodec codec() {
        return new EnvelopeCodec();
    }

    @Produces
    @Singleton
    EnvelopeFactory factory(@ConfigProperty(name = "quarkus.application.name") String service, TimeSource time,
                            LamportClock clock, EnvelopeCodec codec) {
        return new EnvelopeFactory(service, time, clock, codec);
    }
}
