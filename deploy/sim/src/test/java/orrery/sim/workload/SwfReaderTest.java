package orrery.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SWF reader on {@code workloads/small.swf}, a file written for the tests after Feitelson's
 * definition of the Standard Workload Format (https://www.cs.huji.ac.il/labs/parallel/workload/swf.html).
 */
class SwfReaderTest {

    /** No draws: every request gets a PT1H window and no data, so only what the file says varies. */
    static final RequestShape PLAIN = new RequestShape(Range.Durations.of(Duration.ofHours(1)), new Range.Longs(0, 0),
            new Range.Longs(0, 0), 0, 0, 0, 0);

    private static Workload small() throws Exception {
        return SwfReader.read(Path.of("src/test/resources/workloads/small.swf"), PLAIN, 1);
    }

    @Test
    void readsSubmitTimeCoresDurationRuntimeMemoryStatusAndUser() throws Exception {
        Workload w = small();
        assertThat(w.requests()).extracting(Request::id).containsExactly("1", "8", "2", "3"); // by submit time
        Request first = w.requests().get(0);
        assertThat(first.submit()).isEqualTo(Duration.ZERO);
        assertThat(first.cores()).isEqualTo(8); // requested processors (field 8), not the 4 allocated
        assertThat(first.duration()).isEqualTo(Duration.ofHours(1)); // requested time (field 9)
        assertThat(first.runtime()).isEqualTo(Duration.ofMinutes(30)); // run time (field 4)
        assertThat(first.memory()).isEqualTo(1); // 2048 KB per processor x 8, rounded up to whole GB
        assertThat(first.exitStatus()).isZero(); // status 1: completed
        assertThat(first.cancelAfter()).isNull();
        assertThat(first.user()).isEqualTo("swf-user-3");
        assertThat(first.window()).isEqualTo(Duration.ofHours(1));
        assertThat(first.data()).isEmpty();
        assertThat(first.kind()).isEqualTo(Request.Kind.COMMAND);
    }

    @Test
    void fallsBackToAllocatedProcessorsAndRunTimeAndMapsFailuresAndCancels() throws Exception {
        Workload w = small();
        Request failed = w.requests().get(2);
        assertThat(failed.id()).isEqualTo("2");
        assertThat(failed.submit()).isEqualTo(Duration.ofSeconds(60));
        assertThat(failed.cores()).isEqualTo(16); // field 8 is -1: allocated (field 5)
        assertThat(failed.duration()).isEqualTo(Duration.ofMinutes(10)); // field 9 is -1: the run time
        assertThat(failed.memory()).isNull();
        assertThat(failed.exitStatus()).isEqualTo(1); // status 0: failed

        Request cancelled = w.requests().get(3);
        assertThat(cancelled.cancelAfter()).isEqualTo(Duration.ofSeconds(310)); // wait 10 + run 300
        assertThat(cancelled.exitStatus()).isNull();
        assertThat(cancelled.user()).isEqualTo("swf-user-unknown");

        Request tiny = w.requests().get(1);
        assertThat(tiny.duration()).isEqualTo(Duration.ofMinutes(1)); // 20 s run time, booked as the 1-minute minimum
        assertThat(tiny.runtime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(tiny.exitStatus()).isNull(); // status -1: the model decides
    }

    @Test
    void saysWhatItSkippedAndWhy() throws Exception {
        Workload w = small();
        assertThat(w.skipped()).containsOnly(
                org.assertj.core.api.Assertions.entry("no submit time (field 2 is -1)", 1),
                org.assertj.core.api.Assertions.entry("no processor count (fields 8 and 5 are -1 or 0)", 1),
                org.assertj.core.api.Assertions.entry("no requested or run time (fields 9 and 4 are -1 or 0)", 1),
                org.assertj.core.api.Assertions.entry("partial-execution record (status 2, 3 or 4)", 1),
                org.assertj.core.api.Assertions.entry("not 18 numbers (e.g. line 19)", 1));
        assertThat(w.skippedCount()).isEqualTo(5);
        assertThat(w.resources()).isEqualTo(128); // ; MaxProcs: 128
        assertThat(w.source()).isEqualTo("small.swf (SWF)");
    }

    @Test
    void shiftsTheFirstRequestToTheStart() throws Exception {
        Workload w = SwfReader.read(Path.of("src/test/resources/workloads/three-hourly.swf"), PLAIN, 1);
        assertThat(w.requests()).extracting(Request::submit)
                .containsExactly(Duration.ZERO, Duration.ofHours(1), Duration.ofHours(2));
    }

    @Test
    void aFileWithNoJobLineIsNotSwf() {
        assertThatThrownBy(() -> SwfReader.read(new StringReader("{\"jobs\": []}\nhello world\n"), "x.swf", PLAIN, 1))
                .isInstanceOf(WorkloadFormatException.class)
                .hasMessageContaining("x.swf is not in the Standard Workload Format")
                .hasMessageContaining("18 whitespace-separated numbers");
    }

    @Test
    void anEmptyFileIsAnEmptyWorkload() throws Exception {
        Workload w = SwfReader.read(new StringReader("; only a header\n\n"), "empty.swf", PLAIN, 1);
        assertThat(w.requests()).isEmpty();
        assertThat(w.skipped()).isEmpty();
    }

    @Test
    void theShapeFillsWhatTheFileDoesNotSayTheSameWayForTheSameSeed() throws Exception {
        RequestShape shape = new RequestShape(new Range.Durations(Duration.ofMinutes(30), Duration.ofHours(3)), new Range.Longs(1, 3),
                new Range.Longs(1000, 1_000_000), 0.5, 0.5, 0, 0.5);
        Path file = Path.of("src/test/resources/workloads/small.swf");
        List<Request> a = SwfReader.read(file, shape, 7).requests();
        List<Request> b = SwfReader.read(file, shape, 7).requests();
        List<Request> c = SwfReader.read(file, shape, 8).requests();
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
        assertThat(a).allSatisfy(r -> {
            assertThat(r.data()).hasSizeBetween(1, 3);
            assertThat(r.window()).isBetween(Duration.ofMinutes(30), Duration.ofHours(3));
            assertThat(r.window().toSecondsPart()).isZero();
        });
        // the file's own cancel (job 3, status 5) wins over a drawn one
        assertThat(a.get(3).cancelAfter()).isEqualTo(Duration.ofSeconds(310));
    }
}
