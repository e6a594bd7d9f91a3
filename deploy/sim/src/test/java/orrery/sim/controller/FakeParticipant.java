package orrery.sim.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import orrery.model.json.Json;
import orrery.model.messaging.NatsUsers;
import orrery.model.messaging.Subjects;
import orrery.model.sim.SimBusy;
import orrery.model.sim.SimIdle;
import orrery.model.sim.SimJoin;
import orrery.model.sim.SimTime;
import orrery.testsupport.NatsServer;

/**
 * A participant written for the tests, driven by hand: it joins, says idle or busy when told, and
 * answers {@code sim.status} with what it last said (or with what it was quietly told it is).
 */
final class FakeParticipant implements AutoCloseable {

    private final ObjectMapper json = Json.strictMapper();
    private final String name;
    private final Connection nats;
    private final Dispatcher dispatcher;
    private final List<SimTime> announced = new CopyOnWriteArrayList<>();
    private volatile SimTime time;
    private volatile Object status;
    private long idleSince;

    FakeParticipant(NatsServer server, String name) throws Exception {
        this.name = name;
        this.nats = Nats.connect(server.options(NatsUsers.ADMIN).build());
        this.dispatcher = nats.createDispatcher();
        dispatcher.subscribe(Subjects.SIM_TIME, message -> {
            SimTime t = read(message, SimTime.class);
            announced.add(t);
            if (time == null || t.epoch() > time.epoch()) {
                time = t;
            }
        });
        dispatcher.subscribe(Subjects.SIM_STATUS, message -> {
            Object answer;
            synchronized (this) {
                answer = status;
            }
            if (answer == null) {
                answer = new SimBusy(name, time == null ? 0 : time.epoch(), 0, List.of("not joined yet"), idleSince);
            }
            nats.publish(message.getReplyTo(), write(answer));
        });
        nats.flush(Duration.ofSeconds(5));
    }

    /** Joins; returns the controller's answer, or null if no controller answered within half a second. */
    SimTime join() throws InterruptedException {
        Message reply = nats.request(Subjects.SIM_JOIN, write(new SimJoin(name)), Duration.ofMillis(500));
        if (reply == null) {
            return null;
        }
        SimTime t = read(reply, SimTime.class);
        time = t;
        idleSince = 0;
        status = null;
        return t;
    }

    /** Reports idle for the epoch it knows, wanting a wake at {@code wake} (null: none). */
    synchronized SimIdle idle(Instant wake) {
        idleSince++;
        SimIdle report = new SimIdle(name, time.epoch(), wake, idleSince);
        status = report;
        nats.publish(Subjects.SIM_IDLE, write(report));
        return report;
    }

    /**
     * Reports idle, and is already busy again when anyone asks (atomically: a status round can
     * never see the idle state in between). Only a sim.status round can find out.
     */
    synchronized void idleButBusyAgain(Instant wake, String... holds) {
        idle(wake);
        busyQuietly(holds);
    }

    /** Becomes busy without saying so on sim.busy: only a sim.status round can find out. */
    synchronized void busyQuietly(String... holds) {
        status = new SimBusy(name, time.epoch(), holds.length, List.of(holds), idleSince);
    }

    void leave() {
        nats.publish(Subjects.SIM_LEAVE, write(new SimJoin(name)));
    }

    /** The time it was last told (on join or sim.time). */
    SimTime time() {
        return time;
    }

    /** Every sim.time it has seen. */
    List<SimTime> announced() {
        return announced;
    }

    /** Asks the controller for the time on sim.now. */
    SimTime now() throws InterruptedException {
        Message reply = nats.request(Subjects.SIM_NOW, new byte[0], Duration.ofSeconds(2));
        return reply == null ? null : read(reply, SimTime.class);
    }

    private <T> T read(Message message, Class<T> type) {
        try {
            return json.readValue(message.getData(), type);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] write(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        nats.closeDispatcher(dispatcher);
        nats.close();
    }
}
