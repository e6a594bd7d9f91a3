package orrery.fswatch.service;

import io.quarkus.runtime.annotations.RegisterForReflection;
import orrery.model.fs.FsChangeKind;
import orrery.model.fs.FsEvent;

/** The message records Jackson binds outside Quarkus REST (through the envelope codec), kept in native images. */
@RegisterForReflection(targets = {FsEvent.class, FsChangeKind.class})
final class ReflectionTargets {

    private ReflectionTargets() {
    }
}
