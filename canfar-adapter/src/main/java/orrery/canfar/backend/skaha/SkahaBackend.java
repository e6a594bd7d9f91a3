package orrery.canfar.backend.skaha;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import orrery.canfar.backend.BackendUnavailableException;
import orrery.canfar.backend.Feasibility;
import orrery.canfar.backend.LaunchSpec;
import orrery.canfar.backend.SessionBackend;
import orrery.canfar.backend.SessionRef;
import orrery.canfar.config.CanfarConfig;
import orrery.canfar.domain.Observation;
import orrery.canfar.domain.PollBackoff;
import orrery.canfar.domain.Refusals;
import orrery.canfar.domain.SessionLog;
import orrery.canfar.domain.SkahaStatuses;
import orrery.model.canfar.CanfarQuoteRequest;
import orrery.model.canfar.ImageReference;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.SessionStatus;
import orrery.model.canfar.VolumeMount;
import orrery.model.messaging.Subjects;
import orrery.model.problem.ProblemException;
import orrery.model.time.TimeSource;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Sessions on CANFAR's science platform through skaha's REST API. Sizes and images are checked
 * against {@code /context} and {@code /image} (cached for {@code catalogue-ttl}) before a launch,
 * so a refusal names what skaha offers; rate limits and 5xx answers are reported as
 * {@link BackendUnavailableException} and retried by the caller, 4xx answers refuse with skaha's
 * own message.
 */
@ApplicationScoped
@Typed(SkahaBackend.class)
public class SkahaBackend implements SessionBackend {

    private static final Logger LOG = Logger.getLogger(SkahaBackend.class);
    private static final Duration FIND_SKEW = Duration.ofMinutes(2);

    private final SkahaApi api;
    private final CanfarConfig.Skaha config;
    private final TimeSource time;
    private volatile Catalogue catalogue;

    @Inject
    public SkahaBackend(@RestClient SkahaApi api, CanfarConfig config, TimeSource time) {
        this.api = api;
        this.config = config.skaha();
        this.time = time;
        if (this.config.token().isEmpty()) {
            LOG.warn("no skaha token configured (ORRERY_CANFAR_SKAHA_TOKEN): skaha will refuse the adapter's calls");
        }
    }

    /** What skaha offers, and when we asked. */
    record Catalogue(SkahaContext context, List<SkahaImage> images, Instant fetched) {
    }

    @Override
    public String name() {
        return "skaha";
    }

    @Override
    public PollBackoff backoff() {
        return new PollBackoff(config.pollInitial(), config.pollMax(), 2.0);
    }

    @Override
    public Duration defaultStartup() {
        return config.defaultStartup();
    }

    @Override
    public Duration killGrace() {
        return null;
    }

    @Override
    public Uni<String> launch(LaunchSpec spec) {
        return Uni.createFrom().item(() -> form(spec))
                .chain(form -> catalogue()
                        .invoke(offered -> refuseUnlessOffered(offered, spec.image(), spec.kind(), spec.cores(), spec.ram()))
                        .chain(ignored -> api.create(form)))
                .map(SkahaBackend::sessionId)
                .onFailure().transform(failure -> classify(failure, "launch the session"));
    }

    @Override
    public Uni<String> find(SessionRef session) {
        return api.sessions()
                .map(sessions -> sessions.stream()
                        .filter(s -> session.name().equalsIgnoreCase(s.name()) && session.image().equals(s.image()))
                        .filter(s -> startedAfter(s, session.createdAt().minus(FIND_SKEW)))
                        .max(Comparator.comparing(s -> Optional.ofNullable(instant(s.startTime())).orElse(Instant.MIN)))
                        .map(SkahaSession::id).orElse(null))
                .onFailure().transform(failure -> classify(failure, "list sessions"));
    }

    @Override
    public Uni<Observation> observe(SessionRef session) {
        return api.session(session.platformId())
                .map(SkahaBackend::observation)
                .onFailure(SkahaException.class).recoverWithUni(failure -> notFound(failure)
                        ? Uni.createFrom().item(Observation.gone("skaha no longer knows session " + session.platformId()))
                        : Uni.createFrom().failure(failure))
                .onFailure().transform(failure -> classify(failure, "look at the session"));
    }

    @Override
    public Uni<Void> terminate(SessionRef session) {
        return api.delete(session.platformId())
                .onFailure(SkahaBackend::notFound).recoverWithNull()
                .onFailure().transform(failure -> classify(failure, "delete the session"));
    }

    @Override
    public Uni<Void> kill(SessionRef session) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Instant> renew(SessionRef session) {
        return api.action(session.platformId(), "renew")
                .chain(() -> api.session(session.platformId()))
                .map(renewed -> instant(renewed.expiryTime()))
                .onFailure().transform(failure -> classify(failure, "renew the session"));
    }

