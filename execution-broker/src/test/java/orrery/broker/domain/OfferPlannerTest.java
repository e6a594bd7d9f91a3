package orrery.broker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import orrery.model.schedule.IsoSchedule;
import orrery.model.schedule.TimeInterval;
import org.junit.jupiter.api.Test;

class OfferPlannerTest {

    private static final Instant EIGHT = Instant.parse("2024-08-30T08:00:00Z");
    private static final TimeInterval WINDOW = IsoSchedule.parseInterval("2024-08-30T09:45:00Z/PT1H");
    private static final CapacitySchedule ALWAYS_64 = CompactSchedule.parse("{0,4102444800,64}");
    private final OfferPlanner planner = new OfferPlanner(4, Duration.ofMinutes(1), Duration.ofDays(7));

    private static OfferAsk ask(List<TimeInterval> windows, int minCores, int maxCores) {
        List<OfferAsk.Window> asked = windows.isEmpty()
                ? List.of(new OfferAsk.Window(null, Duration.ofHours(2), Duration.ofHours(3)))
                : windows.stream().map(w -> new OfferAsk.Window(w, Duration.ofHours(2), Duration.ofHours(3))).toList();
        return new OfferAsk(asked, minCores, maxCores, 4, 8);
    }

    @Test
    void everyOfferStartsInsideTheRequestedWindowNeverAfterIt() {
        OfferPlan plan = planner.plan(ask(List.of(WINDOW), 4, 4), Duration.ofMinutes(10), EIGHT,
                new CapacityCalendar(ALWAYS_64, List.of()));

        assertThat(plan.yes()).isTrue();
        assertThat(plan.offers()).hasSizeBetween(2, 4);
        assertThat(plan.offers()).allSatisfy(offer -> {
            assertThat(offer.start()).isBetween(WINDOW.start(), WINDOW.end());
            assertThat(offer.cores()).isEqualTo(4);
            assertThat(offer.duration()).isEqualTo(Duration.ofHours(3));
            assertThat(offer.preparationStart()).isEqualTo(offer.start().minus(Duration.ofMinutes(10)));
        });
        assertThat(plan.offers().get(0).start()).isEqualTo(WINDOW.start());
        assertThat(plan.offers()).extracting(PlannedOffer::start).doesNotHaveDuplicates()
                .noneMatch(start -> start.equals(Instant.parse("2024-08-30T11:45:00Z")));
    }

    @Test
    void preparationPushesTheEarliestStartBack() {
        Instant nine40 = Instant.parse("2024-08-30T09:40:00Z");

        OfferPlan plan = planner.plan(ask(List.of(WINDOW), 4, 4), Duration.ofMinutes(12), nine40,
                new CapacityCalendar(ALWAYS_64, List.of()));

        assertThat(plan.offers().get(0).start()).isEqualTo(Instant.parse("2024-08-30T09:52:00Z"));
        assertThat(plan.offers()).allSatisfy(o -> assertThat(o.preparationStart()).isAfterOrEqualTo(nine40));
    }

    @Test
    void aWindowThatClosesBeforePreparationCanFinishGetsNoWithAReason() {
        OfferPlan plan = planner.plan(ask(List.of(WINDOW), 4, 4), Duration.ofHours(3), EIGHT,
                new CapacityCalendar(ALWAYS_64, List.of()));

        assertThat(plan.yes()).isFalse();
        assertThat(plan.reasons()).singleElement().asString().contains("closes before preparation (PT3H)")
                .contains("earliest possible start is 2024-08-30T11:00:00Z");
    }

    @Test
    void offersFewerCoresWhenThatIsWhatFits() {
        long from = WINDOW.start().getEpochSecond() - 3600;
        CapacityCalendar busy = new CapacityCalendar(CompactSchedule.parse("{0,4102444800,8}"),
                List.of(new Booking(from, from + 24 * 3600, 6)));

        OfferPlan plan = planner.plan(ask(List.of(WINDOW), 1, 4), Duration.ofMinutes(10), EIGHT, busy);

        assertThat(plan.offers()).isNotEmpty().allSatisfy(o -> assertThat(o.cores()).isBetween(1, 2));
        assertThat(plan.offers().get(0).cores()).isEqualTo(2);
        assertThat(plan.offers().get(0).memory()).isEqualTo(5); // scaled: 4 + (2-1)/(4-1) * (8-4)
    }

    @Test
    void offersALaterStartWhereCapacityFreesUp() {
        Instant tenFifteen = Instant.parse("2024-08-30T10:15:00Z");
        CapacityCalendar busy = new CapacityCalendar(CompactSchedule.parse("{0,4102444800,8}"),
                List.of(new Booking(0, tenFifteen.getEpochSecond(), 8)));

        OfferPlan plan = planner.plan(ask(List.of(WINDOW), 4, 4), Duration.ofMinutes(10), EIGHT, busy);

        assertThat(plan.offers()).isNotEmpty();
        assertThat(plan.offers().get(0).start()).isEqualTo(tenFifteen);
        assertThat(plan.offers()).allSatisfy(o -> assertThat(o.start()).isBetween(tenFifteen, WINDOW.end()));
    }

    @Test
    void withoutARequestedStartOffersComeAsSoonAsPreparationAllows() {
        OfferPlan plan = planner.plan(ask(List.of(), 4, 4), Duration.ofMinutes(7), Instant.parse("2024-08-30T08:00:30Z"),
                new CapacityCalendar(ALWAYS_64, List.of()));

        assertThat(plan.offers().get(0).start()).isEqualTo(Instant.parse("2024-08-30T08:08:00Z"));
    }

    @Test
    void theOffersFitTheCalendarTogether() {
        CapacityCalendar tight = new CapacityCalendar(CompactSchedule.parse("{0,4102444800,10}"), List.of());

        OfferPlan plan = planner.plan(ask(List.of(WINDOW), 4, 4), Duration.ofMinutes(10), EIGHT, tight);

        CapacityCalendar held = tight;
        for (PlannedOffer offer : plan.offers()) {
            assertThat(held.fits(offer.booking().start(), offer.booking().end(), offer.cores())).isTrue();
            held = held.with(offer.booking());
        }
        assertThat(plan.offers()).hasSizeLessThanOrEqualTo(2); // 10 cores hold at most two overlapping 4-core offers
    }

    @Test
    void anExactStartIsKeptExactly() {
        TimeInterval exact = TimeInterval.at(Instant.parse("2024-08-30T09:45:30Z"));

        OfferPlan plan = planner.plan(ask(List.of(exact), 4, 4), Duration.ofMinutes(10), EIGHT,
                new CapacityCalendar(ALWAYS_64, List.of()));

        assertThat(plan.offers()).singleElement().satisfies(o -> assertThat(o.start()).isEqualTo(exact.start()));
    }

    @Test
    void saysWhenThePoolDoesNotCoverTheWindow() {
        OfferPlan plan = planner.plan(ask(List.of(WINDOW), 4, 4), Duration.ofMinutes(10), EIGHT,
                new CapacityCalendar(CompactSchedule.parse("{0,1000,64}"), List.of()));

        assertThat(plan.yes()).isFalse();
        assertThat(plan.reasons()).singleElement().asString().contains("does not cover");
    }
}
