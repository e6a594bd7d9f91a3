package orrery.sim.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import orrery.model.json.Json;
import orrery.model.messaging.Subjects;
import orrery.model.sim.SimBusy;
import orrery.model.sim.SimIdle;
import orrery.model.sim.SimJoin;
import orrery.model.sim.SimTime;

/**
 * The replay driver's side of the simulated-time protocol (docs/design-notes.md, "Simulated time:
 * the protocol"), the small part of service-support's {@code SimulatedTimeSource} it needs, in plain
 * Java: join on {@code sim.join}, follow {@code sim.time}, count its own work in flight
 * ({@link #enter}), report {@code sim.idle} for the current epoch with its next wake once that
 * work is done ({@link #idle}), and answer {@code sim.status} with what it holds.
 *
 * <p>The driver has no timers of its own: it works only when time reaches a workload event, so it
 * asks for exactly one wake, the next event, and it never leaves idle within an epoch without a
 * new {@code sim.time} (so it never needs {@code sim.busy}).
 */
public final class Participant implements AutoCloseable {

    private final Connection nats;
    private final String name;
    private final ObjectMapper json = Json.strictMapper();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private final Map<Long, String> holds = new LinkedHashMap<>();
    private Dispatcher dispatcher;
    private SimTime time;
    private long idleSince;
    private boolean reportedIdle;
    private Instant reportedWake;
    private long workIds;
    private volatile boolean closed;

    private Participant(Connection nats, String name) {
        this.nats = Objects.requireNonNull(nats, "nats");
        this.name = Objects.requireNonNull(name, "name");
    }

    /** Joins as {@code name}, asking on {@code sim.join} every {@code retry} for at most {@code patience}. */
    public static Participant join(Connection nats, String name, Duration patience, Duration retry) throws InterruptedException {
        Participant p = new Participant(nats, name);
        p.dispatcher = nats.createDispatcher();
        p.dispatcher.subscribe(Subjects.SIM_TIME, p::onTime);
        p.dispatcher.subscribe(Subjects.SIM_STATUS, p::onStatus);
        byte[] body = p.write(new SimJoin(name));
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() - deadline < 0) {
            long asked = System.nanoTime();
            Message reply;
            try {
                reply = nats.request(Subjects.SIM_JOIN, body, retry);
            } catch (RuntimeException e) {
                reply = null; // no responder yet (jnats may say so at once): ask again after the retry interval
            }
            if (reply != null && reply.getData() != null && reply.getData().length > 0) {
                SimTime joined = p.read(reply.getData());
                p.lock.lock();
                try {
                    if (p.time == null || joined.epoch() >= p.time.epoch()) {
                        p.time = joined;
                    }
                } finally {
                    p.lock.unlock();
                }
                return p;
            }
            p.pause(retry.toNanos() - (System.nanoTime() - asked));
        }
        nats.closeDispatcher(p.dispatcher);
        throw new IllegalStateException("no time controller answered on " + Subjects.SIM_JOIN + " within " + patience
                + "; start one first (orrery-sim run --start <instant> --expect ...," + name + ")");
    }

    /** Waits out what is left of a retry interval (a no-responders answer comes back at once). */
    private void pause(long nanos) throws InterruptedException {
        lock.lock();
        try {
            long left = nanos;
            while (left > 0 && !closed) {
                left = advanced.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The name it joined under. */
    public String name() {
        return name;
    }

    /** The latest time announced. */
    public SimTime time() {
        lock.lock();
        try {
            return time;
        } finally {
            lock.unlock();
        }
    }

    /** One piece of work in flight (a REST call); closing it ends it. */
    interface Work extends AutoCloseable {
        @Override
        void close();
    }

    /** Counts {@code what} in flight until the returned work is closed. */
    Work enter(String what) {
        long id;
        lock.lock();
        try {
            id = ++workIds;
            holds.put(id, what);
            reportedIdle = false;
        } finally {
            lock.unlock();
        }
        return () -> {
            lock.lock();
            try {
                holds.remove(id);
            } finally {
                lock.unlock();
            }
        };
    }

    /**
     * Reports {@code sim.idle} for the current epoch: everything due by now has been done; wake me
     * at {@code nextWake} (null: nothing more to do unless asked). Refused while work is in flight.
     */
    public void idle(Instant nextWake) {
        SimIdle report;
        lock.lock();
        try {
            if (!holds.isEmpty()) {
                throw new IllegalStateException("idle reported with work in flight: " + holds.values());
            }
            reportedIdle = true;
            reportedWake = nextWake;
            idleSince++;
            report = new SimIdle(name, time.epoch(), nextWake, idleSince);
        } finally {
            lock.unlock();
        }
        publish(Subjects.SIM_IDLE, report);
    }

    /**
     * Waits until time moves past {@code epoch} (returns the new time) or {@code timeout} of real
     * time passes (returns null).
     */
    public SimTime awaitAfter(long epoch, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (time.epoch() <= epoch) {
                if (nanos <= 0 || closed) {
                    return null;
                }
                nanos = advanced.awaitNanos(nanos);
            }
            return time;
        } finally {
            lock.unlock();
        }
    }

    private void onTime(Message message) {
        SimTime announced;
        try {
            announced = read(message.getData());
        } catch (IllegalArgumentException e) {
            return; // unreadable: the controller's problem, not ours
        }
        lock.lock();
        try {
            if (time == null || announced.epoch() > time.epoch()) {
                time = announced;
                reportedIdle = false;
                advanced.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private void onStatus(Message message) {
        if (message.getReplyTo() == null) {
            return;
        }
        Object answer;
        lock.lock();
        try {
            if (time == null) {
                return;
            }
            answer = reportedIdle && holds.isEmpty() ? new SimIdle(name, time.epoch(), reportedWake, idleSince)
                    : new SimBusy(name, time.epoch(), Math.max(1, holds.size()),
                            holds.isEmpty() ? List.of("replay: working through the events due at " + time.now()) : List.copyOf(holds.values()),
                            idleSince);
        } finally {
            lock.unlock();
        }
        publish(message.getReplyTo(), answer);
    }

    private void publish(String subject, Object body) {
        try {
            nats.publish(subject, write(body));
        } catch (IllegalStateException e) {
            // the connection is closing or reconnecting; a later report or status round repeats it
        }
    }

    private SimTime read(byte[] data) {
        try {
            return json.readValue(data, SimTime.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("an unreadable SimTime: " + e.getMessage(), e);
        }
    }

    private byte[] write(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Leaves the simulation ({@code sim.leave}) and stops listening. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        publish(Subjects.SIM_LEAVE, new SimJoin(name));
        lock.lock();
        try {
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            nats.flush(Duration.ofSeconds(2));
        } catch (Exception e) {
            // leaving is best effort: the controller also forgets a participant that rejoins
        }
        if (dispatcher != null && nats.getStatus() == Connection.Status.CONNECTED) {
            nats.closeDispatcher(dispatcher);
        }
    }
}
