package orrery.broker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PoolLedgerTest {

    private static final CapacitySchedule EIGHT = CompactSchedule.parse("{0,4102444800,8}");
    private static final Instant NOW = Instant.ofEpochSecond(1_000_000);

    private final PoolLedger ledger = new PoolLedger(NOW, Duration.ofDays(1));

    @Test
    void aHeldReservationStopsCountingAtItsExpiry() {
        ledger.apply(List.of(held(UUID.randomUUID(), 1_000_100, 1_000_200, 5, NOW.plusSeconds(60), 1)));
        assertThat(free(1_000_100, 1_000_200)).isEqualTo(3);

        assertThat(ledger.advanceTo(NOW.plusSeconds(60))).isTrue();

        assertThat(free(1_000_100, 1_000_200)).isEqualTo(8);
        assertThat(ledger.live()).isZero();
    }

    @Test
    void aHeldReservationThatArrivesAlreadyLapsedNeverCounts() {
        ledger.advanceTo(NOW.plusSeconds(120));
        ledger.apply(List.of(held(UUID.randomUUID(), 1_000_100, 1_000_200, 5, NOW.plusSeconds(60), 1)));
        assertThat(free(1_000_100, 1_000_200)).isEqualTo(8);
        assertThat(ledger.watermark()).isEqualTo(1);
    }

    @Test
    void aChangeReplacesWhatTheReservationWasBefore() {
        UUID id = UUID.randomUUID();
        ledger.apply(List.of(held(id, 1_000_100, 1_000_200, 5, NOW.plusSeconds(60), 1)));
        // accepted: firm now, and it no longer lapses
        ledger.apply(List.of(new PoolLedger.Change(id, new Booking(1_000_100, 1_000_200, 5), ReservationState.FIRM, null, 2)));
        ledger.advanceTo(NOW.plusSeconds(600));
        assertThat(free(1_000_100, 1_000_200)).isEqualTo(3);
        // released
        ledger.apply(List.of(new PoolLedger.Change(id, new Booking(1_000_100, 1_000_200, 5), ReservationState.RELEASED, null, 3)));
        assertThat(free(1_000_100, 1_000_200)).isEqualTo(8);
        assertThat(ledger.watermark()).isEqualTo(3);
    }

    @Test
    void aClockSetBackAsksForANewLedger() {
        assertThat(ledger.advanceTo(NOW.minusSeconds(1))).isFalse();
    }

    @Test
    void longEndedReservationsAreDroppedAndQuestionsAboutThemGoElsewhere() {
        ledger.apply(List.of(new PoolLedger.Change(UUID.randomUUID(), new Booking(1_000_000, 1_000_100, 2), ReservationState.FIRM,
                null, 1)));
        assertThat(ledger.answers(1_000_000)).isTrue();

        ledger.advanceTo(NOW.plus(Duration.ofDays(2)));

        assertThat(ledger.live()).isZero();
        assertThat(ledger.answers(1_000_000)).isFalse();
        assertThat(ledger.answers(NOW.plus(Duration.ofDays(2)).getEpochSecond())).isTrue();
    }

    @Test
    void aProfileRefusesToRemoveWhatItNeverHad() {
        ReservedProfile profile = new ReservedProfile();
        assertThatThrownBy(() -> profile.remove(new Booking(1, 2, 3))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBusyProfileStillAnswersWithTheRightNumbers() {
        ReservedProfile profile = new ReservedProfile();
        for (int i = 0; i < 100_000; i++) {
            profile.add(new Booking(i, i + 10, 1)); // ten overlap at every instant from 9 on
        }
        assertThat(profile.mostReserved(50_000, 50_001)).isEqualTo(10);
        assertThat(profile.mostReserved(0, 1)).isEqualTo(1);
        assertThat(profile.mostReserved(0, 200_000)).isEqualTo(10);
        assertThat(profile.reservedAt(100_008)).isEqualTo(1);
        assertThat(profile.reservedAt(100_009)).isZero();
        assertThat(profile.size()).isEqualTo(100_010);
    }

    @Test
    void whatLapsedOrWasReleasedDoesNotPileUp() {
        Instant at = NOW;
        for (int i = 0; i < 100_000; i++) { // offers held for a minute, one after another, a day each
            at = at.plusMillis(10);
            ledger.advanceTo(at);
            ledger.apply(List.of(held(UUID.randomUUID(), 1_100_000, 1_186_400, 1, at.plusSeconds(60), i + 1)));
        }
        assertThat(ledger.live()).isEqualTo(6_000); // the last minute's
        assertThat(ledger.queued()).isLessThanOrEqualTo(4 * 6_000 + 2 * 1024);
        assertThat(free(1_100_000, 1_100_001)).isZero(); // 6,000 held on 8 cores: only a test would
    }

    private int free(long from, long to) {
        return ledger.read(EIGHT, calendar -> calendar.largestFree(from, to));
    }

    private static PoolLedger.Change held(UUID id, long start, long end, int amount, Instant expires, long number) {
        return new PoolLedger.Change(id, new Booking(start, end, amount), ReservationState.HELD, expires, number);
    }
}
