package orrery.cyclic.alpha;

import orrery.cyclic.beta.Beta;

/** Fixture: half of a package cycle. */
public class Alpha {
    public Beta partner() {
        return new Beta();
    }
}