    @Override
    public Uni<SessionLog> logs(SessionRef session, long offset) {
        return api.view(session.platformId(), "logs")
                .map(text -> (SessionLog) new SessionLog.Text(from(text == null ? "" : text, offset)))
                .onFailure().transform(failure -> classify(failure, "read the session's logs"));
    }

    @Override
    public Uni<Feasibility> feasibility(CanfarQuoteRequest request) {
        return catalogue().map(offered -> {
            try {
                refuseUnlessOffered(offered, request.image(), request.kind(), request.cores(), request.ram());
                refuseMounts(request.mounts());
                return Feasibility.yes();
            } catch (ProblemException refused) {
                return Feasibility.no(refused.getMessage());
            }
        }).onFailure().transform(failure -> classify(failure, "read skaha's sizes and images"));
    }

    // --- launching ------------------------------------------------------------------------------

    /**
     * skaha's form for the launch; refuses what skaha's server would mangle (it splits args on spaces). A
     * container session is a headless session of its image, launched by the name skaha lists (its digest was
     * checked against skaha's at the quote), with the entrypoint as skaha's cmd or, without one, the image's own.
     */
    MultivaluedMap<String, String> form(LaunchSpec spec) {
        refuseMounts(spec.mounts());
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
        form.add("name", spec.name());
        form.add("image", ImageReference.parse(spec.image()).name());
        form.add("cores", Integer.toString(spec.cores()));
        form.add("ram", Integer.toString(spec.ram()));
        form.add("type", spec.kind() == SessionKind.notebook ? "notebook" : "headless");
        if (spec.kind() != SessionKind.notebook) {
            addCommand(form, spec);
            addEnvironment(form, spec);
        }
        return form;
    }

    private static void addCommand(MultivaluedMap<String, String> form, LaunchSpec spec) {
        if (spec.cmd() == null) {
            if (!spec.args().isEmpty()) {
                throw Refusals.invalidField("cmd", "skaha replaces a container's entrypoint with cmd and passes args "
                        + "to it, so a container's command (args) needs its entrypoint (cmd) too");
            }
            return;
        }
        plain("cmd", spec.cmd());
        form.add("cmd", spec.cmd());
        if (!spec.args().isEmpty()) {
            for (int i = 0; i < spec.args().size(); i++) {
                plain("args[" + i + "]", spec.args().get(i));
            }
            form.add("args", String.join(" ", spec.args()));
        }
    }

    /** The launch's variables and Orrery's own, the session folder as skaha mounts it among them. */
    private void addEnvironment(MultivaluedMap<String, String> form, LaunchSpec spec) {
        for (Map.Entry<String, String> entry : spec.env().entrySet()) {
            envValue(entry.getKey(), entry.getValue());
            form.add("env", entry.getKey() + "=" + entry.getValue());
        }
        form.add("env", "ORRERY_SESSION_ID=" + spec.sessionId());
        form.add("env", "ORRERY_EXECUTION_ID=" + spec.executionId());
        if (spec.workdir() != null) {
            String workdir = config.storageRoot().resolve(spec.workdir().replaceAll("^/+", "")).toString();
            envValue("ORRERY_WORKDIR", workdir);
            form.add("env", "ORRERY_WORKDIR=" + workdir);
        }
    }

    private static void plain(String field, String value) {
        if (value.isEmpty() || value.chars().anyMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\\')) {
            throw Refusals.invalidField(field, "skaha passes headless commands and arguments as one space-separated "
                    + "string, so " + field + " may not be empty or hold spaces, quotes or backslashes: '" + value + "'");
        }
    }

    private static void envValue(String name, String value) {
        if (value.isEmpty() || value.indexOf('=') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0) {
            throw Refusals.invalidField("env." + name, "skaha drops environment values that are empty or hold '=', "
                    + "quotes or newlines; " + name + " has such a value");
        }
    }

    private static void refuseMounts(List<VolumeMount> mounts) {
        if (!mounts.isEmpty()) {
            throw Refusals.unsupported("skaha mounts only the session folder (its data under their names in "
                    + "ORRERY_WORKDIR), not files at other paths; ask without volume mounts");
        }
    }

