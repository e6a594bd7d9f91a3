package orrery.sim.controller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import orrery.model.json.Json;
import orrery.model.messaging.Subjects;
import orrery.model.sim.SimBusy;
import orrery.model.sim.SimIdle;
import orrery.model.sim.SimJoin;
import orrery.model.sim.SimTime;
import orrery.model.time.TimeSource;
import orrery.sim.controller.Decision.Advance;
import orrery.sim.controller.Decision.Check;
import orrery.sim.controller.Decision.Finish;
import orrery.sim.controller.Decision.Retry;
import orrery.sim.controller.Decision.Wait;

/**
 * The time controller over NATS: answers {@code sim.join} and {@code sim.now}, follows
 * {@code sim.idle}, {@code sim.busy} and {@code sim.leave}, and, whenever {@link ControllerState}
 * says every participant is idle, checks JetStream and runs a {@code sim.status} round before it
 * publishes the next {@code sim.time}. Leaks and progress go to the log (stderr).
 *
 * <p>Reports are handled on one NATS dispatcher thread, the rule is run on the thread that calls
 * {@link #run()}; both hold the state's lock only briefly, never across a NATS round trip.
 * {@code wall} is real time, used for the confirmation timeout, leak reports and the speed-up.
 */
public final class TimeController implements AutoCloseable {

    /** How soon a held clock is looked at again while JetStream holds it (doubling up to {@link #MAX_POLL}). */
    static final Duration MIN_POLL = Duration.ofMillis(1);
    static final Duration MAX_POLL = Duration.ofMillis(100);
    private static final Duration MAX_IDLE_WAIT = Duration.ofSeconds(1);

    /**
     * @param start            simulated time at epoch 0
     * @param expected         participants that must have joined before time moves
     * @param until            where the run ends (null: never on its own)
     * @param leakAfter        real time a participant may stay away from idle before it is reported
     * @param confirmTimeout   how long a {@code sim.status} round waits for its answers
     * @param progressEvery    real time between progress lines (zero: none)
     * @param ignoredConsumers JetStream consumers whose backlog does not hold time (e.g. of a service not taking part)
     * @param verbose          log every join, leave and ignored report
     */
    public record Settings(Instant start, Set<String> expected, Instant until, Duration leakAfter, Duration confirmTimeout,
                           Duration progressEvery, Set<String> ignoredConsumers, boolean verbose) {
        public Settings {
            Objects.requireNonNull(start, "start");
            expected = Set.copyOf(expected);
            ignoredConsumers = Set.copyOf(ignoredConsumers);
            if (confirmTimeout.isNegative() || confirmTimeout.isZero()) {
                throw new IllegalArgumentException("the confirmation timeout must be positive but was " + confirmTimeout);
            }
            if (progressEvery.isNegative()) {
                throw new IllegalArgumentException("the progress interval must not be negative but was " + progressEvery);
            }
        }

        /** Defaults for everything but where time starts and whom to wait for. */
        public static Settings of(Instant start, Set<String> expected) {
            return new Settings(start, expected, null, Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ZERO, Set.of(), false);
        }

        public Settings until(Instant until) {
            return new Settings(start, expected, until, leakAfter, confirmTimeout, progressEvery, ignoredConsumers, verbose);
        }

        public Settings leakAfter(Duration leakAfter) {
            return new Settings(start, expected, until, leakAfter, confirmTimeout, progressEvery, ignoredConsumers, verbose);
        }

        public Settings confirmTimeout(Duration confirmTimeout) {
            return new Settings(start, expected, until, leakAfter, confirmTimeout, progressEvery, ignoredConsumers, verbose);
        }
    }

    private final Connection nats;
    private final TimeSource wall;
    private final Settings settings;
    private final Consumer<String> log;
    private final ObjectMapper json = Json.strictMapper();
    private final ControllerState state;
    private final JetStreamWatch jetStream;
    private final Semaphore kicks = new Semaphore(0);
    private volatile boolean stopped;
    private volatile String waitingFor = "";
    private volatile long advances;
    private Dispatcher dispatcher;
    private Instant realStart;
    private Instant lastProgress;
    private Instant heldSince;
    private WallTimeBreakdown breakdown;
    private final Map<String, Long> advancesFor = new TreeMap<>();

