package orrery.fswatch.domain;

import orrery.model.fs.FsEvent;

/** Where settled changes go. Returns once the event is durably accepted; throws when it was not. */
public interface ChangeSink {

    /** {@code id} is the same for the same change, so a re-publish after a crash is dropped. */
    void publish(FsEvent event, String id);
}
