package orrery.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import orrery.model.messaging.ConsumerSpec;
import orrery.model.messaging.JetStreamApi;
import orrery.model.messaging.NatsPermissions;
import orrery.model.messaging.NatsUsers;
import orrery.model.messaging.Streams;
import org.junit.jupiter.api.Test;

/**
 * The consumers each service declares in its {@code application.properties} are the ones its NATS
 * user may create, with the same filters ({@link NatsUsers#consumersOf(String)}); a new or renamed
 * consumer fails here before it fails on a server that enforces the permissions. Reads the
 * services' sources beside this module.
 */
class NatsUsersCoverTheServicesTest {

    private static final Pattern CONSUMER_KEY = Pattern.compile(
            "quarkus\\.messaging\\.nats\\.streams\\.([A-Z]+)\\.pull-consumers\\.([^.]+)\\.consumer-configuration\\.(name|filter-subjects)");
    /** A placeholder, such as the shell builder's {@code ${orrery.shell-builder.name}}, is any one token. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[^}]+}");

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

    private static List<ConsumerSpec> declaredConsumers(String service) throws IOException {
        Path file = Path.of("..", service, "src", "main", "resources", "application.properties");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        List<ConsumerSpec> consumers = new ArrayList<>();
        for (String key : properties.stringPropertyNames()) {
            Matcher m = CONSUMER_KEY.matcher(key);
            if (m.matches() && m.group(3).equals("name")) {
                String prefix = "quarkus.messaging.nats.streams." + m.group(1) + ".pull-consumers." + m.group(2)
                        + ".consumer-configuration.";
                String filter = properties.getProperty(prefix + "filter-subjects");
                assertThat(filter).as("%s: %sfilter-subjects (one subject)", file, prefix).isNotBlank().doesNotContain(",");
                consumers.add(new ConsumerSpec(m.group(1), properties.getProperty(key).trim(),
                        PLACEHOLDER.matcher(filter.trim()).replaceAll("*")));
            }
        }
        return consumers;
    }
}
