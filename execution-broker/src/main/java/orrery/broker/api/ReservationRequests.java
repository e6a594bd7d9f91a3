package orrery.broker.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;
import orrery.broker.domain.CalendarRefusals;
import orrery.broker.domain.ReservationRequest;

/**
 * Reads a {@link ReservationRequest} by hand from JSON so that every mistake gets its own problem
 * type (a string where seconds belong, a fraction, too many digits, ...).
 */
final class ReservationRequests {

    private ReservationRequests() {
    }

    private static final Set<String> FIELDS = Set.of("start_time", "end_time", "amount", "user_id");

    public static ReservationRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw CalendarRefusals.invalidAmount("the request body must be a JSON object {start_time, end_time, amount, user_id}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw CalendarRefusals.unknownField(name, "amount, end_time, start_time, user_id");
            }
        }
        long start = UnixSeconds.read(body.get("start_time"), "start_time");
        long end = UnixSeconds.read(body.get("end_time"), "end_time");
        if (start >= end) {
            throw CalendarRefusals.startNotBeforeEnd(start, end);
        }
        JsonNode amount = body.get("amount");
        if (amount == null || amount.isNull()) {
            throw CalendarRefusals.missingField("amount");
        }
        if (!amount.isIntegralNumber() || !amount.canConvertToInt() || amount.asInt() <= 0) {
            throw CalendarRefusals.invalidAmount("amount must be a positive whole number of cores, was " + amount);
        }
        JsonNode user = body.get("user_id");
        if (user != null && !user.isNull() && !user.isTextual()) {
            throw CalendarRefusals.invalidAmount("user_id must be a string");
        }
        return new ReservationRequest(start, end, amount.asInt(), user == null || user.isNull() ? null : user.asText());
    }
}
