package orrery.sim.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import orrery.model.time.LamportClock;

/**
 * One virtual machine of the model: a tick rate, the suite's own {@link LamportClock}, an optional
 * vector clock, and a network queue that letters join whenever they arrive (its length is not
 * limited by the tick rate). Pure logic: the network and the clock that calls {@link #tick} are
 * outside. Ticks of one machine never overlap; arrivals may come from another thread.
 */
public final class Machine {

    /** What one tick did: the event to log and the letters to send. */
    public record Tick(Event event, List<Letter> letters) {
    }

    private final int id;
    private final int rate;
    private final int machines;
    private final int internal;
    private final int[] partners;
    private final SplittableRandom random;
    private final LamportClock clock = new LamportClock();
    private final long[] vector;
    private final Queue<Letter> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong arrived = new AtomicLong();
    private long sent;

    /**
     * @param id       0 to {@code machines - 1}
     * @param rate     ticks per second
     * @param internal how many of the ten draws are internal events
     * @param random   this machine's own stream (so that machines do not depend on each other's draws)
     * @param vectors  whether to keep a vector clock beside the Lamport clock
     */
    public Machine(int id, int rate, int machines, int internal, Peers peers, SplittableRandom random, boolean vectors) {
        if (rate < 1) {
            throw new IllegalArgumentException("a machine ticks at least once a second, not " + rate);
        }
        this.id = id;
        this.rate = rate;
        this.machines = machines;
        this.internal = internal;
        this.random = random;
        this.partners = peers.partners(id, machines, random);
        this.vector = vectors ? new long[machines] : null;
    }

    public int id() {
        return id;
    }

    public int rate() {
        return rate;
    }

    /** "One" and "the other" machine of this machine's sends. */
    public int[] partners() {
        return partners.clone();
    }

    /** A letter has arrived from the network: it joins the queue. */
    public void arrive(Letter letter) {
        queue.add(letter);
        queued.incrementAndGet();
        arrived.incrementAndGet();
    }

    /** Letters waiting in the queue now. */
    public int queueLength() {
        return queued.get();
    }

    /** The Lamport clock now. */
    public long clock() {
        return clock.current();
    }

    /** Letters that have arrived since the start. */
    public long arrivals() {
        return arrived.get();
    }

    /** One tick at {@code at} nanoseconds from the start: take a letter if there is one, otherwise draw. */
    public Tick tick(long at) {
        Letter letter = queue.poll();
        if (letter != null) {
            return new Tick(receive(letter, at), List.of());
        }
        Action action = Action.of(1 + random.nextInt(10), internal);
        return action == Action.INTERNAL ? new Tick(local(at), List.of()) : send(action, at);
    }

    private Event receive(Letter letter, long at) {
        int left = queued.decrementAndGet();
        long before = clock.current();
        long after = clock.merge(letter.clock());
        if (vector != null) {
            for (int i = 0; i < machines; i++) {
                vector[i] = Math.max(vector[i], letter.vector()[i]);
            }
            vector[id]++;
        }
        return new Event(id, Event.Kind.RECEIVED, at, before, after, left, new int[] {letter.from()}, letter.clock(),
                snapshot());
    }

    private Event local(long at) {
        long before = clock.current();
        long after = clock.tick();
        stepVector();
        return new Event(id, Event.Kind.INTERNAL, at, before, after, queued.get(), new int[0], -1, snapshot());
    }

    private Tick send(Action action, long at) {
        int[] to = receivers(action);
        long before = clock.current();
        long after = clock.tick();
        stepVector();
        long[] stamp = snapshot();
        List<Letter> letters = new ArrayList<>(to.length);
        for (int receiver : to) {
            letters.add(new Letter(id, receiver, ++sent, after, at, stamp));
        }
        return new Tick(new Event(id, Event.Kind.SENT, at, before, after, queued.get(), to, -1, stamp), letters);
    }

    private int[] receivers(Action action) {
        return switch (action) {
            case SEND_TO_ONE -> new int[] {partners[0]};
            case SEND_TO_OTHER -> new int[] {partners[1]};
            case SEND_TO_ALL -> everyoneElse();
            case INTERNAL -> throw new IllegalStateException("an internal event sends nothing");
        };
    }

    private int[] everyoneElse() {
        int[] others = new int[machines - 1];
        for (int i = 0, k = 0; i < machines; i++) {
            if (i != id) {
                others[k++] = i;
            }
        }
        return others;
    }

    private void stepVector() {
        if (vector != null) {
            vector[id]++;
        }
    }

    private long[] snapshot() {
        return vector == null ? null : vector.clone();
    }
}
