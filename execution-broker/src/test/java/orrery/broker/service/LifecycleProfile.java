package orrery.broker.service;

import io.quarkus.test.junit.QuarkusTestProfile;

/** A Quarkus app of its own, so that moving the manual clock here does not move it for other tests. */
public class LifecycleProfile implements QuarkusTestProfile {
}
