package orrery.model.messaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The NATS users of Orrery and what each may publish and subscribe to, derived from the subject
 * catalogue ({@link Subjects}, {@link Streams}): one user per service, a {@code builder} user for
 * builders, and an {@code admin} user for operators.
 *
 * <ul>
 *   <li>Commands and questions that name a user ({@code tasks.staging.*}, {@code tasks.canfar.*},
 *       {@code quote.*}) are published only by the execution-broker.</li>
 *   <li>Each service may create and read only its own consumers (below), each with its filter;
 *       it may create and update the three streams (whichever service starts first creates
 *       them) but not delete or purge them.</li>
 *   <li>A builder may use {@code rules.*}, publish {@code events.task.*}, and consume
 *       {@code tasks.build.*} from {@code TASKS} on a consumer of its own; it may not publish any
 *       other command, create a consumer on any other subject, pull from the services' consumers,
 *       read stream messages directly, or see other clients' inboxes: builders set the inbox
 *       prefix {@link #BUILDER_INBOX_PREFIX}.</li>
 * </ul>
 *
 * <p>{@link #authorizationConfig()} renders this as a nats-server {@code authorization} block,
 * each password an environment variable of the server ({@link #passwordVariable(String)}). The
 * committed rendering is {@code deploy/k8s/base/nats/users.conf}, which Kubernetes and
 * {@code deploy/local/up.sh} both use; regenerate it with
 * {@code java -cp common-model/target/classes orrery.model.messaging.NatsUsers deploy/k8s/base/nats/users.conf}
 * (a test fails while the two differ).
 */
public final class NatsUsers {

    public static final String EXECUTION_BROKER = "execution-broker";
    public static final String STAGING_SERVICE = "staging-service";
    public static final String CANFAR_ADAPTER = "canfar-adapter";
    public static final String FS_WATCHER = "fs-watcher";
    public static final String DEPENDENCY_MANAGER = "dependency-manager";
    /** Builders outside the suite: {@code rules.*}, {@code tasks.build.*}, {@code events.task.*}. */
    public static final String BUILDER = "builder";
    /** Operators (stream edits, DLQ inspection): no restrictions. No service uses it. */
    public static final String ADMIN = "admin";

    /** The five services, in start order. */
    public static final List<String> SERVICES =
            List.of(EXECUTION_BROKER, STAGING_SERVICE, CANFAR_ADAPTER, FS_WATCHER, DEPENDENCY_MANAGER);
    /** Every user, services first. */
    public static final List<String> ALL = List.of(EXECUTION_BROKER, STAGING_SERVICE, CANFAR_ADAPTER, FS_WATCHER,
            DEPENDENCY_MANAGER, BUILDER, ADMIN);

    /**
     * The inbox prefix a builder's connection must use ({@code Options.Builder.inboxPrefix}): the
     * builder may subscribe only below it, so it cannot see replies and pulled messages meant for
     * the services, whose inboxes are {@code _INBOX.*}.
     */
    public static final String BUILDER_INBOX_PREFIX = "_INBOX_builder.";
    /** The inboxes of the services (jnats' default prefix). */
    public static final String SERVICE_INBOXES = "_INBOX.>";

    /** The environment variable prefix of the users' passwords on the nats-server process. */
    public static final String PASSWORD_VARIABLE_PREFIX = "ORRERY_NATS_PASSWORD_";

    /** A participant in a simulation (every service, on simulated time) says these to the controller ... */
    private static final List<String> SIM_PUBLISHES =
            List.of(Subjects.SIM_JOIN, Subjects.SIM_IDLE, Subjects.SIM_BUSY, Subjects.SIM_LEAVE, Subjects.SIM_NOW);
    /** ... and hears these from it (docs/design-notes.md, "Simulated time: the protocol"). */
    private static final List<String> SIM_SUBSCRIBES = List.of(Subjects.SIM_TIME, Subjects.SIM_STATUS);

    /** The key-value buckets of the fs-watcher are streams named {@code KV_<bucket>}. */
    private static final String KV_SUBJECTS = "$KV.>";

    private static final List<ConsumerSpec> BROKER_CONSUMERS = List.of(
            new ConsumerSpec(Streams.EVENTS.name(), "broker-task-reports", Subjects.TASK_EVENTS_ALL),
            new ConsumerSpec(Streams.EVENTS.name(), "broker-session-events", Subjects.SESSION_EVENTS_ALL));
    private static final List<ConsumerSpec> STAGING_CONSUMERS = List.of(
            new ConsumerSpec(Streams.TASKS.name(), "staging", Subjects.STAGING_ALL));
    private static final List<ConsumerSpec> CANFAR_CONSUMERS = List.of(
            new ConsumerSpec(Streams.TASKS.name(), "canfar-adapter", Subjects.CANFAR_ALL));
    /** The shell builder's filter is {@code tasks.build.<its name>}, the name being configurable. */
    private static final List<ConsumerSpec> DEPENDENCY_MANAGER_CONSUMERS = List.of(
            new ConsumerSpec(Streams.EVENTS.name(), "dependency-manager-fs", Subjects.FS_EVENTS_ALL),
            new ConsumerSpec(Streams.EVENTS.name(), "dependency-manager-tasks", Subjects.TASK_EVENTS_ALL),
            new ConsumerSpec(Streams.TASKS.name(), "shell-builder", Subjects.BUILD_PREFIX + "*"));

    private NatsUsers() {
    }

    /** The pull consumers {@code service} keeps (none for the fs-watcher, builders or admin). */
    public static List<ConsumerSpec> consumersOf(String service) {
        return switch (service) {
            case EXECUTION_BROKER -> BROKER_CONSUMERS;
            case STAGING_SERVICE -> STAGING_CONSUMERS;
            case CANFAR_ADAPTER -> CANFAR_CONSUMERS;
            case DEPENDENCY_MANAGER -> DEPENDENCY_MANAGER_CONSUMERS;
            case FS_WATCHER, BUILDER, ADMIN -> List.of();
            default -> throw unknown(service);
        };
    }

    /** The service consumer called {@code name}, as its service binds it. */
    public static ConsumerSpec consumerNamed(String name) {
        return serviceConsumers().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service consumer is called '" + name + "'"));
    }

    /** Every consumer of every service. */
    public static List<ConsumerSpec> serviceConsumers() {
        List<ConsumerSpec> all = new ArrayList<>();
        SERVICES.forEach(s -> all.addAll(consumersOf(s)));
        return List.copyOf(all);
    }

    /** The permissions of {@code user}; the admin's allow everything. */
    public static NatsPermissions permissions(String user) {
        return switch (user) {
            case EXECUTION_BROKER -> service(user,
                    List.of(Subjects.STAGING_ALL, Subjects.CANFAR_ALL, Subjects.QUOTE_STAGING, Subjects.QUOTE_CANFAR,
                            Subjects.EXECUTION_EVENTS_ALL),
                    // Server-sent events of an execution follow its events as they are published.
                    // (It answers no requests of the suite's, but on simulated time it answers sim.status.)
                    List.of(Subjects.EXECUTION_EVENTS_ALL), true);
            case STAGING_SERVICE -> service(user,
                    List.of(Subjects.TASK_EVENTS_ALL),
                    List.of(Subjects.QUOTE_STAGING), true);
            case CANFAR_ADAPTER -> service(user,
                    List.of(Subjects.TASK_EVENTS_ALL, Subjects.SESSION_EVENTS_ALL),
                    List.of(Subjects.QUOTE_CANFAR), true);
            case FS_WATCHER -> fsWatcher();
            case DEPENDENCY_MANAGER -> service(user,
                    List.of(Subjects.BUILD_ALL, Subjects.ARTEFACT_EVENTS_ALL, Subjects.RULES_DISCOVER, Subjects.RULES_HOWTO,
                            // its shell builder announces rules and reports its builds
                            Subjects.RULES_ANNOUNCE, Subjects.TASK_EVENTS_ALL,
                            // an unreadable announcement is dead-lettered
                            Subjects.deadLetter(Subjects.RULES_ANNOUNCE)),
                    List.of(Subjects.RULES_ANNOUNCE, Subjects.RULES_DISCOVER, Subjects.RULES_HOWTO), true);
            case BUILDER -> builder();
            case ADMIN -> new NatsPermissions(ADMIN, List.of(">"), List.of(), List.of(">"), List.of(), false);
            default -> throw unknown(user);
        };
    }

    /** Every user's permissions, in {@link #ALL} order. */
    public static List<NatsPermissions> all() {
        return ALL.stream().map(NatsUsers::permissions).toList();
    }

    /** The environment variable holding {@code user}'s password, e.g. {@code ORRERY_NATS_PASSWORD_FS_WATCHER}. */
    public static String passwordVariable(String user) {
        if (!ALL.contains(user)) {
            throw unknown(user);
        }
        return PASSWORD_VARIABLE_PREFIX + user.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * The nats-server {@code authorization} block for every user, passwords as {@code $VARIABLE}
     * references that nats-server resolves from its environment (it refuses to start when one is
     * missing). Include it from {@code nats.conf}.
     */
    public static String authorizationConfig() {
        StringBuilder out = new StringBuilder();
        out.append("# Orrery's NATS users and their permissions. Generated from the subject catalogue by\n")
                .append("# orrery.model.messaging.NatsUsers (common-model); do not edit by hand. Regenerate with\n")
                .append("#   java -cp common-model/target/classes orrery.model.messaging.NatsUsers deploy/k8s/base/nats/users.conf\n")
                .append("# Each password is an environment variable of nats-server (Kubernetes: the Secret orrery-secrets;\n")
                .append("# deploy/local/up.sh: the files in .run/credentials/).\n")
                .append("authorization {\n  users: [\n");
        for (NatsPermissions p : all()) {
            out.append("    {\n")
                    .append("      user: ").append(quote(p.user())).append('\n')
                    .append("      password: $").append(passwordVariable(p.user())).append('\n');
            if (!p.user().equals(ADMIN)) {
                out.append("      permissions: {\n");
                section(out, "publish", p.publishAllow(), p.publishDeny());
                section(out, "subscribe", p.subscribeAllow(), p.subscribeDeny());
                if (p.allowResponses()) {
                    out.append("        allow_responses: true\n");
                }
                out.append("      }\n");
            }
            out.append("    }\n");
        }
        return out.append("  ]\n}\n").toString();
    }

    /** Prints {@link #authorizationConfig()}, or writes it to the file named by the first argument. */
    public static void main(String[] args) throws IOException {
        String config = authorizationConfig();
        if (args.length == 0) {
            System.out.print(config);
        } else {
            Files.writeString(Path.of(args[0]), config, StandardCharsets.UTF_8);
        }
    }

    private static NatsPermissions service(String user, List<String> publishes, List<String> subscribes,
                                           boolean answersRequests) {
        Set<String> publish = new LinkedHashSet<>(publishes);
        publish.addAll(streamManagement());
        for (ConsumerSpec consumer : consumersOf(user)) {
            // (listing a stream's consumers is harmless and helps operators debugging with a service login)
            publish.add(JetStreamApi.consumerNames(consumer.stream()));
            publish.addAll(consumerUse(consumer));
            // A message this consumer cannot handle goes to dlq.<its subject>.
            publish.add(Subjects.deadLetter(consumer.filterSubject()));
        }
        if (!consumersOf(user).isEmpty()) {
            publish.add(Subjects.deadLetter(null)); // dlq.unknown: a delivery without a subject
        }
        publish.addAll(SIM_PUBLISHES);
        Set<String> subscribe = new LinkedHashSet<>(subscribes);
        subscribe.addAll(SIM_SUBSCRIBES);
        subscribe.add(SERVICE_INBOXES);
        return new NatsPermissions(user, List.copyOf(publish), List.of(), List.copyOf(subscribe), List.of(),
                answersRequests);
    }

    /**
     * The fs-watcher keeps its index in key-value buckets ({@code fswatch-index-<root>},
     * {@code fswatch-roots}) made and removed at run time. Their streams are named
     * {@code KV_<bucket>}: one token, so permissions cannot be limited to a prefix and the
     * fs-watcher may create, look up and delete any stream but the three of the catalogue, which
     * it may only create and update like every service. It reads buckets by direct gets and
     * consumers of {@code $KV} subjects only. It is trusted with stream management all the same:
     * a stream it makes could source another (NATS has no permission on a stream's configuration).
     */
    private static NatsPermissions fsWatcher() {
        Set<String> publish = new LinkedHashSet<>(List.of(Subjects.FS_EVENTS_ALL, KV_SUBJECTS));
        publish.addAll(streamManagement());
        publish.addAll(List.of(
                JetStreamApi.streamInfo("*"), JetStreamApi.streamCreate("*"), JetStreamApi.streamDelete("*"),
                JetStreamApi.directGet("*") + "." + KV_SUBJECTS,
                // watching a bucket: an ordered push consumer on the bucket's keys, flow control
                JetStreamApi.consumerCreate("*", "*", KV_SUBJECTS), JetStreamApi.consumerInfo("*", "*"),
                JetStreamApi.consumerDelete("*", "*"),
                JetStreamApi.FLOW_CONTROL_PREFIX + ">"));
        List<String> deny = new ArrayList<>();
        for (StreamSpec stream : Streams.ALL) {
            deny.add(JetStreamApi.streamDelete(stream.name()));
            deny.add(JetStreamApi.streamMessageGet(stream.name()));
            deny.add(JetStreamApi.consumerDelete(stream.name(), "*"));
            deny.add(JetStreamApi.FLOW_CONTROL_PREFIX + stream.name() + ".>");
        }
        publish.addAll(SIM_PUBLISHES);
        List<String> subscribe = new ArrayList<>(SIM_SUBSCRIBES);
        subscribe.add(SERVICE_INBOXES);
        // allow_responses: on simulated time it answers the controller's sim.status
        return new NatsPermissions(FS_WATCHER, List.copyOf(publish), deny, List.copyOf(subscribe), List.of(), true);
    }

    private static NatsPermissions builder() {
        String tasks = Streams.TASKS.name();
        List<String> publish = List.of(
                "rules.*", Subjects.TASK_EVENTS_ALL,
                JetStreamApi.INFO, JetStreamApi.STREAM_NAMES, JetStreamApi.streamInfo(tasks),
                JetStreamApi.consumerNames(tasks),
                // a consumer of its own, filtered on build tasks (the filter is part of the subject)
                JetStreamApi.consumerCreate(tasks, "*", Subjects.BUILD_ALL),
                JetStreamApi.consumerInfo(tasks, "*"),
                JetStreamApi.consumerNext(tasks, "*"),
                JetStreamApi.acks(tasks, "*"));
        // ... but none of the services' consumers on TASKS: their messages are not for builders.
        List<String> deny = new ArrayList<>();
        for (ConsumerSpec consumer : serviceConsumers()) {
            if (consumer.stream().equals(tasks)) {
                deny.add(JetStreamApi.consumerCreateUnfiltered(tasks, consumer.name()) + ".>");
                deny.add(JetStreamApi.consumerInfo(tasks, consumer.name()));
                deny.add(JetStreamApi.consumerNext(tasks, consumer.name()));
                deny.add(JetStreamApi.acks(tasks, consumer.name()));
            }
        }
        return new NatsPermissions(BUILDER, publish, deny, List.of("rules.*", BUILDER_INBOX_PREFIX + ">"), List.of(),
                true);
    }

    /** Looking up, creating and updating the catalogue's streams, as every service does at start-up. */
    private static List<String> streamManagement() {
        List<String> subjects = new ArrayList<>(List.of(JetStreamApi.INFO, JetStreamApi.STREAM_NAMES));
        for (StreamSpec stream : Streams.ALL) {
            subjects.add(JetStreamApi.streamInfo(stream.name()));
            subjects.add(JetStreamApi.streamCreate(stream.name()));
            subjects.add(JetStreamApi.streamUpdate(stream.name()));
        }
        return subjects;
    }

    /** Creating, looking up, pulling from and acknowledging one's own consumer. */
    private static List<String> consumerUse(ConsumerSpec consumer) {
        return List.of(
                JetStreamApi.consumerCreate(consumer.stream(), consumer.name(), consumer.filterSubject()),
                JetStreamApi.consumerInfo(consumer.stream(), consumer.name()),
                JetStreamApi.consumerNext(consumer.stream(), consumer.name()),
                JetStreamApi.acks(consumer.stream(), consumer.name()));
    }

    private static void section(StringBuilder out, String name, List<String> allow, List<String> deny) {
        out.append("        ").append(name).append(": {\n");
        list(out, "allow", allow);
        if (!deny.isEmpty()) {
            list(out, "deny", deny);
        }
        out.append("        }\n");
    }

    private static void list(StringBuilder out, String name, List<String> subjects) {
        out.append("          ").append(name).append(": [\n");
        for (String subject : subjects) {
            out.append("            ").append(quote(subject)).append('\n');
        }
        out.append("          ]\n");
    }

    private static String quote(String value) {
        if (value.contains("\"") || value.contains("\\")) {
            throw new IllegalArgumentException("cannot quote " + value);
        }
        return '"' + value + '"';
    }

    private static IllegalArgumentException unknown(String user) {
        return new IllegalArgumentException("no NATS user '" + user + "'; the users are " + ALL);
    }
}
