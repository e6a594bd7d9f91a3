package orrery.sim.model;

import java.time.Duration;

/** How letters travel between machines. */
public interface Network extends AutoCloseable {

    /** Sends a letter; it is delivered later, on another thread, to whoever the network was built to hand it to. */
    void send(Letter letter);

    /**
     * Waits until every letter sent so far has been delivered (the simulated clock's barrier: an
     * instant ends only when the network is quiet).
     *
     * @throws IllegalStateException if letters are still missing after {@code patience}
     */
    void awaitDelivered(Duration patience);

    /** Letters sent so far. */
    long sent();

    @Override
    void close();

    /** Opens a network that hands every letter it delivers to {@code deliver}. */
    @FunctionalInterface
    interface Factory {
        Network open(java.util.function.Consumer<Letter> deliver);
    }
}
