package orrery.broker.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import orrery.broker.domain.CalendarRefusals;
import orrery.broker.domain.CapacitySchedule;
import orrery.broker.domain.Segment;

/**
 * A pool's schedule as a client writes it: {@code {"segments": [{start_time, end_time, capacity}, ...]}}
 * or just the array.
 */
final class ScheduleRequests {

    private static final Set<String> FIELDS = Set.of("start_time", "end_time", "capacity");

    private ScheduleRequests() {
    }

    public static CapacitySchedule parse(JsonNode body) {
        JsonNode list = body;
        if (body != null && body.isObject()) {
            for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("segments")) {
                    throw CalendarRefusals.unknownField(name, "segments");
                }
            }
            list = body.get("segments");
        }
        if (list == null || !list.isArray()) {
            throw CalendarRefusals.invalidSchedule("give {\"segments\": [{\"start_time\", \"end_time\", \"capacity\"}, ...]}");
        }
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            if (!item.isObject()) {
                throw CalendarRefusals.invalidSchedule("segments[" + i + "] must be an object");
            }
            for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!FIELDS.contains(name)) {
                    throw CalendarRefusals.unknownField("segments[" + i + "]." + name, "capacity, end_time, start_time");
                }
            }
            long start = UnixSeconds.read(item.get("start_time"), "segments[" + i + "].start_time");
            long end = UnixSeconds.read(item.get("end_time"), "segments[" + i + "].end_time");
            if (start >= end) {
                throw CalendarRefusals.startNotBeforeEnd(start, end);
            }
            JsonNode capacity = item.get("capacity");
            if (capacity == null || !capacity.isIntegralNumber() || !capacity.canConvertToInt() || capacity.asInt() < 0) {
                throw CalendarRefusals.invalidSchedule("segments[" + i + "].capacity must be a whole number of cores >= 0");
            }
            segments.add(new Segment(start, end, capacity.asInt()));
        }
        try {
            return new CapacitySchedule(segments);
        } catch (IllegalArgumentException overlap) {
            throw CalendarRefusals.invalidSchedule(overlap.getMessage());
        }
    }
}
