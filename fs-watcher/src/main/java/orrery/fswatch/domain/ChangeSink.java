package orrery.fswatch.domain;

import java.util.concurrent.CompletableFuture;
import orrery.model.fs.FsEvent;

/** Where settled changes go. */
public interface ChangeSink {

    /**
     * Sends {@code event}; the future completes once it is durably accepted, or fails. Events
     * sent one after the other arrive in that order. {@code id} is the same for the same change,
     * so a re-publish after a crash is dropped.
     */
    CompletableFuture<Void> publish(FsEvent event, String id);
}
