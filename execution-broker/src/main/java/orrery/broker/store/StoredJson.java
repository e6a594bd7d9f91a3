package orrery.broker.store;

import io.quarkus.runtime.annotations.RegisterForReflection;
import orrery.broker.domain.PlannedStep;
import orrery.broker.domain.SessionSpec;

/** Records the broker keeps as JSON in its tables; named for reflection so native images can read them back. */
@RegisterForReflection(targets = {PlannedStep.class, SessionSpec.class})
public final class StoredJson {

    private StoredJson() {
    }
}
