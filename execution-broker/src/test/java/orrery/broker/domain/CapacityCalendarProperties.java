package orrery.broker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CapacityCalendarProperties {

    private static final CapacitySchedule SCHEDULE = CompactSchedule.parse("{0,1000,10} {1000,2000,4} {2500,4000,8}");

    record Ask(long start, long length, int amount) {
    }

    @Provide
    Arbitrary<List<Ask>> asks() {
        Arbitrary<Ask> ask = Combinators.combine(Arbitraries.longs().between(0, 3999), Arbitraries.longs().between(1, 1500),
                Arbitraries.integers().between(1, 10)).as(Ask::new);
        return ask.list().ofMaxSize(60);
    }

    @Property
    void acceptedBookingsNeverExceedCapacity(@ForAll("asks") List<Ask> asks) {
        CapacityCalendar calendar = new CapacityCalendar(SCHEDULE, List.of());
        List<Booking> accepted = new ArrayList<>();
        for (Ask ask : asks) {
            long end = ask.start() + ask.length();
            if (calendar.fits(ask.start(), end, ask.amount())) {
                Booking booking = new Booking(ask.start(), end, ask.amount());
                calendar = calendar.with(booking);
                accepted.add(booking);
            }
        }
        for (long t = 0; t < 4200; t++) {
            long at = t;
            int reserved = accepted.stream().filter(b -> b.start() <= at && at < b.end()).mapToInt(Booking::amount).sum();
            assertThat(reserved).as("reserved at %d", t).isLessThanOrEqualTo(SCHEDULE.capacityAt(t));
        }
    }

    @Property
    void everyRefusalIsJustifiedByTheLargestFreeAmount(@ForAll("asks") List<Ask> asks) {
        CapacityCalendar calendar = new CapacityCalendar(SCHEDULE, List.of());
        for (Ask ask : asks) {
            long end = ask.start() + ask.length();
            boolean fits = calendar.fits(ask.start(), end, ask.amount());
            assertThat(fits).isEqualTo(SCHEDULE.covers(ask.start(), end) && calendar.largestFree(ask.start(), end) >= ask.amount());
            if (fits) {
                calendar = calendar.with(new Booking(ask.start(), end, ask.amount()));
            }
        }
    }

    @Property
    void aSuggestedTimeframeReallyFits(@ForAll("asks") List<Ask> asks) {
        CapacityCalendar calendar = new CapacityCalendar(SCHEDULE, List.of());
        for (Ask ask : asks) {
            long next = calendar.nextFit(ask.start(), ask.length(), ask.amount(), SCHEDULE.end());
            if (next >= 0) {
                assertThat(next).isGreaterThanOrEqualTo(Math.min(ask.start(), next));
                assertThat(calendar.fits(next, next + ask.length(), ask.amount())).isTrue();
                calendar = calendar.with(new Booking(next, next + ask.length(), ask.amount()));
            }
        }
    }

    @Property
    void theSuggestedTimeframeIsTheEarliestThatFits(@ForAll("asks") List<Ask> asks) {
        CapacityCalendar calendar = new CapacityCalendar(SCHEDULE, List.of());
        List<Booking> bookings = new ArrayList<>();
        for (Ask ask : asks) {
            long next = calendar.nextFit(ask.start(), ask.length(), ask.amount(), SCHEDULE.end());
            assertThat(next).as("next fit of %s", ask).isEqualTo(earliestFitByTryingEveryBreakpoint(calendar, bookings, ask));
            if (calendar.fits(ask.start(), ask.start() + ask.length(), ask.amount())) {
                Booking booking = new Booking(ask.start(), ask.start() + ask.length(), ask.amount());
                calendar = calendar.with(booking);
                bookings.add(booking);
            }
        }
    }

    /**
     * The oracle: free capacity only rises at a segment start or a booking end, so the earliest
     * fitting start is the asked start or one of those; try each in order.
     */
    private static long earliestFitByTryingEveryBreakpoint(CapacityCalendar calendar, List<Booking> bookings, Ask ask) {
        java.util.TreeSet<Long> candidates = new java.util.TreeSet<>();
        candidates.add(Math.max(ask.start(), SCHEDULE.start()));
        SCHEDULE.segments().forEach(segment -> candidates.add(segment.start()));
        bookings.forEach(booking -> candidates.add(booking.end()));
        for (long start : candidates.tailSet(Math.max(ask.start(), SCHEDULE.start()))) {
            if (start + ask.length() <= SCHEDULE.end() && calendar.fits(start, start + ask.length(), ask.amount())) {
                return start;
            }
        }
        return -1;
    }
}