    public TimeController(Connection nats, TimeSource wall, Settings settings, Consumer<String> log) throws IOException {
        this.nats = Objects.requireNonNull(nats, "nats");
        this.wall = Objects.requireNonNull(wall, "wall");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.log = Objects.requireNonNull(log, "log");
        this.state = new ControllerState(settings.start(), settings.expected(), settings.until(), settings.leakAfter());
        this.jetStream = new JetStreamWatch(nats, settings.ignoredConsumers());
    }

    /** Starts answering on {@code sim.*} and announces epoch 0 (for participants already waiting). */
    public synchronized TimeController start() {
        if (dispatcher != null) {
            return this;
        }
        realStart = wall.now();
        lastProgress = realStart;
        heldSince = realStart;
        breakdown = new WallTimeBreakdown(realStart);
        dispatcher = nats.createDispatcher();
        dispatcher.subscribe(Subjects.SIM_JOIN, this::onJoin);
        dispatcher.subscribe(Subjects.SIM_NOW, this::onNow);
        dispatcher.subscribe(Subjects.SIM_IDLE, this::onIdle);
        dispatcher.subscribe(Subjects.SIM_BUSY, this::onBusy);
        dispatcher.subscribe(Subjects.SIM_LEAVE, this::onLeave);
        try {
            nats.flush(Duration.ofSeconds(5)); // the subscriptions are in place before anyone is told the time
        } catch (Exception e) {
            throw new IllegalStateException("NATS did not confirm the sim.* subscriptions: " + e.getMessage(), e);
        }
        SimTime time;
        synchronized (state) {
            time = state.time();
            nats.publish(Subjects.SIM_TIME, write(time));
        }
        log.accept("simulated time starts at " + time.now() + (settings.until() == null ? "" : ", runs until " + settings.until())
                + (settings.expected().isEmpty() ? "" : "; waiting for " + String.join(", ", new java.util.TreeSet<>(settings.expected()))));
        return this;
    }

    /**
     * Runs the rule until the run finishes (returns why) or {@link #stop()} is called (returns
     * empty). Starts the controller first if needed.
     */
    public Optional<String> run() {
        start();
        Duration poll = MIN_POLL;
        while (!stopped) {
            Decision decision;
            synchronized (state) {
                decision = state.next();
            }
            if (decision instanceof Check check) {
                // JetStream first, then sim.status, never at once: a consumer that answers idle, then takes,
                // handles and acks a message before a concurrent JetStream read would pass both checks
                // with its busy report still on its way. In this order that work shows in its answer.
                breakdown.now("checking JetStream", wall.now());
                JetStreamStatus quiet = jetStream.check();
                breakdown.now("sim.status rounds", wall.now());
                List<StatusAnswer> answers = quiet.quiet() ? confirm(check.snapshot().idleSince().keySet()) : List.of();
                synchronized (state) {
                    decision = state.decide(check.snapshot(), quiet, answers, wall.now());
                    if (decision instanceof Advance advance) {
                        nats.publish(Subjects.SIM_TIME, write(advance.time()));
                    }
                }
                if (decision instanceof Advance) {
                    check.snapshot().wokenFor().forEach(name -> advancesFor.merge(name, 1L, Long::sum));
                }
            }
            Instant realNow = wall.now();
            if (decision instanceof Advance) {
                breakdown.now("deciding", realNow);
                advances++;
                waitingFor = "";
                heldSince = realNow;
                poll = MIN_POLL;
                progress(realNow);
                continue;
            }
            if (decision instanceof Finish finish) {
                SimTime time = time();
                log.accept("finished at " + time.now() + " (epoch " + time.epoch() + ", " + advances + " advances in "
                        + seconds(Duration.between(realStart, realNow)) + " s, " + speedUp(time, realNow) + "): " + finish.why());
                logStatistics("finished", realNow);
                return Optional.of(finish.why());
            }
            Wait wait = (Wait) decision;
            waitingFor = wait.why();
            breakdown.now(WallTimeBreakdown.categoryOf(wait.why()), realNow);
            reportLeaks(realNow);
            progress(realNow);
            Duration pause = switch (wait.retry()) {
                case NOW -> Duration.ZERO;
                case POLL -> poll;
                case ON_REPORT -> untilHousekeeping(realNow);
            };
            poll = wait.retry() == Retry.POLL ? min(poll.multipliedBy(2), MAX_POLL) : MIN_POLL;
            pause(pause);
        }
        logStatistics("stopped", wall.now());
        return Optional.empty();
    }

