package orrery.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import orrery.model.messaging.ConsumerSpec;
import orrery.model.messaging.JetStreamApi;
import orrery.model.messaging.NatsPermissions;
import orrery.model.messaging.NatsUsers;
import orrery.model.messaging.Streams;
import org.junit.jupiter.api.Test;

/**
 * The consumers each service starts (by name from {@link NatsUsers#consumerNamed(String)}) are
 * exactly the ones its NATS user may create ({@link NatsUsers#consumersOf(String)}); a consumer
 * started by the wrong service fails here before it fails on a server that enforces the
 * permissions. Reads the services' sources beside this module.
 */
class NatsUsersCoverTheServicesTest {

    private static final Pattern CONSUMER_START = Pattern.compile("NatsUsers\\.consumerNamed\\(\"([^\"]+)\"\\)");

    @Test
    void everyServiceUserMayUseExactlyTheConsumersItsServiceDeclares() throws IOException {
        for (String service : NatsUsers.SERVICES) {
            List<ConsumerSpec> declared = declaredConsumers(service);

            assertThat(NatsUsers.consumersOf(service)).as("consumers of %s (application.properties)", service)
                    .containsExactlyInAnyOrderElementsOf(declared);
            NatsPermissions permissions = NatsUsers.permissions(service);
            for (ConsumerSpec consumer : declared) {
                String filter = consumer.filterSubject().replace("*", "shell");
                assertThat(permissions.mayPublish(JetStreamApi.consumerCreate(consumer.stream(), consumer.name(), filter)))
                        .as(service + " creating " + consumer).isTrue();
                assertThat(permissions.mayPublish(JetStreamApi.consumerNext(consumer.stream(), consumer.name()))).isTrue();
            }
        }
    }

    @Test
    void theBuilderCanPullFromNoServiceConsumerOnTasks() throws IOException {
        NatsPermissions builder = NatsUsers.permissions(NatsUsers.BUILDER);
        for (String service : NatsUsers.SERVICES) {
            for (ConsumerSpec consumer : declaredConsumers(service)) {
                if (consumer.stream().equals(Streams.TASKS.name())) {
                    assertThat(builder.mayPublish(JetStreamApi.consumerNext(consumer.stream(), consumer.name())))
                            .as("builder pulling from %s's consumer %s", service, consumer.name()).isFalse();
                }
            }
        }
    }

    /** The consumers a service's main sources start: {@code NatsUsers.consumerNamed("...")}. */
    private static List<ConsumerSpec> declaredConsumers(String service) throws IOException {
        Path sources = Path.of("..", service, "src", "main", "java");
        List<ConsumerSpec> consumers = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = CONSUMER_START.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    consumers.add(NatsUsers.consumerNamed(m.group(1)));
                }
            }
        }
        return consumers;
    }
}
