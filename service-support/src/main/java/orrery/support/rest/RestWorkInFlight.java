package orrery.support.rest;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import orrery.support.time.WorkInFlight;

/**
 * Counts every HTTP request as work in flight from its arrival to the end of its response, so that
 * a simulated clock does not move while a caller (the replay driver, a dashboard) waits for an
 * answer. Server-sent event streams are not counted: a stream follows time as it passes, and
 * counting it would hold time until the stream ends, which it does only when time has moved on.
 * On the system clock nothing is counted.
 */
@ApplicationScoped
public class RestWorkInFlight {

    void count(@Observes Router router, WorkInFlight inFlight) {
        if (inFlight == WorkInFlight.NONE) {
            return;
        }
        router.route().order(Integer.MIN_VALUE).handler(request -> {
            String accept = request.request().getHeader("Accept");
            if (accept != null && accept.contains("text/event-stream")) {
                request.next();
                return;
            }
            WorkInFlight.Work work = inFlight.enter(request.request().method() + " " + request.normalizedPath());
            request.addEndHandler(ignored -> work.close());
            request.next();
        });
    }
}
