package orrery.sim.model;

/**
 * What a machine does on a tick when its queue is empty: it draws a number from 1 to 10. Draws
 * above {@code 10 - internal} are internal events; the rest are sends, whose kind cycles through
 * "to one", "to the other", "to all" (1, 2, 3, then 4, 5, 6 ...). With the default of 7 internal
 * draws in 10 this is the classic rule: 1 one, 2 the other, 3 all, 4–10 internal.
 */
public enum Action {
    SEND_TO_ONE, SEND_TO_OTHER, SEND_TO_ALL, INTERNAL;

    /** The action for a draw from 1 to 10 when {@code internal} of the ten draws are internal events. */
    public static Action of(int draw, int internal) {
        if (draw < 1 || draw > 10) {
            throw new IllegalArgumentException("a draw is from 1 to 10, not " + draw);
        }
        if (draw > 10 - internal) {
            return INTERNAL;
        }
        return values()[(draw - 1) % 3];
    }
}