    private void refuseUnlessOffered(Catalogue offered, String image, SessionKind kind, int cores, int ram) {
        SkahaContext context = offered.context();
        if (context.cores() != null && !context.cores().offers(cores)) {
            throw Refusals.unsupported("skaha offers " + context.cores().options() + " cores; " + cores + " is not one of them");
        }
        if (context.memoryGB() != null && !context.memoryGB().offers(ram)) {
            throw Refusals.unsupported("skaha offers " + context.memoryGB().options() + " GB of memory; " + ram
                    + " is not one of them");
        }
        ImageReference reference = ImageReference.parse(image);
        Optional<SkahaImage> known = offered.images().stream().filter(i -> reference.name().equals(i.id())).findFirst();
        String type = kind == SessionKind.container ? SessionKind.headless.name() : kind.name();
        if (known.isEmpty()) {
            throw Refusals.unsupported("skaha does not list image " + reference.name() + " (GET /image): publish it in "
                    + "the CANFAR image registry and label it '" + type + "'");
        }
        List<String> types = known.get().types() == null ? List.of() : known.get().types();
        if (!types.contains(type)) {
            throw Refusals.unsupported("image " + reference.name() + " is labelled " + types + " on skaha, not '" + type + "'");
        }
        if (reference.digest().isPresent() && !reference.digest().get().equals(known.get().digest())) {
            throw Refusals.unsupported(known.get().digest() == null
                    ? "skaha lists no digest for image " + reference.name() + ", so the digest asked for ("
                    + reference.digest().get() + ") cannot be checked; ask without a digest or publish the image again"
                    : "image " + reference.name() + " on skaha has digest " + known.get().digest() + ", not "
                    + reference.digest().get() + " as asked: the tag now names other content");
        }
    }

    private Uni<Catalogue> catalogue() {
        Catalogue current = catalogue;
        Instant now = time.now();
        if (current != null && current.fetched().plus(config.catalogueTtl()).isAfter(now)) {
            return Uni.createFrom().item(current);
        }
        return Uni.combine().all().unis(api.context(), api.images()).asTuple()
                .map(both -> new Catalogue(both.getItem1(), both.getItem2() == null ? List.of() : both.getItem2(), now))
                .invoke(fetched -> catalogue = fetched);
    }

    private static String sessionId(String reply) {
        String id = reply == null ? "" : reply.strip().lines().findFirst().orElse("").strip();
        if (!Subjects.isToken(id)) {
            throw new BackendUnavailableException("skaha answered the launch with '" + reply + "', not a session id",
                    null, null);
        }
        return id;
    }

    // --- looking --------------------------------------------------------------------------------

    static Observation observation(SkahaSession session) {
        SessionStatus status = SkahaStatuses.map(session.status());
        String message = status == null ? "skaha reports status '" + session.status() + "'" : null;
        if (status == SessionStatus.Failed) {
            message = "skaha reports the session " + session.status()
                    + " (skaha gives no exit status; see the session's logs and events)";
        }
        // Headless sessions carry a placeholder such as "not-applicable"; only a URL is passed on.
        String connect = session.connectURL() != null && session.connectURL().startsWith("http") ? session.connectURL() : null;
        return new Observation(status, instant(session.startTime()), connect, null, message,
                instant(session.expiryTime()), false);
    }

    private static String from(String text, long offset) {
        if (offset <= 0) {
            return text;
        }
        return offset >= text.length() ? "" : text.substring((int) offset);
    }

    private static boolean startedAfter(SkahaSession session, Instant earliest) {
        Instant started = instant(session.startTime());
        return started == null || !started.isBefore(earliest);
    }

    /** skaha's times are ISO-8601 instants; anything else (e.g. "Up since ...") reads as unknown. */
    static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean notFound(Throwable failure) {
        return failure instanceof SkahaException skaha && skaha.status() == 404;
    }

    /** Our failure for a skaha failure: refusals stay, 4xx refuse with skaha's words, the rest is transient. */
    private static Throwable classify(Throwable failure, String doing) {
        if (failure instanceof ProblemException || failure instanceof BackendUnavailableException) {
            return failure;
        }
        if (failure instanceof SkahaException skaha) {
            if (skaha.isTransient()) {
                return new BackendUnavailableException("skaha could not " + doing + " right now (HTTP " + skaha.status()
                        + "): " + skaha.message(), skaha.retryAfter(), skaha);
            }
            if (skaha.status() == 401 || skaha.status() == 403) {
                return new ProblemException(orrery.model.problem.Problem.of("skaha-credentials", 502,
                        "skaha refused the adapter's credentials", "skaha refused to " + doing + " (HTTP "
                                + skaha.status() + "): " + skaha.message()
                                + "; check the token in ORRERY_CANFAR_SKAHA_TOKEN"), skaha);
            }
            return new ProblemException(orrery.model.problem.Problem.of("skaha-refused", 422,
                    "skaha refused the request", "skaha refused to " + doing + " (HTTP " + skaha.status() + "): "
                            + skaha.message()), skaha);
        }
        return new BackendUnavailableException("skaha could not be reached to " + doing + ": "
                + Optional.ofNullable(failure.getMessage()).orElse(failure.getClass().getSimpleName()), null, failure);
    }

}
