package orrery.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The Batsim reader on {@code workloads/small-batsim.json}, written for the tests in the shape of
 * Batsim's workload documentation (docs/input-workload.rst: jobs with id, subtime, res, profile and
 * an optional walltime; profiles by name, {@code delay} and {@code composed} among them).
 */
class BatsimReaderTest {

    private static Workload small() throws Exception {
        return BatsimReader.read(Path.of("src/test/resources/workloads/small-batsim.json"), SwfReaderTest.PLAIN, 1);
    }

    @Test
    void readsJobsInSubmitOrderWithRuntimesFromDelayProfiles() throws Exception {
        Workload w = small();
        assertThat(w.requests()).extracting(Request::id).containsExactly("a", "b", "3", "g");
        assertThat(w.requests()).extracting(Request::submit)
                .containsExactly(Duration.ZERO, Duration.ofSeconds(100), Duration.ofSeconds(280), Duration.ofSeconds(580));
        Request a = w.requests().get(0);
        assertThat(a.cores()).isEqualTo(4);
        assertThat(a.runtime()).isEqualTo(Duration.ofMinutes(30)); // the delay profile
        assertThat(a.duration()).isEqualTo(Duration.ofMinutes(30)); // no walltime: booked for the delay
        assertThat(a.user()).isEqualTo("batsim-user");
        Request b = w.requests().get(1);
        assertThat(b.duration()).isEqualTo(Duration.ofHours(2)); // walltime
        assertThat(b.runtime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(b.user()).isEqualTo("carol");
        Request composed = w.requests().get(2);
        assertThat(composed.runtime()).isEqualTo(Duration.ofSeconds(2 * (1800 + 60))); // repeat x (short + pause)
        assertThat(composed.duration()).isEqualTo(composed.runtime()); // walltime -1: none
        assertThat(composed.user()).isEqualTo("batsim-user-7");
        Request compute = w.requests().get(3);
        assertThat(compute.runtime()).isNull(); // not a delay: the adapter's model decides
        assertThat(compute.duration()).isEqualTo(Duration.ofMinutes(15));
        assertThat(w.requests()).allSatisfy(r -> {
            assertThat(r.memory()).isNull();
            assertThat(r.exitStatus()).isNull();
            assertThat(r.cancelAfter()).isNull();
        });
    }

    @Test
    void saysWhatItSkippedAndReadsNbRes() throws Exception {
        Workload w = small();
        assertThat(w.skipped()).containsOnly(entry("neither a walltime nor a delay profile to book by", 1),
                entry("no res (a positive whole number of resources)", 1), entry("no subtime of 0 or more", 1));
        assertThat(w.resources()).isEqualTo(32);
        assertThat(w.source()).isEqualTo("small-batsim.json (Batsim)");
    }

    @Test
    void refusesWhatIsNotABatsimWorkload() {
        assertThatThrownBy(() -> read("not json")).isInstanceOf(WorkloadFormatException.class).hasMessageContaining("is not JSON");
        assertThatThrownBy(() -> read("{\"nb_res\": 4}")).isInstanceOf(WorkloadFormatException.class)
                .hasMessageContaining("needs a \"jobs\" array");
        assertThatThrownBy(() -> read("[1, 2]")).isInstanceOf(WorkloadFormatException.class);
    }

    @Test
    void anUnknownProfileLeavesOnlyTheWalltime() throws Exception {
        Workload w = read("{\"jobs\": [{\"id\": \"x\", \"subtime\": 0, \"res\": 1, \"walltime\": 120, \"profile\": \"missing\"},"
                + "{\"id\": \"y\", \"subtime\": 5, \"res\": 1, \"profile\": \"missing\"}]}");
        assertThat(w.requests()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("x");
            assertThat(r.runtime()).isNull();
            assertThat(r.duration()).isEqualTo(Duration.ofMinutes(2));
        });
        assertThat(w.skippedCount()).isEqualTo(1);
        assertThat(w.resources()).isNull();
    }

    private static Workload read(String json) throws Exception {
        return BatsimReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "w.json", SwfReaderTest.PLAIN, 1);
    }
}