    /** The end-of-run lines that say what to make faster: where the wall time went, and whom time moved for. */
    private void logStatistics(String how, Instant realNow) {
        breakdown.now(how, realNow);
        log.accept(how + " after " + advances + " advances; where the wall time went: " + breakdown.summary(14));
        log.accept("advances by whose wake-up they were: " + advancesFor);
    }

    /** Makes {@link #run()} return soon. */
    public void stop() {
        stopped = true;
        kicks.release();
    }

    /** The current simulated time and epoch. */
    public SimTime time() {
        synchronized (state) {
            return state.time();
        }
    }

    /** Why time holds now (empty while it moves). */
    public String waitingFor() {
        return waitingFor;
    }

    /** How many times time has moved. */
    public long advances() {
        return advances;
    }

    @Override
    public void close() {
        stop();
        Dispatcher d;
        synchronized (this) {
            d = dispatcher;
            dispatcher = null;
        }
        if (d != null && nats.getStatus() == Connection.Status.CONNECTED) {
            nats.closeDispatcher(d);
        }
        jetStream.close();
    }

    // --- reports ---------------------------------------------------------------------------------

    private void onJoin(Message message) {
        SimJoin join = read(message, SimJoin.class);
        if (join == null) {
            return;
        }
        boolean again;
        SimTime time;
        synchronized (state) {
            again = state.joined().contains(join.participant());
            time = state.join(join.participant(), wall.now());
            if (message.getReplyTo() != null) {
                nats.publish(message.getReplyTo(), write(time));
            }
        }
        log.accept(join.participant() + (again ? " joined again (restarted); its earlier self is forgotten" : " joined")
                + " at " + time.now() + " (epoch " + time.epoch() + ")");
        kicks.release();
    }

    private void onNow(Message message) {
        if (message.getReplyTo() != null) {
            nats.publish(message.getReplyTo(), write(time()));
        }
    }

    private void onIdle(Message message) {
        SimIdle idle = read(message, SimIdle.class);
        if (idle != null) {
            Optional<String> ignored;
            synchronized (state) {
                ignored = state.idle(idle, wall.now());
            }
            ignored.filter(why -> settings.verbose()).ifPresent(why -> log.accept("ignored an " + why));
            kicks.release();
        }
    }

    private void onBusy(Message message) {
        SimBusy busy = read(message, SimBusy.class);
        if (busy != null) {
            Optional<String> ignored;
            synchronized (state) {
                ignored = state.busy(busy, wall.now());
            }
            ignored.filter(why -> settings.verbose()).ifPresent(why -> log.accept("ignored a " + why));
            kicks.release();
        }
    }

    private void onLeave(Message message) {
        SimJoin leave = read(message, SimJoin.class);
        if (leave != null) {
            boolean left;
            synchronized (state) {
                left = state.leave(leave.participant());
            }
            if (left) {
                log.accept(leave.participant() + " left" + (settings.expected().contains(leave.participant())
                        ? "; it is expected, so time holds until it joins again" : ""));
            }
            kicks.release();
        }
    }

    // --- the confirmation round ------------------------------------------------------------------

