package orrery.broker.api;

import com.fasterxml.jackson.databind.JsonNode;
import orrery.broker.domain.CalendarRefusals;

/** Reads a JSON value that must be whole, non-negative unix seconds of at most 10 digits. */
public final class UnixSeconds {

    /** 10 digits: up to 9999999999 (the year 2286). */
    public static final long MAX = 9_999_999_999L;

    private UnixSeconds() {
    }

    public static long read(JsonNode value, String field) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            throw CalendarRefusals.missingField(field);
        }
        if (value.isTextual()) {
            throw CalendarRefusals.notUnixSeconds(field, "is the string \"" + value.asText() + "\", not a number");
        }
        if (!value.isNumber()) {
            throw CalendarRefusals.notUnixSeconds(field, "is not a number");
        }
        if (!value.isIntegralNumber()) {
            throw CalendarRefusals.notUnixSeconds(field, "is " + value.asText() + ", which has a fraction");
        }
        if (!value.canConvertToLong() || value.asLong() > MAX) {
            throw CalendarRefusals.notUnixSeconds(field, "has more than 10 digits");
        }
        if (value.asLong() < 0) {
            throw CalendarRefusals.notUnixSeconds(field, "is negative");
        }
        return value.asLong();
    }
}
