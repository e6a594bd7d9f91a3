package orrery.cyclic.beta;

import orrery.cyclic.alpha.Alpha;

/** Fixture: the other half of a package cycle. */
public class Beta {
    public Alpha partner() {
        return new Alpha();
    }
}
