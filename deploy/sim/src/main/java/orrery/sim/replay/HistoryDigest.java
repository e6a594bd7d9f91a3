package orrery.sim.replay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The history digest: SHA-256 over every request's outcome in workload order, which for an
 * accepted request is its execution's ordered (phase, simulated time) pairs (a phase repeated with
 * a new note, such as WAITING's "the session is starting", counts once: whether that note comes
 * depends on which of two messages of one instant the broker takes first), each time written as
 * its offset from the replay's origin (its {@code --start}). Execution ids are random and left
 * out, so two replays of the same workload and seed on fresh state give the same digest exactly
 * when every execution went through the same phases at the same simulated instants (and the same
 * requests were refused); with offsets, that holds for a replay from another start too, on a
 * suite whose earlier bookings have all ended and whose capacity is the same then. The text
 * hashed, one line per request:
 *
 * <pre>
 * orrery-replay-history v2
 * 0 OFFERED@+PT0S ACCEPTED@+PT0S PREPARING@+PT2M35S ... COMPLETED@+PT2H10M
 * 1 NO
 * 2 ERROR
 * 3 NOT-ACCEPTED
 * 4 PREPARING@... RUNNING@... UNFINISHED
 * </pre>
 *
 * Offsets are written as {@link Duration#toString()} writes them, after a {@code +} (or a
 * {@code -} for a change before the origin, which a replay does not make).
 */
public final class HistoryDigest {

    static final String HEADER = "orrery-replay-history v2\n";

    private HistoryDigest() {
    }

    /** One request's line: its position and either its history or why it has none. */
    public record Entry(int position, String outcome, List<BrokerClient.PhaseChange> history) {
    }

    public static Entry entry(Booking b) {
        if (b.answer() == null) {
            return new Entry(b.request().position(), "NOT-SUBMITTED", List.of());
        }
        if (!b.accepted()) {
            return new Entry(b.request().position(), b.answer() == Booking.Answer.YES ? "NOT-ACCEPTED" : b.answer().name(), List.of());
        }
        return new Entry(b.request().position(), b.finalAt() == null ? "UNFINISHED" : null, b.history());
    }

    /** The digest of {@code entries}, times as offsets from {@code origin}. */
    public static String of(Instant origin, List<Entry> entries) {
        return "sha256:" + HexFormat.of().formatHex(sha256(text(origin, entries)));
    }

    static String text(Instant origin, List<Entry> entries) {
        StringBuilder text = new StringBuilder(HEADER);
        for (Entry e : entries) {
            text.append(e.position());
            String previous = null;
            for (BrokerClient.PhaseChange change : e.history()) {
                if (change.phase().equals(previous)) {
                    continue; // a note within a phase (WAITING's "the session is starting"), not a change of phase
                }
                previous = change.phase();
                Duration offset = Duration.between(origin, change.at());
                text.append(' ').append(change.phase()).append('@').append(offset.isNegative() ? "-" + offset.negated() : "+" + offset);
            }
            if (e.outcome() != null) {
                text.append(' ').append(e.outcome());
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
