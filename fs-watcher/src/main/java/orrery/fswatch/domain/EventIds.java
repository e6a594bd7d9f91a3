package orrery.fswatch.domain;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import orrery.model.fs.FsEvent;

/**
 * Event ids derived from what the change is and from the store revision it follows: publishing
 * the same change again (after a crash between publishing and storing the index) yields the same
 * id, which JetStream drops as a duplicate; a later change of the same path follows a newer
 * revision and so gets a new id, even if it restores earlier content.
 */
public final class EventIds {

    private EventIds() {
    }

    /**
     * @param generation the index's generation ({@link IndexStore#load})
     * @param previousRevision the store revision of the path this change follows (0 if none)
     */
    public static String of(FsEvent event, String generation, long previousRevision) {
        String key = String.join("\u0000", "fs", generation, event.root(), event.path(), event.kind().name(),
                Long.toString(previousRevision), String.valueOf(event.sha256()), String.valueOf(event.from()),
                String.valueOf(event.rangeStart()), String.valueOf(event.rangeEnd()));
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
