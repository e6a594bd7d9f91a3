package orrery.broker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import orrery.model.problem.ProblemException;
import org.junit.jupiter.api.Test;

class CapacityCalendarTest {

    /** The schedule-1. */
    static final CapacitySchedule SCHEDULE_1 = ScheduleRequest.parseCompact(
            "{1707165008,1708374608,64} {1708374608,1710793808,96} {1710793808,1711398608,32} {1711398608,1713213008,128}");
    /** The schedule-2. */
    static final CapacitySchedule SCHEDULE_2 = ScheduleRequest.parseCompact(
            "{1707165008,1707769808,50} {1707769808,1708979408,80} {1708979408,1709584208,40} {1709584208,1712003408,100} "
                    + "{1712003408,1712608208,20} {1712608208,1714422608,60}");

    @Test
    void readsTheCompactSchedules() {
        assertThat(SCHEDULE_1.segments()).hasSize(4);
        assertThat(SCHEDULE_1.start()).isEqualTo(1707165008L);
        assertThat(SCHEDULE_1.end()).isEqualTo(1713213008L);
        assertThat(SCHEDULE_2.segments()).extracting(Segment::capacity).containsExactly(50, 80, 40, 100, 20, 60);
    }

    @Test
    void aRequestSpanningSegmentsMustFitInEachOfThem() {
        CapacityCalendar calendar = new CapacityCalendar(SCHEDULE_1, List.of());
        long across = 1708374608L; // boundary between 64 and 96

        assertThat(calendar.fits(across - 100, across + 100, 64)).isTrue();
        assertThat(calendar.fits(across - 100, across + 100, 65)).isFalse();
        assertThat(calendar.fits(across, across + 100, 96)).isTrue();
        assertThat(calendar.largestFree(across - 100, across + 100)).isEqualTo(64);
    }

    @Test
    void bookingsReduceWhatIsFree() {
        CapacityCalendar calendar = new CapacityCalendar(SCHEDULE_2, List.of(
                new Booking(1707165008L, 1707165008L + 3600, 30),
                new Booking(1707165008L + 1800, 1707165008L + 7200, 15)));

        assertThat(calendar.free(1707165008L, 1707165008L + 10_000)).containsExactly(
                new FreeSpan(1707165008L, 1707165008L + 1800, 20),
                new FreeSpan(1707165008L + 1800, 1707165008L + 3600, 5),
                new FreeSpan(1707165008L + 3600, 1707165008L + 7200, 35),
                new FreeSpan(1707165008L + 7200, 1707165008L + 10_000, 50));
        assertThat(calendar.fits(1707165008L, 1707165008L + 3600, 6)).isFalse();
        assertThat(calendar.fits(1707165008L + 3600, 1707165008L + 7200, 35)).isTrue();
    }

    @Test
    void outsideTheScheduleNothingFits() {
        CapacityCalendar calendar = new CapacityCalendar(SCHEDULE_1, List.of());

        assertThat(calendar.fits(1707165008L - 10, 1707165008L + 10, 1)).isFalse();
        assertThat(calendar.fits(1713213008L - 10, 1713213008L + 10, 1)).isFalse();
        assertThat(calendar.free(1713213008L - 10, 1713213008L + 10))
                .containsExactly(new FreeSpan(1713213008L - 10, 1713213008L, 128), new FreeSpan(1713213008L, 1713213008L + 10, 0));
    }

    @Test
    void suggestsTheNextTimeframeWithTheAmountFree() {
        long t = 1707165008L;
        CapacityCalendar calendar = new CapacityCalendar(SCHEDULE_1, List.of(new Booking(t, t + 3600, 60)));

        assertThat(calendar.nextFit(t, 1800, 10, SCHEDULE_1.end())).isEqualTo(t + 3600);
        assertThat(calendar.nextFit(t, 1800, 4, SCHEDULE_1.end())).isEqualTo(t);
        assertThat(calendar.nextFit(t, 1800, 100, SCHEDULE_1.end())).isEqualTo(1711398608L); // the 128-core segment
        assertThat(calendar.nextFit(t, 1800, 500, SCHEDULE_1.end())).isEqualTo(-1);
    }

    @Test
    void withAddsABookingWithoutChangingTheOriginal() {
        long t = 1707165008L;
        CapacityCalendar empty = new CapacityCalendar(SCHEDULE_1, List.of());

        CapacityCalendar booked = empty.with(new Booking(t, t + 60, 64));

        assertThat(booked.fits(t, t + 60, 1)).isFalse();
        assertThat(empty.fits(t, t + 60, 64)).isTrue();
    }

    @Test
    void refusesOverlappingSegments() {
        assertThatThrownBy(() -> ScheduleRequest.parseCompact("{0,100,5} {50,150,5}")).hasMessageContaining("overlap");
        assertThatThrownBy(() -> ScheduleRequest.parseCompact("{0,100,5} nonsense")).hasMessageContaining("cannot read 'nonsense'");
    }

    @Test
    void readsAndChecksReservationRequests() throws Exception {
        ObjectMapper json = new ObjectMapper();

        ReservationRequest ok = ReservationRequest.parse(json.readTree(
                "{\"start_time\":1707165008,\"end_time\":1707168608,\"amount\":4,\"user_id\":\"alice\"}"));

        assertThat(ok).isEqualTo(new ReservationRequest(1707165008L, 1707168608L, 4, "alice"));
        assertRefused(json, "{\"start_time\":\"1707165008\",\"end_time\":1707168608,\"amount\":4}", "not-unix-seconds", "string");
        assertRefused(json, "{\"start_time\":1707165008.5,\"end_time\":1707168608,\"amount\":4}", "not-unix-seconds", "fraction");
        assertRefused(json, "{\"start_time\":-5,\"end_time\":1707168608,\"amount\":4}", "not-unix-seconds", "negative");
        assertRefused(json, "{\"start_time\":17071650080,\"end_time\":17071686080,\"amount\":4}", "not-unix-seconds", "10 digits");
        assertRefused(json, "{\"start_time\":1707168608,\"end_time\":1707165008,\"amount\":4}", "start-not-before-end", "before");
        assertRefused(json, "{\"start_time\":1707165008,\"end_time\":1707168608,\"amount\":0}", "invalid-amount", "positive");
        assertRefused(json, "{\"start_time\":1707165008,\"end_time\":1707168608,\"amount\":2.5}", "invalid-amount", "positive");
        assertRefused(json, "{\"start_time\":1707165008,\"end_time\":1707168608,\"amount\":4,\"cores\":4}", "unknown-field", "cores");
        assertRefused(json, "{\"end_time\":1707168608,\"amount\":4}", "missing-field", "start_time");
    }

    private static void assertRefused(ObjectMapper json, String body, String slug, String detail) throws Exception {
        assertThatThrownBy(() -> ReservationRequest.parse(json.readTree(body)))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining(detail)
                .satisfies(e -> assertThat(((ProblemException) e).problem().slug()).isEqualTo(slug));
    }
}
