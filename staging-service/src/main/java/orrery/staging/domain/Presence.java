package orrery.staging.domain;

import java.util.Optional;
import orrery.model.staging.Checks;

/**
 * What the store holds at an item's target compared with what the request expects.
 */
public record Presence(Verdict verdict, String detail) {

    /** The possible comparisons. */
    public enum Verdict {
        /** Nothing there yet. */
        ABSENT,
        /** There, and it matches every check given. */
        PRESENT,
        /** There, but different: staging would have to overwrite it, which we never do silently. */
        CONFLICT
    }

    public static Presence of(Optional<StoredFile> stored, Checks checks) {
        if (stored.isEmpty()) {
            return new Presence(Verdict.ABSENT, "not yet in the session folder");
        }
        StoredFile file = stored.get();
        if (checks.size() != null && checks.size() != file.size()) {
            return new Presence(Verdict.CONFLICT, "a file of " + file.size() + " bytes is already there but the request says "
                    + checks.size() + " bytes; remove it or fix the request");
        }
        if (checks.md5() != null && file.md5() != null && !checks.md5().equalsIgnoreCase(file.md5())) {
            return new Presence(Verdict.CONFLICT, "a file with MD5 " + file.md5() + " is already there but the request says "
                    + checks.md5() + "; remove it or fix the request");
        }
        if (checks.size() == null && checks.md5() == null) {
            return new Presence(Verdict.PRESENT, "already there (the request gave no size or MD5 to compare)");
        }
        return new Presence(Verdict.PRESENT, "already there with matching " + (checks.md5() != null ? "size and MD5" : "size"));
    }
}
