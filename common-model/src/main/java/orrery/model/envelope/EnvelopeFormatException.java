package orrery.model.envelope;

/**
 * A message body that is not a valid envelope or whose payload does not bind to the expected
 * record. The message names the offending field so a person reading the dead-letter queue can
 * tell what the sender got wrong. Receivers treat it as poison: retrying cannot help.
 */
public class EnvelopeFormatException extends RuntimeException {

    private final String field;

    public EnvelopeFormatException(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    /** The JSON path of the field at fault (for example {@code data.checks.size}), or null. */
    public String field() {
        return field;
    }
}
