package orrery.model.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IsoScheduleTest {

    private static final Instant NINE_45 = Instant.parse("2024-08-30T09:45:00Z");

    @Test
    void readsStartAndDurationAsAStartWindow() {
        TimeInterval window = IsoSchedule.parseInterval("2024-08-30T09:45:00Z/PT1H");

        assertThat(window.start()).isEqualTo(NINE_45);
        assertThat(window.end()).isEqualTo(Instant.parse("2024-08-30T10:45:00Z"));
        assertThat(window.admits(Instant.parse("2024-08-30T10:45:00Z"))).isTrue();
        assertThat(window.admits(Instant.parse("2024-08-30T11:45:00Z"))).isFalse();
    }

    @Test
    void readsStartAndEndAndDurationAndEnd() {
        assertThat(IsoSchedule.parseInterval("2024-08-30T09:45:00Z/2024-08-30T10:45:00Z"))
                .isEqualTo(new TimeInterval(NINE_45, NINE_45.plusSeconds(3600)));
        assertThat(IsoSchedule.parseInterval("PT1H/2024-08-30T10:45:00Z"))
                .isEqualTo(new TimeInterval(NINE_45, NINE_45.plusSeconds(3600)));
    }

    @Test
    void aBareInstantIsAZeroLengthInterval() {
        TimeInterval at = IsoSchedule.parseInterval("2024-08-30T11:45:00+02:00");

        assertThat(at.isInstant()).isTrue();
        assertThat(at.start()).isEqualTo(NINE_45);
    }

    @ParameterizedTest
    @CsvSource({"PT2H,7200", "PT90M,5400", "P1D,86400", "P1DT12H,129600", "P2W,1209600", "PT0.5S,0", "pt1h,3600"})
    void readsDurations(String text, long seconds) {
        assertThat(IsoSchedule.parseDuration(text).getSeconds()).isEqualTo(seconds);
    }

    @Test
    void keepsFractionsOfASecond() {
        assertThat(IsoSchedule.parseDuration("PT0.5S")).isEqualTo(Duration.ofMillis(500));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2024-08-30T09:45:00|has no time zone; add Z",
        "2024-08-30|is a date only",
        "next tuesday|is not an ISO-8601 time",
        "2024-13-30T09:45:00Z|is not an ISO-8601 time"})
    void explainsBadInstants(String text, String expected) {
        assertThatThrownBy(() -> IsoSchedule.parseInstant(text))
                .isInstanceOf(ScheduleFormatException.class)
                .hasMessageContaining(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "P1M|years or months",
        "P1Y|years or months",
        "-PT1H|negative",
        "PT-1H|negative",
        "2 hours|not an ISO-8601 duration",
        "P|not an ISO-8601 duration",
        "PT|not an ISO-8601 duration",
        "P1H|not an ISO-8601 duration"})
    void explainsBadDurations(String text, String expected) {
        assertThatThrownBy(() -> IsoSchedule.parseDuration(text))
                .isInstanceOf(ScheduleFormatException.class)
                .hasMessageContaining(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2024-08-30T10:45:00Z/2024-08-30T09:45:00Z|ends before it starts",
        "PT1H/PT2H|two durations",
        "R5/2024-08-30T09:45:00Z/PT1H|repeating intervals",
        "2024-08-30T09:45:00Z/|not an ISO-8601 interval",
        "a/b/c|not an ISO-8601 interval",
        "2024-08-30T09:45:00Z/P1M|years or months",
        "2024-08-30T09:45/PT1H|has no time zone"})
    void explainsBadIntervals(String text, String expected) {
        assertThatThrownBy(() -> IsoSchedule.parseInterval(text))
                .isInstanceOf(ScheduleFormatException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void refusesEmptyInput() {
        assertThatThrownBy(() -> IsoSchedule.parseInterval(" ")).hasMessageContaining("was empty");
        assertThatThrownBy(() -> IsoSchedule.parseDuration(null)).hasMessageContaining("was empty");
    }
}
