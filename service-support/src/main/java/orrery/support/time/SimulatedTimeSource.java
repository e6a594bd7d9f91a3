package orrery.support.time;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import orrery.model.json.Json;
import orrery.model.messaging.Subjects;
import orrery.model.sim.SimBusy;
import orrery.model.sim.SimIdle;
import orrery.model.sim.SimJoin;
import orrery.model.sim.SimTime;
import orrery.model.time.TimeSource;
import org.jboss.logging.Logger;

/**
 * Virtual time owned by the controller in {@code deploy/sim}, for a service taking part in a
 * simulation (protocol: docs/design-notes.md, "Simulated time: the protocol"). The clock moves
 * only on {@code sim.time}; timers due by then run, in (due, creation) order, on one thread of
 * this source; whenever nothing is left in flight the source reports {@code sim.idle} with its
 * next wake-up, and answers {@code sim.status} with what it holds.
 *
 * <p>This class never reads the wall clock for time; the waits it makes in real time (joining,
 * closing) are timeouts on NATS calls and thread joins.
 */
public final class SimulatedTimeSource implements TimeSource, WorkInFlight, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SimulatedTimeSource.class);

    private final Connection connection;
    private final String participant;
    private final ObjectMapper json = Json.strictMapper();
    private final ExecutorService runner;
    /** Every pending timer in (due, creation) order; a cancelled one leaves at once. */
    private final TreeSet<SimTimer> timers = new TreeSet<>();
    /** The pending timers that ask for a wake-up (not background ones), so the next wake is the first. */
    private final TreeSet<SimTimer> wakes = new TreeSet<>();
    private final Map<Long, String> holds = new LinkedHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong workIds = new AtomicLong();
    private Dispatcher dispatcher;
    private Instant now;
    private long epoch;
    private int inFlight;
    private long idleSince;
    private boolean reportedIdle;
    private Instant reportedWake;

    private SimulatedTimeSource(Connection connection, String participant) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.participant = Objects.requireNonNull(participant, "participant");
        this.runner = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "orrery-sim-timers");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Joins the simulation as {@code participant}: asks the controller for the time on
     * {@code sim.join}, again every {@code retry}, for at most {@code patience}.
     */
    public static SimulatedTimeSource join(Connection connection, String participant, Duration patience, Duration retry) {
        SimulatedTimeSource source = new SimulatedTimeSource(connection, participant);
        source.listen();
        SimTime time = source.ask(Subjects.SIM_JOIN, patience, retry);
        synchronized (source) {
            source.now = time.now();
            source.epoch = time.epoch();
        }
        LOG.infof("joined the simulation as %s at %s (epoch %d)", participant, time.now(), time.epoch());
        source.settle();
        return source;
    }

    private void listen() {
        dispatcher = connection.createDispatcher();
        dispatcher.subscribe(Subjects.SIM_TIME, this::onTime);
        dispatcher.subscribe(Subjects.SIM_STATUS, this::onStatus);
    }

    private SimTime ask(String subject, Duration patience, Duration retry) {
        byte[] body = write(new SimJoin(participant));
        long tries = Math.max(1, patience.toMillis() / Math.max(1, retry.toMillis()));
        for (long i = 0; i < tries; i++) {
            try {
                Message reply = connection.request(subject, body, retry);
                if (reply != null) {
                    return json.readValue(reply.getData(), SimTime.class);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.io.IOException | RuntimeException e) {
                LOG.debugf("no answer on %s yet: %s", subject, e.getMessage());
            }
        }
        throw new IllegalStateException("simulated time: no controller answered on " + subject + " within " + patience
                + "; start it first (deploy/sim: orrery-sim run --expect " + participant + ",...)");
    }

    // --- TimeSource ----------------------------------------------------------------------------

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public Timer schedule(Instant at, Runnable action) {
        return add(at, action, false);
    }

    @Override
    public Timer scheduleBackground(Instant at, Runnable action) {
        return add(at, action, true);
    }

    private Timer add(Instant at, Runnable action, boolean background) {
        SimTimer timer = new SimTimer(this, at, sequence.incrementAndGet(), action);
        synchronized (this) {
            timers.add(timer);
            if (!background) {
                wakes.add(timer);
            }
        }
        settle();
        return timer;
    }

    // --- WorkInFlight ----------------------------------------------------------------------------

    @Override
    public Work enter(String what) {
        long id = workIds.incrementAndGet();
        boolean leftIdle;
        synchronized (this) {
            leftIdle = inFlight == 0 && reportedIdle;
            inFlight++;
            holds.put(id, what);
            reportedIdle = false;
        }
        if (leftIdle) {
            publish(Subjects.SIM_BUSY, busy());
        }
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                synchronized (this) {
                    inFlight--;
                    holds.remove(id);
                }
                settle();
            }
        };
    }

    // --- the protocol ----------------------------------------------------------------------------

    private void onTime(Message message) {
        SimTime time;
        try {
            time = json.readValue(message.getData(), SimTime.class);
        } catch (java.io.IOException e) {
            LOG.warnf("ignoring an unreadable sim.time: %s", e.getMessage());
            return;
        }
        synchronized (this) {
            if (time.epoch() <= epoch && epoch > 0) {
                return; // a repeat or an old epoch
            }
            epoch = time.epoch();
            if (time.now().isAfter(now)) {
                now = time.now();
            }
            reportedIdle = false;
        }
        settle();
    }

    private void onStatus(Message message) {
        if (message.getReplyTo() == null) {
            return;
        }
        Object answer;
        synchronized (this) {
            answer = inFlight == 0 && reportedIdle && !hasDueTimers() ? idle() : busy();
        }
        connection.publish(message.getReplyTo(), write(answer));
    }

    /**
     * Hands every due timer to the runner (each counted in flight until it has run), and reports
     * idle when nothing is left: after an advance, after the last piece of work ends, and when a
     * new timer moves the wake-up this source last reported.
     */
    private void settle() {
        List<SimTimer> due = new ArrayList<>();
        SimIdle report = null;
        synchronized (this) {
            if (now == null) {
                return; // not joined yet
            }
            while (!timers.isEmpty() && !timers.first().due.isAfter(now)) {
                SimTimer timer = timers.pollFirst();
                wakes.remove(timer);
                due.add(timer);
                inFlight++;
                holds.put(-timer.sequence, "timer due " + timer.due);
            }
            if (due.isEmpty() && inFlight == 0) {
                Instant wake = nextWake();
                if (!reportedIdle || !Objects.equals(wake, reportedWake)) {
                    reportedIdle = true;
                    reportedWake = wake;
                    idleSince++;
                    report = idle();
                }
            }
        }
        due.forEach(timer -> runner.execute(() -> run(timer)));
        if (report != null) {
            // From the timer thread, after what is queued there: work that ends and hands on to more
            // work in the same breath (a Uni chain's next stage) has entered by then, and the report
            // goes out only if this one is still the latest.
            SimIdle idle = report;
            runner.execute(() -> publishIfLatest(idle));
        }
    }

    private void publishIfLatest(SimIdle idle) {
        synchronized (this) {
            if (!reportedIdle || idle.idleSince() != idleSince || inFlight > 0) {
                return; // work began since: a later idle report will follow
            }
        }
        publish(Subjects.SIM_IDLE, idle);
    }

    private void run(SimTimer timer) {
        try {
            timer.fire();
        } catch (RuntimeException e) {
            LOG.warnf(e, "a timer due at %s failed", timer.due);
        } finally {
            synchronized (this) {
                inFlight--;
                holds.remove(-timer.sequence);
            }
            settle();
        }
    }

    private boolean hasDueTimers() {
        return !timers.isEmpty() && !timers.first().due.isAfter(now);
    }

    /** The earliest timer that asks for a wake-up (background ones never do). */
    private Instant nextWake() {
        return wakes.isEmpty() ? null : wakes.first().due;
    }

    /** A timer cancelled before it was due: it no longer holds a wake-up or a place in the queue. */
    private synchronized void forget(SimTimer timer) {
        timers.remove(timer);
        wakes.remove(timer);
    }

    private SimIdle idle() {
        return new SimIdle(participant, epoch, reportedWake, idleSince);
    }

    private synchronized SimBusy busy() {
        return new SimBusy(participant, epoch, inFlight, List.copyOf(holds.values()), idleSince);
    }

    private void publish(String subject, Object body) {
        try {
            connection.publish(subject, write(body));
        } catch (RuntimeException e) {
            LOG.debugf("cannot publish %s now: %s", subject, e.getMessage());
        }
    }

    private byte[] write(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        publish(Subjects.SIM_LEAVE, new SimJoin(participant));
        if (dispatcher != null) {
            connection.closeDispatcher(dispatcher);
        }
        runner.shutdownNow();
        try {
            runner.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class SimTimer implements Timer, Comparable<SimTimer> {
        private final SimulatedTimeSource source;
        private final Instant due;
        private final long sequence;
        private final Runnable action;
        private final AtomicBoolean done = new AtomicBoolean();

        SimTimer(SimulatedTimeSource source, Instant due, long sequence, Runnable action) {
            this.source = source;
            this.due = Objects.requireNonNull(due, "due");
            this.sequence = sequence;
            this.action = Objects.requireNonNull(action, "action");
        }

        @Override
        public Instant due() {
            return due;
        }

        @Override
        public boolean cancel() {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            source.forget(this);
            return true;
        }

        void fire() {
            if (done.compareAndSet(false, true)) {
                action.run();
            }
        }

        @Override
        public int compareTo(SimTimer other) {
            int byDue = due.compareTo(other.due);
            return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
        }
    }
}