    /**
     * Scatters {@code sim.status} and gathers the answers on one inbox until each of
     * {@code participants} has answered or the timeout has passed. A fresh inbox per round, so
     * that a late answer to an earlier round cannot pass for a current one.
     */
    private List<StatusAnswer> confirm(Set<String> participants) {
        List<StatusAnswer> answers = new ArrayList<>();
        Set<String> outstanding = new HashSet<>(participants);
        String inbox = nats.createInbox();
        Subscription replies = nats.subscribe(inbox);
        try {
            nats.publish(Subjects.SIM_STATUS, inbox, new byte[0]);
            Instant deadline = wall.now().plus(settings.confirmTimeout());
            while (!outstanding.isEmpty()) {
                Duration left = Duration.between(wall.now(), deadline);
                if (left.isNegative() || left.isZero()) {
                    break;
                }
                Message reply = replies.nextMessage(left);
                if (reply == null) {
                    break;
                }
                StatusAnswer answer = answer(reply);
                if (answer != null) {
                    answers.add(answer);
                    outstanding.remove(answer.participant());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
        } finally {
            replies.unsubscribe();
        }
        return answers;
    }

    private StatusAnswer answer(Message reply) {
        try {
            JsonNode tree = json.readTree(reply.getData());
            return tree.has("inFlight") ? StatusAnswer.of(json.treeToValue(tree, SimBusy.class))
                    : StatusAnswer.of(json.treeToValue(tree, SimIdle.class));
        } catch (IOException | RuntimeException e) {
            log.accept("ignored an unreadable sim.status answer: " + e.getMessage());
            return null;
        }
    }

    // --- leaks and progress ----------------------------------------------------------------------

    private void reportLeaks(Instant realNow) {
        Instant due;
        synchronized (state) {
            due = state.nextLeakCheck();
        }
        if (due == null || due.isAfter(realNow)) {
            return;
        }
        // ask everyone what they hold now (sim.busy says so only when a participant leaves idle)
        Set<String> joined;
        long membership;
        synchronized (state) {
            joined = state.joined();
            membership = state.membership();
        }
        List<StatusAnswer> answers = confirm(joined);
        Set<String> silent = new HashSet<>(joined);
        answers.forEach(answer -> silent.remove(answer.participant()));
        List<Leak> leaks;
        synchronized (state) {
            Instant now = wall.now();
            state.answers(answers, membership, now);
            leaks = state.leaksDue(now);
        }
        for (Leak leak : leaks) {
            log.accept("LEAK? " + leak + (silent.contains(leak.participant()) ? "; it did not answer sim.status within "
                    + settings.confirmTimeout().toMillis() + " ms" : ""));
        }
        kicks.release(); // the answers may have changed what the rule says
    }

    private void progress(Instant realNow) {
        if (settings.progressEvery().isZero() || Duration.between(lastProgress, realNow).compareTo(settings.progressEvery()) < 0) {
            return;
        }
        lastProgress = realNow;
        SimTime time = time();
        String held = waitingFor;
        Duration still = Duration.between(heldSince, realNow);
        log.accept(time.now() + "  epoch " + time.epoch() + "  " + speedUp(time, realNow)
                + (held.isEmpty() || still.compareTo(settings.progressEvery()) < 0 ? "" : "  held " + seconds(still) + " s: " + held));
    }

    private String speedUp(SimTime time, Instant realNow) {
        Duration real = Duration.between(realStart, realNow);
        Duration simulated = Duration.between(settings.start(), time.now());
        if (real.isZero() || real.isNegative()) {
            return "speed-up -";
        }
        return String.format(Locale.ROOT, "speed-up %.0fx", simulated.toNanos() / (double) real.toNanos());
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
    }

    private Duration untilHousekeeping(Instant realNow) {
        Duration pause = MAX_IDLE_WAIT;
        Instant leak;
        synchronized (state) {
            leak = state.nextLeakCheck();
        }
        if (leak != null) {
            pause = min(pause, Duration.between(realNow, leak));
        }
        if (!settings.progressEvery().isZero()) {
            pause = min(pause, Duration.between(realNow, lastProgress.plus(settings.progressEvery())));
        }
        return pause.isNegative() ? Duration.ZERO : pause;
    }

    private void pause(Duration pause) {
        try {
            if (!pause.isZero() && !pause.isNegative()) {
                kicks.tryAcquire(pause.toNanos(), TimeUnit.NANOSECONDS);
            }
            kicks.drainPermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    // --- JSON ------------------------------------------------------------------------------------

    private <T> T read(Message message, Class<T> type) {
        try {
            return json.readValue(message.getData(), type);
        } catch (IOException | RuntimeException e) {
            log.accept("ignored an unreadable " + message.getSubject() + " (" + type.getSimpleName() + "): " + e.getMessage());
            return null;
        }
    }

    private byte[] write(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value, e);
        }
    }
}
