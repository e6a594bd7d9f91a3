package orrery.broker.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compact form of a capacity schedule used in configuration and in the issue tracker:
 * {@code {start_time,end_time,capacity} {start_time,end_time,capacity} ...}.
 */
public final class CompactSchedule {

    private CompactSchedule() {
    }

    private static final Pattern COMPACT = Pattern.compile("\\{\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*}");

    /**
     * Reads the compact form used in configuration and in the issue tracker:
     * {@code {start_time,end_time,capacity} {start_time,end_time,capacity} ...}.
     */
    public static CapacitySchedule parse(String text) {
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
