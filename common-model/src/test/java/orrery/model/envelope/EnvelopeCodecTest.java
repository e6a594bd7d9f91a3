package orrery.model.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import orrery.model.time.LamportClock;
import orrery.model.time.ManualTimeSource;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

    record Checks(Long size, String md5) {
    }

    record Item(@JsonProperty(required = true) String name, @JsonProperty(required = true) String url, Checks checks) {
    }

    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final ManualTimeSource time = new ManualTimeSource(Instant.parse("2024-08-30T09:45:00Z"));
    private final EnvelopeFactory factory = new EnvelopeFactory("test", time, new LamportClock(), codec);

    @Test
    void roundTripsAnEnvelopeWithItsPayload() {
        Envelope sent = factory.create("task-1", "orrery.task.staging.transfer", "tasks.staging.transfer", "exec-1",
                new Item("notebook.ipynb", "https://example.org/nb.ipynb", new Checks(42L, "abc")));

        Envelope received = codec.decode(codec.encode(sent));

        assertThat(received.id()).isEqualTo("task-1");
        assertThat(received.correlationid()).isEqualTo("exec-1");
        assertThat(codec.encode(received)).isEqualTo(codec.encode(sent));
        assertThat(received.lamport()).isEqualTo(1);
        assertThat(received.time()).isEqualTo(time.now());
        assertThat(codec.data(received, Item.class).checks().size()).isEqualTo(42L);
    }

    @Test
    void writesCloudEventsAttributeNames() {
        Envelope sent = factory.event("orrery.test", "events.test", "corr", new Checks(1L, null));
        String json = new String(codec.encode(sent), StandardCharsets.UTF_8);

        assertThat(json).contains("\"specversion\":\"1.0\"", "\"lamport\":1", "\"correlationid\":\"corr\"",
                "\"datacontenttype\":\"application/json\"", "\"time\":\"2024-08-30T09:45:00Z\"");
    }

    @Test
    void refusesAnUnknownEnvelopeFieldByName() {
        String json = valid().replace("\"lamport\":3", "\"lamport\":3,\"colour\":\"blue\"");

        assertThatThrownBy(() -> codec.decode(bytes(json)))
                .isInstanceOf(EnvelopeFormatException.class)
                .hasMessageContaining("unknown field 'colour'")
                .extracting(e -> ((EnvelopeFormatException) e).field()).isEqualTo("colour");
    }

    @Test
    void refusesAMissingRequiredFieldByName() {
        String json = valid().replace("\"id\":\"e-1\",", "");

        assertThatThrownBy(() -> codec.decode(bytes(json)))
                .isInstanceOf(EnvelopeFormatException.class)
                .hasMessageContaining("'id' is required")
                .extracting(e -> ((EnvelopeFormatException) e).field()).isEqualTo("id");
    }

    @Test
    void refusesAMissingLamportClock() {
        String json = valid().replace("\"lamport\":3,", "");

        assertThatThrownBy(() -> codec.decode(bytes(json)))
                .isInstanceOf(EnvelopeFormatException.class)
                .hasMessageContaining("lamport");
    }

    @Test
    void refusesAWrongSpecVersion() {
        String json = valid().replace("\"specversion\":\"1.0\"", "\"specversion\":\"0.3\"");

        assertThatThrownBy(() -> codec.decode(bytes(json)))
                .isInstanceOf(EnvelopeFormatException.class)
                .hasMessageContaining("specversion must be \"1.0\"");
    }

    @Test
    void refusesABadTime() {
        String json = valid().replace("2024-08-30T09:45:00Z", "yesterday");

        assertThatThrownBy(() -> codec.decode(bytes(json)))
                .isInstanceOf(EnvelopeFormatException.class)
                .hasMessageContaining("'time'");
    }

    @Test
    void refusesNonJson() {
        assertThatThrownBy(() -> codec.decode(bytes("{not json")))
                .isInstanceOf(EnvelopeFormatException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> codec.decode(new byte[0]))
                .isInstanceOf(EnvelopeFormatException.class)
                .hasMessageContaining("empty message body");
    }

    @Test
    void namesTheFieldInsideThePayload() {
        Envelope envelope = codec.decode(bytes(valid().replace("\"data\":{}",
                "\"data\":{\"name\":\"a\",\"url\":\"u\",\"checks\":{\"size\":\"big\"}}")));

        assertThatThrownBy(() -> codec.data(envelope, Item.class))
                .isInstanceOf(EnvelopeFormatException.class)
                .hasMessageContaining("data.checks.size")
                .extracting(e -> ((EnvelopeFormatException) e).field()).isEqualTo("data.checks.size");
    }

    @Test
    void refusesUnknownAndMissingPayloadFields() {
        Envelope unknown = codec.decode(bytes(valid().replace("\"data\":{}",
                "\"data\":{\"name\":\"a\",\"url\":\"u\",\"checks\":{\"sha1\":\"x\"}}")));
        Envelope missing = codec.decode(bytes(valid().replace("\"data\":{}", "\"data\":{\"name\":\"a\"}")));

        assertThatThrownBy(() -> codec.data(unknown, Item.class))
                .hasMessageContaining("unknown field 'data.checks.sha1'")
                .hasMessageContaining("allowed fields are md5, size");
        assertThatThrownBy(() -> codec.data(missing, Item.class))
                .hasMessageContaining("'data.url' is required");
    }

    @Test
    void mergesTheReceivedLamportClock() {
        Envelope envelope = codec.decode(bytes(valid()));

        assertThat(factory.received(envelope)).isEqualTo(4);
        assertThat(factory.event("t", null, null, null).lamport()).isEqualTo(5);
    }

    private static String valid() {
        return "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"staging-service\","
                + "\"type\":\"orrery.task.event\",\"subject\":\"events.task.t1\",\"time\":\"2024-08-30T09:45:00Z\","
                + "\"datacontenttype\":\"application/json\",\"lamport\":3,\"correlationid\":\"x\",\"data\":{}}";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
