package orrery.broker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CapacityCalendarTest {

    /** The schedule-1. */
    static final CapacitySchedule SCHEDULE_1 = CompactSchedule.parse(
            "{1707165008,1708374608,64} {1708374608,1710793808,96} {1710793808,1711398608,32} {1711398608,1713213008,128}");
    /** The schedule-2. */
    static final CapacitySchedule SCHEDULE_2 = CompactSchedule.parse(
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
        assertThatThrownBy(() -> CompactSchedule.parse("{0,100,5} {50,150,5}")).hasMessageContaining("overlap");
        assertThatThrownBy(() -> CompactSchedule.parse("{0,100,5} nonsense")).hasMessageContaining("cannot read 'nonsense'");
    }
}
