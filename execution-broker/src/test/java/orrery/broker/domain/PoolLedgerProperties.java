package orrery.broker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The ledger's views must answer exactly as a {@link CapacityCalendar} built from the same
 * bookings, whatever order bookings come and go in: the list-based calendar is the reference.
 */
class PoolLedgerProperties {

    private static final CapacitySchedule SCHEDULE = CompactSchedule.parse("{0,1000,10} {1000,2000,4} {2500,4000,8}");
    private static final Instant NOW = Instant.ofEpochSecond(0);

    record Step(long start, long length, int amount, boolean removeOne) {
    }

    record Ask(long start, long length, int amount, long latestEnd) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.longs().between(0, 3999), Arbitraries.longs().between(1, 1500),
                Arbitraries.integers().between(1, 6), Arbitraries.of(false, false, true)).as(Step::new);
        return step.list().ofMaxSize(80);
    }

    @Provide
    Arbitrary<List<Ask>> asks() {
        return Combinators.combine(Arbitraries.longs().between(-100, 4100), Arbitraries.longs().between(1, 2000),
                        Arbitraries.integers().between(1, 12), Arbitraries.of(4000L, 4200L, 2600L, 1500L))
                .as(Ask::new).list().ofMinSize(1).ofMaxSize(30);
    }

    @Property
    void answersAsTheListBasedCalendarDoes(@ForAll("steps") List<Step> steps, @ForAll("asks") List<Ask> asks) {
        PoolLedger ledger = new PoolLedger(NOW, Duration.ofDays(1));
        List<PoolLedger.Change> live = new ArrayList<>();
        long number = 0;
        for (Step step : steps) {
            if (step.removeOne() && !live.isEmpty()) {
                PoolLedger.Change gone = live.remove((int) (step.start() % live.size()));
                ledger.apply(List.of(new PoolLedger.Change(gone.id(), gone.booking(), ReservationState.RELEASED, null, ++number)));
            } else {
                Booking booking = new Booking(step.start(), step.start() + step.length(), step.amount());
                PoolLedger.Change change = new PoolLedger.Change(UUID.randomUUID(), booking, ReservationState.FIRM, null, ++number);
                live.add(change);
                ledger.apply(List.of(change));
            }
        }
        CapacityCalendar reference = new CapacityCalendar(SCHEDULE, live.stream().map(PoolLedger.Change::booking).toList());
        ledger.read(SCHEDULE, view -> {
            Calendar expected = reference;
            Calendar actual = view;
            for (Ask ask : asks) {
                long end = ask.start() + ask.length();
                assertThat(actual.largestFree(ask.start(), end)).as("largest free in [%d, %d)", ask.start(), end)
                        .isEqualTo(expected.largestFree(ask.start(), end));
                assertThat(actual.nextFit(ask.start(), ask.length(), ask.amount(), ask.latestEnd()))
                        .as("next fit of %d cores for %d s from %d, ending by %d", ask.amount(), ask.length(), ask.start(), ask.latestEnd())
                        .isEqualTo(expected.nextFit(ask.start(), ask.length(), ask.amount(), ask.latestEnd()));
                int free = actual.largestFree(ask.start(), end);
                if (free > 0) { // as the planner does: one more booking on top, then ask again
                    Booking offer = new Booking(ask.start(), end, free);
                    expected = expected.with(offer);
                    actual = actual.with(offer);
                }
            }
            return null;
        });
        assertThat(ledger.watermark()).isEqualTo(number);
        assertThat(ledger.live()).isEqualTo(live.size());
    }

    @Property
    void changePointsAreTheFirstOnesInsideTheSpan(@ForAll("steps") List<Step> steps) {
        PoolLedger ledger = new PoolLedger(NOW, Duration.ofDays(1));
        List<Booking> bookings = new ArrayList<>();
        for (Step step : steps) {
            Booking booking = new Booking(step.start(), step.start() + step.length(), step.amount());
            bookings.add(booking);
            ledger.apply(List.of(new PoolLedger.Change(UUID.randomUUID(), booking, ReservationState.FIRM, null, bookings.size())));
        }
        CapacityCalendar reference = new CapacityCalendar(SCHEDULE, bookings);
        ledger.read(SCHEDULE, view -> {
            assertThat(view.changes(500, 3000, 5)).containsExactly(reference.changes(500, 3000, 5));
            assertThat(view.changes(500, 3000, 1000)).containsExactly(reference.changes(500, 3000, 1000));
            return null;
        });
    }

    @Property
    void searchesFindTheFirstTimeOverOrWithinALimitAsAWalkDoes(@ForAll("steps") List<Step> steps, @ForAll("asks") List<Ask> asks) {
        ReservedProfile profile = new ReservedProfile();
        for (Step step : steps) {
            profile.add(new Booking(step.start(), step.start() + step.length(), step.amount()));
        }
        for (Ask ask : asks) {
            long from = ask.start();
            long to = from + ask.length();
            long limit = ask.amount();
            long[] times = new long[profile.size()];
            int count = profile.changes(from, to, times, 0, times.length);
            long above = ReservedProfile.NONE;
            long atMost = ReservedProfile.NONE;
            for (int i = count - 1; i >= 0; i--) {
                long reserved = profile.reservedAt(times[i]);
                above = reserved > limit ? times[i] : above;
                atMost = reserved <= limit ? times[i] : atMost;
            }
            assertThat(profile.firstAbove(from, to, limit)).as("first above %d in (%d, %d)", limit, from, to).isEqualTo(above);
            assertThat(profile.firstAtMost(from, to, limit)).as("first at most %d in (%d, %d)", limit, from, to).isEqualTo(atMost);
        }
    }
}
