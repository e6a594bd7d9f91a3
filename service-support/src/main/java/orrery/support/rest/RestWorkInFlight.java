package orrery.support.rest;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import orrery.support.time.WorkInFlight;

/**
 * Counts every HTTP request as work in flight from its arrival to the end of its response, so that
 * a simulated clock does not move while a caller (the replay driver, a dashboard) waits for an
 * answer. On the system clock it counts nothing.
 */
@ApplicationScoped
public class RestWorkInFlight {

    void count(@Observes Router router, WorkInFlight inFlight) {
        if (inFlight == WorkInFlight.NONE) {
            return;
        }
        router.route().order(Integer.MIN_VALUE).handler(request -> {
            WorkInFlight.Work work = inFlight.enter(request.request().method() + " " + request.normalizedPath());
            request.addEndHandler(ignored -> work.close());
            request.next();
        });
    }
}
