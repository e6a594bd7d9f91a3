package orrery.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import orrery.sim.replay.BrokerClient.PhaseChange;
import org.junit.jupiter.api.Test;

/** The history digest: the same histories give the same digest; order, phases and instants all count; ids do not enter. */
class HistoryDigestTest {

    private static final Instant T = Instant.parse("2026-03-01T00:00:00Z");

    private static List<PhaseChange> history(long offsetSeconds, String... phases) {
        return java.util.stream.IntStream.range(0, phases.length)
                .mapToObj(i -> new PhaseChange(phases[i], T.plusSeconds(offsetSeconds + 60L * i), i == phases.length - 1 ? "why" : null))
                .toList();
    }

    private static final HistoryDigest.Entry A = new HistoryDigest.Entry(0, null, history(0, "OFFERED", "ACCEPTED", "COMPLETED"));
    private static final HistoryDigest.Entry B = new HistoryDigest.Entry(1, null, history(10, "OFFERED", "ACCEPTED", "FAILED"));
    private static final HistoryDigest.Entry NO = new HistoryDigest.Entry(2, "NO", List.of());

    @Test
    void theSameHistoriesGiveTheSameDigest() {
        String one = HistoryDigest.of(T, List.of(A, B, NO));
        String two = HistoryDigest.of(T, List.of(new HistoryDigest.Entry(0, null, history(0, "OFFERED", "ACCEPTED", "COMPLETED")),
                new HistoryDigest.Entry(1, null, history(10, "OFFERED", "ACCEPTED", "FAILED")), new HistoryDigest.Entry(2, "NO", List.of())));
        assertThat(one).isEqualTo(two).startsWith("sha256:").hasSize("sha256:".length() + 64);
    }

    @Test
    void orderPhasesInstantsAndOutcomesEachChangeIt() {
        String digest = HistoryDigest.of(T, List.of(A, B, NO));
        assertThat(HistoryDigest.of(T, List.of(B, A, NO))).isNotEqualTo(digest);
        assertThat(HistoryDigest.of(T, List.of(A, new HistoryDigest.Entry(1, null, history(11, "OFFERED", "ACCEPTED", "FAILED")), NO)))
                .isNotEqualTo(digest);
        assertThat(HistoryDigest.of(T, List.of(A, new HistoryDigest.Entry(1, null, history(10, "OFFERED", "ACCEPTED", "CANCELLED")), NO)))
                .isNotEqualTo(digest);
        assertThat(HistoryDigest.of(T, List.of(A, B, new HistoryDigest.Entry(2, "ERROR", List.of())))).isNotEqualTo(digest);
    }

    @Test
    void reasonsDoNotEnterButTheTextIsAsDocumented() {
        HistoryDigest.Entry otherReason = new HistoryDigest.Entry(0, null, A.history().stream()
                .map(c -> new PhaseChange(c.phase(), c.at(), "another reason")).toList());
        assertThat(HistoryDigest.of(T, List.of(otherReason))).isEqualTo(HistoryDigest.of(T, List.of(A)));
        assertThat(HistoryDigest.text(T, List.of(A, NO))).isEqualTo("orrery-replay-history v2\n"
                + "0 OFFERED@+PT0S ACCEPTED@+PT1M COMPLETED@+PT2M\n"
                + "2 NO\n");
    }

    @Test
    void timesCountFromTheOriginSoAReplayFromAnotherStartCanMatch() {
        java.time.Duration week = java.time.Duration.ofDays(7);
        HistoryDigest.Entry aWeekLater = new HistoryDigest.Entry(0, null, A.history().stream()
                .map(c -> new PhaseChange(c.phase(), c.at().plus(week), c.reason())).toList());

        assertThat(HistoryDigest.of(T.plus(week), List.of(aWeekLater))).isEqualTo(HistoryDigest.of(T, List.of(A)));
        assertThat(HistoryDigest.of(T, List.of(aWeekLater))).isNotEqualTo(HistoryDigest.of(T, List.of(A)));
    }

    @Test
    void aPhaseRepeatedWithANewNoteCountsOnce() {
        HistoryDigest.Entry withNote = new HistoryDigest.Entry(0, null, List.of(new PhaseChange("WAITING", T, "prepared"),
                new PhaseChange("WAITING", T, "the session is starting"), new PhaseChange("RUNNING", T.plusSeconds(30), null)));
        HistoryDigest.Entry without = new HistoryDigest.Entry(0, null, List.of(new PhaseChange("WAITING", T, "prepared"),
                new PhaseChange("RUNNING", T.plusSeconds(30), null)));

        assertThat(HistoryDigest.of(T, List.of(withNote))).isEqualTo(HistoryDigest.of(T, List.of(without)));
        assertThat(HistoryDigest.text(T, List.of(withNote))).endsWith("0 WAITING@+PT0S RUNNING@+PT30S\n");
    }
}
