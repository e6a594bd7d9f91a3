package orrery.broker.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pool's schedule as a client writes it: {@code {"segments": [{start_time, end_time, capacity}, ...]}}
 * or just the array.
 */
public final class ScheduleRequest {

    private static final Set<String> FIELDS = Set.of("start_time", "end_time", "capacity");

    private ScheduleRequest() {
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

    private static final Pattern COMPACT = Pattern.compile("\\{\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*}");

    /**
     * Reads the compact form used in configuration and in the issue tracker:
     * {@code {start_time,end_time,capacity} {start_time,end_time,capacity} ...}.
     */
    public static CapacitySchedule parseCompact(String text) {
        List<Segment> segments = new ArrayList<>();
        Matcher matcher = COMPACT.matcher(text);
        int consumed = 0;
        while (matcher.find()) {
            if (!text.substring(consumed, matcher.start()).isBlank()) {
                throw CalendarRefusals.invalidSchedule("cannot read '" + text.substring(consumed, matcher.start()).strip()
                        + "'; write segments as {start_time,end_time,capacity}");
            }
            try {
                segments.add(new Segment(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
                        Integer.parseInt(matcher.group(3))));
            } catch (IllegalArgumentException e) {
                throw CalendarRefusals.invalidSchedule("'" + matcher.group() + "': " + e.getMessage());
            }
            consumed = matcher.end();
        }
        if (!text.substring(consumed).isBlank()) {
            throw CalendarRefusals.invalidSchedule("cannot read '" + text.substring(consumed).strip()
                    + "'; write segments as {start_time,end_time,capacity}");
        }
        return new CapacitySchedule(segments);
    }
}
