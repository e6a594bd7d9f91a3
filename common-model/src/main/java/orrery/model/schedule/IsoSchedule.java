package orrery.model.schedule;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the ISO-8601 times a scientist writes in a booking request.
 *
 * <ul>
 *   <li>instants with a zone: {@code 2024-08-30T09:45:00Z}, {@code 2024-08-30T11:45:00+02:00}</li>
 *   <li>durations: {@code PT2H}, {@code P1DT30M}, {@code P2W}; years and months are refused
 *       because they have no fixed length</li>
 *   <li>intervals: {@code start/duration}, {@code start/end}, {@code duration/end}, or a bare
 *       instant, which is a zero-length interval</li>
 * </ul>
 *
 * <p>Every refusal is a {@link ScheduleFormatException} that quotes the input and says what
 * to write instead.
 */
public final class IsoSchedule {

    private static final Pattern DATE_PART = Pattern.compile("^P(?:(\\d+)Y)?(?:(\\d+)M)?(?:(\\d+)W)?(?:(\\d+)D)?$");

    private IsoSchedule() {
    }

    public static Instant parseInstant(String text) {
        String value = requireText(text, "time");
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException notOffset) {
            throw new ScheduleFormatException(value, describeBadInstant(value));
        }
    }

    public static Duration parseDuration(String text) {
        String value = requireText(text, "duration").toUpperCase(Locale.ROOT);
        if (value.startsWith("-")) {
            throw new ScheduleFormatException(text, "duration '" + text + "' is negative; durations here are lengths of time");
        }
        if (!value.startsWith("P")) {
            throw new ScheduleFormatException(text,
                    "'" + text + "' is not an ISO-8601 duration; write it like PT2H, PT90M or P1DT12H");
        }
        int t = value.indexOf('T');
        String datePart = t < 0 ? value : value.substring(0, t);
        String timePart = t < 0 ? "" : value.substring(t);
        Matcher date = DATE_PART.matcher(datePart);
        if (!date.matches() || (t >= 0 && timePart.length() == 1) || value.equals("P")) {
            throw new ScheduleFormatException(text,
                    "'" + text + "' is not an ISO-8601 duration; write it like PT2H, PT90M or P1DT12H");
        }
        if (date.group(1) != null || date.group(2) != null) {
            throw new ScheduleFormatException(text,
                    "duration '" + text + "' uses years or months, which have no fixed length; use days (P30D) or hours");
        }
        try {
            long weeks = date.group(3) == null ? 0 : Long.parseLong(date.group(3));
            long days = date.group(4) == null ? 0 : Long.parseLong(date.group(4));
            Duration time = timePart.isEmpty() ? Duration.ZERO : Duration.parse("P" + timePart);
            if (time.isNegative()) {
                throw new ScheduleFormatException(text, "duration '" + text + "' is negative; durations here are lengths of time");
            }
            return Duration.ofDays(Math.addExact(Math.multiplyExact(weeks, 7), days)).plus(time);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new ScheduleFormatException(text,
                    "'" + text + "' is not an ISO-8601 duration; write it like PT2H, PT90M or P1DT12H");
        }
    }

    public static TimeInterval parseInterval(String text) {
        String value = requireText(text, "interval");
        if (value.startsWith("R")) {
            throw new ScheduleFormatException(value, "repeating intervals ('" + value + "') are not supported; give one interval");
        }
        String[] parts = value.split("/", -1);
        if (parts.length == 1) {
            return TimeInterval.at(parseInstant(parts[0]));
        }
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new ScheduleFormatException(value,
                    "'" + value + "' is not an ISO-8601 interval; write start/duration (2024-08-30T09:45:00Z/PT1H) or start/end");
        }
        boolean firstIsDuration = looksLikeDuration(parts[0]);
        boolean secondIsDuration = looksLikeDuration(parts[1]);
        if (firstIsDuration && secondIsDuration) {
            throw new ScheduleFormatException(value, "interval '" + value + "' has two durations and no anchor time");
        }
        try {
            if (secondIsDuration) {
                return TimeInterval.of(parseInstant(parts[0]), parseDuration(parts[1]));
            }
            if (firstIsDuration) {
                Instant end = parseInstant(parts[1]);
                return new TimeInterval(end.minus(parseDuration(parts[0])), end);
            }
            Instant start = parseInstant(parts[0]);
            Instant end = parseInstant(parts[1]);
            if (end.isBefore(start)) {
                throw new ScheduleFormatException(value, "interval '" + value + "' ends before it starts");
            }
            return new TimeInterval(start, end);
        } catch (DateTimeException | ArithmeticException e) {
            throw new ScheduleFormatException(value, "interval '" + value + "' is out of range: " + e.getMessage());
        }
    }

    /** The shortest ISO-8601 form of a duration that {@link #parseDuration} reads back. */
    public static String format(Duration duration) {
        return duration.toString();
    }

    private static boolean looksLikeDuration(String part) {
        String trimmed = part.trim();
        return trimmed.startsWith("P") || trimmed.startsWith("p") || trimmed.startsWith("-P");
    }

    private static String requireText(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new ScheduleFormatException(text, "a " + what + " is required but was empty");
        }
        return text.trim();
    }

    private static String describeBadInstant(String value) {
        try {
            LocalDateTime.parse(value);
            return "time '" + value + "' has no time zone; add Z for UTC or an offset such as +02:00";
        } catch (DateTimeParseException ignored) {
            // not a local date-time either; try a bare date next
        }
        try {
            LocalDate.parse(value);
            return "time '" + value + "' is a date only; give a time of day too, e.g. " + value + "T09:45:00Z";
        } catch (DateTimeParseException ignored) {
            // fall through to the general message
        }
        return "'" + value + "' is not an ISO-8601 time; write it like 2024-08-30T09:45:00Z";
    }
}
