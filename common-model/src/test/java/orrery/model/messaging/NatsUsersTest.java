package orrery.model.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NatsUsersTest {

    /** Commands and questions that name a user: only the broker sends them. */
    private static final List<String> USER_NAMING = List.of(Subjects.STAGING_DIRECTORY, Subjects.STAGING_TRANSFER,
            Subjects.STAGING_CANCEL, Subjects.CANFAR_LAUNCH, Subjects.CANFAR_DELETE, Subjects.QUOTE_STAGING,
            Subjects.QUOTE_CANFAR);

    @Test
    void theCommittedUsersConfIsTheRenderingOfTheCatalogue() throws IOException {
        Path committed = Path.of("..", "deploy", "k8s", "base", "nats", "users.conf");

        assertThat(Files.readString(committed, StandardCharsets.UTF_8))
                .as("%s is stale: regenerate it with java -cp common-model/target/classes "
                        + "orrery.model.messaging.NatsUsers deploy/k8s/base/nats/users.conf", committed)
                .isEqualTo(NatsUsers.authorizationConfig());
    }

    @Test
    void onlyTheBrokerSendsCommandsAndQuestionsThatNameAUser() {
        for (String subject : USER_NAMING) {
            assertThat(NatsUsers.permissions(NatsUsers.EXECUTION_BROKER).mayPublish(subject)).as(subject).isTrue();
            for (String user : List.of(NatsUsers.STAGING_SERVICE, NatsUsers.CANFAR_ADAPTER, NatsUsers.FS_WATCHER,
                    NatsUsers.DEPENDENCY_MANAGER, NatsUsers.BUILDER)) {
                assertThat(NatsUsers.permissions(user).mayPublish(subject)).as(user + " publishing " + subject).isFalse();
            }
        }
    }

    @Test
    void theBuilderUsesRulesBuildTasksAndTaskEventsOnly() {
        NatsPermissions builder = NatsUsers.permissions(NatsUsers.BUILDER);
        String tasks = Streams.TASKS.name();

        assertThat(builder.mayPublish(Subjects.RULES_ANNOUNCE)).isTrue();
        assertThat(builder.maySubscribe(Subjects.RULES_HOWTO)).isTrue();
        assertThat(builder.maySubscribe(Subjects.RULES_DISCOVER)).isTrue();
        assertThat(builder.mayPublish(Subjects.taskEvents("t-1"))).isTrue();
        assertThat(builder.mayPublish(JetStreamApi.consumerCreate(tasks, "latex", Subjects.build("latex")))).isTrue();
        assertThat(builder.mayPublish(JetStreamApi.consumerNext(tasks, "latex"))).isTrue();
        assertThat(builder.mayPublish("$JS.ACK.TASKS.latex.1.5.5.1733050000000000000.0")).isTrue();
        assertThat(builder.maySubscribe(NatsUsers.BUILDER_INBOX_PREFIX + "abc.*")).isTrue();
        assertThat(builder.allowResponses()).isTrue();

        assertThat(builder.mayPublish(Subjects.build("latex"))).as("builders do not dispatch builds").isFalse();
        assertThat(builder.mayPublish(Subjects.executionEvents("e1"))).isFalse();
        assertThat(builder.mayPublish(Subjects.deadLetter(Subjects.CANFAR_LAUNCH))).isFalse();
        // consumers on other subjects of TASKS, in every form of the API
        assertThat(builder.mayPublish(JetStreamApi.consumerCreate(tasks, "evil", Subjects.CANFAR_ALL))).isFalse();
        assertThat(builder.mayPublish(JetStreamApi.consumerCreate(tasks, "evil", Subjects.TASKS_ALL))).isFalse();
        assertThat(builder.mayPublish(JetStreamApi.consumerCreate(tasks, "evil", "tasks.*.launch"))).isFalse();
        assertThat(builder.mayPublish(JetStreamApi.consumerCreateUnfiltered(tasks, "evil"))).isFalse();
        assertThat(builder.mayPublish(JetStreamApi.consumerCreateLegacy(tasks))).isFalse();
        assertThat(builder.mayPublish(JetStreamApi.consumerCreateDurableLegacy(tasks, "evil"))).isFalse();
        assertThat(builder.mayPublish(JetStreamApi.consumerCreate(Streams.EVENTS.name(), "evil", Subjects.BUILD_ALL)))
                .isFalse();
        // the services' consumers, their messages and acks; the stream's messages read directly
        for (ConsumerSpec consumer : NatsUsers.serviceConsumers()) {
            if (consumer.stream().equals(tasks)) {
                assertThat(builder.mayPublish(JetStreamApi.consumerNext(tasks, consumer.name()))).as(consumer.name()).isFalse();
                assertThat(builder.mayPublish(JetStreamApi.consumerCreate(tasks, consumer.name(), Subjects.build("x"))))
                        .as(consumer.name()).isFalse();
                assertThat(builder.mayPublish("$JS.ACK.TASKS." + consumer.name() + ".1.2.2.1.0")).isFalse();
            }
        }
        assertThat(builder.mayPublish(JetStreamApi.streamMessageGet(tasks))).isFalse();
        assertThat(builder.mayPublish(JetStreamApi.directGet(tasks))).isFalse();
        assertThat(builder.mayPublish(JetStreamApi.streamCreate("MINE"))).isFalse();
        assertThat(builder.mayPublish(JetStreamApi.streamPurge(tasks))).isFalse();
        // other clients' inboxes and the streams' subjects
        assertThat(builder.maySubscribe(NatsUsers.SERVICE_INBOXES)).isFalse();
        assertThat(builder.maySubscribe("_INBOX.abc.*")).isFalse();
        assertThat(builder.maySubscribe(">")).isFalse();
        assertThat(builder.maySubscribe(Subjects.TASKS_ALL)).isFalse();
        assertThat(builder.maySubscribe(Subjects.BUILD_ALL)).isFalse();
    }

    @Test
    void eachServiceMayUseItsOwnConsumersOnly() {
        for (String service : NatsUsers.SERVICES) {
            NatsPermissions mine = NatsUsers.permissions(service);
            for (ConsumerSpec consumer : NatsUsers.serviceConsumers()) {
                boolean own = NatsUsers.consumersOf(service).contains(consumer);
                String next = JetStreamApi.consumerNext(consumer.stream(), consumer.name());
                String create = JetStreamApi.consumerCreate(consumer.stream(), consumer.name(),
                        consumer.filterSubject().replace("*", "shell"));
                if (service.equals(NatsUsers.FS_WATCHER)) {
                    continue; // its key-value watchers may create consumers on $KV subjects only (below)
                }
                assertThat(mine.mayPublish(next)).as(service + " " + next).isEqualTo(own);
                assertThat(mine.mayPublish(create)).as(service + " " + create).isEqualTo(own);
                assertThat(mine.mayPublish(JetStreamApi.consumerInfo(consumer.stream(), consumer.name())))
                        .isEqualTo(own);
            }
        }
    }

    @Test
    void everyServiceMayCreateAndUpdateTheStreamsButNotDeleteOrPurgeThem() {
        for (String service : NatsUsers.SERVICES) {
            NatsPermissions mine = NatsUsers.permissions(service);
            for (StreamSpec stream : Streams.ALL) {
                assertThat(mine.mayPublish(JetStreamApi.streamInfo(stream.name()))).isTrue();
                assertThat(mine.mayPublish(JetStreamApi.streamCreate(stream.name()))).isTrue();
                assertThat(mine.mayPublish(JetStreamApi.streamUpdate(stream.name()))).isTrue();
                assertThat(mine.mayPublish(JetStreamApi.streamDelete(stream.name()))).as(service).isFalse();
                assertThat(mine.mayPublish(JetStreamApi.streamPurge(stream.name()))).as(service).isFalse();
                assertThat(mine.mayPublish(JetStreamApi.streamMessageGet(stream.name()))).as(service).isFalse();
                assertThat(mine.mayPublish(JetStreamApi.streamMessageDelete(stream.name()))).as(service).isFalse();
            }
            assertThat(mine.maySubscribe("_INBOX.abc.*")).isTrue();
        }
    }

    @Test
    void theFsWatcherKeepsItsKeyValueBucketsButCannotReadTheCatalogueStreams() {
        NatsPermissions watcher = NatsUsers.permissions(NatsUsers.FS_WATCHER);
        String bucket = "KV_fswatch-index-projects";

        assertThat(watcher.mayPublish(JetStreamApi.streamCreate(bucket))).isTrue();
        assertThat(watcher.mayPublish(JetStreamApi.streamDelete(bucket))).isTrue();
        assertThat(watcher.mayPublish("$KV.fswatch-index-projects.cGF0aA")).isTrue();
        assertThat(watcher.mayPublish(JetStreamApi.directGet(bucket) + ".$KV.fswatch-index-projects.cGF0aA")).isTrue();
        assertThat(watcher.mayPublish(JetStreamApi.consumerCreate(bucket, "gen1", "$KV.fswatch-index-projects.>")))
                .isTrue();
        assertThat(watcher.mayPublish(Subjects.fsEvents("projects"))).isTrue();

        assertThat(watcher.mayPublish(JetStreamApi.consumerCreate("TASKS", "gen1", Subjects.STAGING_ALL))).isFalse();
        assertThat(watcher.mayPublish(JetStreamApi.directGet("TASKS") + "." + Subjects.STAGING_TRANSFER)).isFalse();
        assertThat(watcher.mayPublish(JetStreamApi.consumerDelete("TASKS", "staging"))).isFalse();
        assertThat(watcher.mayPublish(Subjects.taskEvents("t1"))).isFalse();
    }

    @Test
    void requestRepliesAreAllowedToTheAnsweringServices() {
        assertThat(NatsUsers.permissions(NatsUsers.STAGING_SERVICE).maySubscribe(Subjects.QUOTE_STAGING)).isTrue();
        assertThat(NatsUsers.permissions(NatsUsers.CANFAR_ADAPTER).maySubscribe(Subjects.QUOTE_CANFAR)).isTrue();
        assertThat(NatsUsers.permissions(NatsUsers.STAGING_SERVICE).maySubscribe(Subjects.QUOTE_CANFAR)).isFalse();
        assertThat(NatsUsers.permissions(NatsUsers.STAGING_SERVICE).allowResponses()).isTrue();
        assertThat(NatsUsers.permissions(NatsUsers.CANFAR_ADAPTER).allowResponses()).isTrue();
        assertThat(NatsUsers.permissions(NatsUsers.DEPENDENCY_MANAGER).allowResponses()).isTrue();
        assertThat(NatsUsers.permissions(NatsUsers.STAGING_SERVICE).mayPublish("_INBOX.abc.1"))
                .as("replies go out by allow_responses, not by a publish permission on inboxes").isFalse();
    }

    @Test
    void namesEachPasswordVariableAfterItsUser() {
        assertThat(NatsUsers.passwordVariable("execution-broker")).isEqualTo("ORRERY_NATS_PASSWORD_EXECUTION_BROKER");
        assertThat(NatsUsers.passwordVariable("builder")).isEqualTo("ORRERY_NATS_PASSWORD_BUILDER");
        assertThat(NatsUsers.authorizationConfig()).contains("password: $ORRERY_NATS_PASSWORD_ADMIN");
        assertThatThrownBy(() -> NatsUsers.passwordVariable("orrery")).hasMessageContaining("no NATS user 'orrery'");
        assertThatThrownBy(() -> NatsUsers.permissions("mallory")).hasMessageContaining("no NATS user 'mallory'");
    }

    @ParameterizedTest
    @CsvSource({
            "tasks.>, tasks.build.x, true",
            "tasks.>, tasks, false",
            "tasks.*, tasks.build, true",
            "tasks.*, tasks.build.x, false",
            "tasks.build.>, tasks.>, false",
            "tasks.>, tasks.>, true",
            "'>', a, true",
            "a.b, a.b, true",
            "a.b, a.b.c, false",
            "a.b.c, a.b, false",
            "$JS.API.CONSUMER.CREATE.TASKS.*.tasks.build.>, $JS.API.CONSUMER.CREATE.TASKS.b.tasks.build.>, true",
            "$JS.API.CONSUMER.CREATE.TASKS.*.tasks.build.>, $JS.API.CONSUMER.CREATE.TASKS.b.tasks.>, false",
    })
    void matchesSubjectsTokenByToken(String pattern, String subject, boolean expected) {
        assertThat(NatsPermissions.matches(pattern, subject)).isEqualTo(expected);
    }
}
