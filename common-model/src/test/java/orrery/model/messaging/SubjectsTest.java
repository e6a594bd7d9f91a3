package orrery.model.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubjectsTest {

    @Test
    void buildsSubjectsFromIds() {
        assertThat(Subjects.taskEvents("t-1")).isEqualTo("events.task.t-1");
        assertThat(Subjects.executionEvents("e_2")).isEqualTo("events.execution.e_2");
        assertThat(Subjects.build("shell")).isEqualTo("tasks.build.shell");
        assertThat(Subjects.fsEvents("docs")).isEqualTo("events.fs.docs");
        assertThat(Subjects.deadLetter("tasks.staging.transfer")).isEqualTo("dlq.tasks.staging.transfer");
        assertThat(Subjects.deadLetter("dlq.tasks.x")).isEqualTo("dlq.tasks.x");
        assertThat(Subjects.lastToken("events.task.abc")).isEqualTo("abc");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.b", "*", ">", "a b", "", "tab\t"})
    void refusesIdsThatWouldAddressOtherSubjects(String id) {
        assertThatThrownBy(() -> Subjects.taskEvents(id)).hasMessageContaining("cannot be a NATS subject token");
    }

    @Test
    void streamsCoverTheirSubjects() {
        assertThat(Streams.TASKS.retention()).isEqualTo(StreamSpec.Retention.WORK_QUEUE);
        assertThat(Streams.EVENTS.retention()).isEqualTo(StreamSpec.Retention.LIMITS);
        assertThat(Streams.DLQ.subjects()).containsExactly(Subjects.DLQ_ALL);
        assertThat(Streams.ALL).extracting(StreamSpec::name).containsExactly("TASKS", "EVENTS", "DLQ");
    }
}
