package orrery.broker.store;

import io.quarkus.runtime.annotations.RegisterForReflection;
import orrery.broker.domain.PlannedStep;
import orrery.broker.domain.SessionSpec;
import orrery.model.canfar.VolumeMount;

/** Records the broker keeps as JSON in its tables; named for reflection so native images can read them back. */
@RegisterForReflection(targets = {PlannedStep.class, SessionSpec.class, VolumeMount.class})
public final class StoredJson {

    private StoredJson() {
    }
}
