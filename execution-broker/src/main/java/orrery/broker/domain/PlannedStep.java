package orrery.broker.domain;

import java.time.Duration;
import orrery.model.staging.Checks;

/**
 * One preparation step of an execution, with the cost its owning service quoted.
 *
 * @param kind {@code folder}, {@code stage} or {@code startup}
 * @param name for {@code stage}: the file name in the session folder
 * @param url for {@code stage}: where the file comes from
 */
public record PlannedStep(String kind, String name, Duration cost, String url, Checks checks) {

    public static final String FOLDER = "folder";
    public static final String STAGE = "stage";
    public static final String STARTUP = "startup";
}
