package orrery.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A test profile that gives a test class an application (and test resources) of its own, for
 * tests that stop NATS or PostgreSQL or move a manual clock, so that later classes start clean.
 */
public class OwnApplication implements QuarkusTestProfile {
}
