package orrery.canfar.backend;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import orrery.canfar.backend.local.LocalBackend;
import orrery.canfar.backend.simulated.SimulatedBackend;
import orrery.canfar.backend.skaha.SkahaBackend;
import orrery.canfar.config.CanfarConfig;
import org.jboss.logging.Logger;

/** Chooses the backend at start-up from {@code orrery.canfar.backend}. */
public class Backends {

    private static final Logger LOG = Logger.getLogger(Backends.class);

    @Produces
    @ApplicationScoped
    SessionBackend backend(CanfarConfig config, Instance<LocalBackend> local, Instance<SkahaBackend> skaha,
                           Instance<SimulatedBackend> simulated) {
        LOG.infof("sessions run on the %s backend", config.backend());
        return switch (config.backend()) {
            case local -> local.get();
            case skaha -> skaha.get();
            case simulated -> simulated.get();
        };
    }
}
