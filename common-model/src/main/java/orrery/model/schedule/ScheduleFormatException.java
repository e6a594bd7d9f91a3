package orrery.model.schedule;

/** A time, duration or interval in a request that is not ISO-8601 as Orrery reads it. */
public class ScheduleFormatException extends IllegalArgumentException {

    private final String input;

    public ScheduleFormatException(String input, String message) {
        super(message);
        this.input = input;
    }

    /** The text that could not be read. */
    public String input() {
        return input;
    }
}
