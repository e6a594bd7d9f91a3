package orrery.sim.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Where the controller's wall time went: each stretch counts towards what held the clock then. */
class WallTimeBreakdownTest {

    private static final Instant T = Instant.parse("2026-03-01T00:00:00Z");

    @Test
    void eachStretchCountsTowardsTheCategoryBeforeItLargestFirst() {
        WallTimeBreakdown breakdown = new WallTimeBreakdown(T);
        breakdown.now("waiting for execution-broker", T);
        breakdown.now("checking JetStream", T.plusSeconds(3));
        breakdown.now("waiting for execution-broker", T.plusSeconds(4));
        breakdown.now("finished", T.plusSeconds(10));

        assertThat(breakdown.summary(2)).isEqualTo("waiting for execution-broker 9.0 s (90%); checking JetStream 1.0 s (10%)");
    }

    @Test
    void waitsAreGroupedByWhomTheyWaitForNotByWhatTheyHold() {
        assertThat(WallTimeBreakdown.categoryOf("waiting for canfar-adapter (busy, 1 in flight: message on tasks.canfar.launch); "
                + "execution-broker (busy, 2 in flight: POST /api/v1/offersets, work on a safe context)"))
                .isEqualTo("waiting for canfar-adapter, execution-broker");
        assertThat(WallTimeBreakdown.categoryOf("JetStream: EVENTS/broker-session-events has 0 pending, 1 awaiting ack"))
                .isEqualTo("JetStream not quiet");
        assertThat(WallTimeBreakdown.categoryOf("waiting for replay to join")).isEqualTo("waiting for replay to join");
    }
}
