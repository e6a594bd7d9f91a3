package orrery.model.identity;

/**
 * What any id of Orrery can look like, for refusing the impossible before it reaches a store: an
 * id is at most 256 characters and holds no control character. PostgreSQL cannot even compare a
 * NUL in text, so an id like {@code %00} must be answered "not found" here, not sent to it.
 */
public final class Ids {

    public static final int MAX_LENGTH = 256;

    private Ids() {
    }

    /** False for an id no record can have: null, empty, too long, or with a control character. */
    public static boolean mayExist(String id) {
        return id != null && !id.isEmpty() && id.length() <= MAX_LENGTH && id.chars().noneMatch(Character::isISOControl);
    }
}
