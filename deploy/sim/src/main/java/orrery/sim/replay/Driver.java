package orrery.sim.replay;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import orrery.model.sim.SimTime;
import orrery.sim.workload.Request;
import orrery.sim.workload.Workload;

/**
 * Plays a workload against the broker on simulated time, as a participant of the simulation:
 * at each request's submit time it asks for offers and accepts one by the policy; at each cancel
 * time it cancels; after the last booked end it looks at every execution until all are final,
 * then reads their histories. Between events it reports idle with the next event as its wake.
 * A broker that cannot be reached (within the client's retry time) ends the run
 * ({@link BrokerClient.Unreachable}); one that refuses the token on the first call too ({@link TokenRefused}).
 *
 * <p><b>Determinism.</b> Everything the driver does happens on one thread in workload order, and
 * (with {@code isolate}, the default) each event runs in an epoch of its own, after everything
 * else due at that instant has settled: on reaching an instant with events due it first reports
 * idle asking to be woken at the same instant, so the controller lets every other participant
 * finish what that instant holds (timers, messages, JetStream) before the driver calls the broker;
 * and after each event it does the same again before the next one due then. So the broker never
 * sees a request race its own timers, and the same workload and seed on fresh state give the same
 * histories. The first of those waits is skipped when time moved for the driver's wake-up alone
 * ({@link SimTime#wokenAlone}): every other participant was idle, with nothing due before a later
 * instant, so there is nothing to let settle. The cost is then an extra advance only where an
 * event shares its instant with another participant's wake-up or with another event.
 */
final class Driver {

    /** Which offer to accept. */
    enum Policy {
        /** the first the broker lists (its earliest start with as many cores as fit) */
        FIRST,
        /** one at random, seeded per request */
        RANDOM,
        /** the one that starts latest (the first of those, on a tie) */
        LATEST
    }

    /**
     * @param start    the simulated instant the workload's start is mapped to (null: the time when the driver joined)
     * @param policy   which offer to accept
     * @param seed     the seed of the random policy
     * @param isolate  give each event an epoch of its own, after the instant has settled (see the class comment)
     * @param settle   how long after the last booked end the driver keeps looking for executions to end
     * @param parallel how many look-ups run at once when the executions are checked and their histories read
     * @param progress real time between progress lines (zero: none)
     * @param booking  how requests become offer-set bodies
     * @param pool     the pool whose capacity the report compares with (the booking pool, or the broker's default)
     * @param perUser  whether each request books as its workload user (signed tokens), else as the one token's user
     */
    record Settings(Instant start, Policy policy, long seed, boolean isolate, Duration settle, int parallel, Duration progress,
                    BookingRequests.Settings booking, String pool, boolean perUser) {
    }

    /** What the run found. */
    record Result(List<Booking> bookings, Instant origin, Instant end, long advances, long wallNanos, JsonNode pool,
                  int unfinished) {
    }

    /** The broker refused the token outright (401 or 403 on the first call): nothing else would be accepted either. */
    static final class TokenRefused extends RuntimeException {
        TokenRefused(String message) {
            super(message);
        }
    }

    private enum Kind { SUBMIT, CANCEL, CHECK }

    private record Event(Instant at, Kind kind, int position) {
    }

    private static final Comparator<Event> ORDER = Comparator.comparing(Event::at).thenComparing(Event::kind)
            .thenComparingInt(Event::position);
    private static final Duration FIRST_CHECK_DELAY = Duration.ofSeconds(1);
    private static final Duration MAX_CHECK_DELAY = Duration.ofHours(1);
    private static final int LOGGED_ERRORS = 20;
    /** The user column of bookings made with the one {@code --token}: whoever the token names. */
    static final String TOKEN_USER = "(--token)";

    private final Participant participant;
    private final BrokerClient broker;
    private final Workload workload;
    private final Settings settings;
    private final Consumer<String> log;
    private final LongSupplier nanoTime;
    private final PriorityQueue<Event> events = new PriorityQueue<>(ORDER);
    private final List<Booking> bookings = new ArrayList<>();
    private final List<Booking> unfinished = new ArrayList<>();
    private Instant origin;
    private Instant latestEnd;
    private Instant giveUpAt;
    private Duration checkDelay = FIRST_CHECK_DELAY;
    private int submitsLeft;
    private int submitted;
    private int acceptedCount;
    private int finished;
    private int loggedErrors;
    private long wallStart;
    private long lastProgress;

    Driver(Participant participant, BrokerClient broker, Workload workload, Settings settings, Consumer<String> log,
           LongSupplier nanoTime) {
        this.participant = Objects.requireNonNull(participant, "participant");
        this.broker = Objects.requireNonNull(broker, "broker");
        this.workload = Objects.requireNonNull(workload, "workload");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.log = Objects.requireNonNull(log, "log");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** The simulated instant the workload's start was mapped to, once {@link #run} has begun. */
    Instant origin() {
        return origin;
    }

    Result run() throws InterruptedException {
        wallStart = nanoTime.getAsLong();
        lastProgress = wallStart;
        SimTime time = participant.time();
        long firstEpoch = time.epoch();
        origin = settings.start() != null ? settings.start() : time.now();
        if (origin.isBefore(time.now())) {
            throw new IllegalArgumentException("--start " + origin + " is already past: simulated time is " + time.now()
                    + " (omit --start to begin where time is)");
        }
        for (Request request : workload.requests()) {
            Instant at = origin.plus(request.submit());
            bookings.add(new Booking(request, at, settings.perUser() ? request.user() : TOKEN_USER));
            events.add(new Event(at, Kind.SUBMIT, request.position()));
        }
        submitsLeft = bookings.size();
        JsonNode pool = readPool();
        log.accept("replaying " + bookings.size() + " requests of " + workload.source() + " from " + origin + " (accepting the "
                + settings.policy().name().toLowerCase(Locale.ROOT) + " offer" + (settings.policy() == Policy.RANDOM
                ? ", seed " + settings.seed() : "") + ")");
        ExecutorService lookups = Executors.newFixedThreadPool(Math.max(1, settings.parallel()), runnable -> {
            Thread thread = new Thread(runnable, "orrery-replay-lookup");
            thread.setDaemon(true);
            return thread;
        });
        Instant deferredAt = null;
        try {
            while (true) {
                time = participant.time();
                Instant now = time.now();
                Instant wake;
                boolean done;
                try (Participant.Work work = participant.enter("replay: the events due at " + now)) {
                    Event due = events.peek();
                    boolean isDue = due != null && !due.at().isAfter(now);
                    if (isDue && mustSettleFirst(time, deferredAt)) {
                        deferredAt = now; // let this instant settle first
                    } else if (isDue) {
                        do {
                            handle(events.poll(), now, lookups);
                            due = events.peek();
                        } while (!settings.isolate() && due != null && !due.at().isAfter(now));
                    }
                    done = events.isEmpty();
                    Event next = events.peek();
                    wake = next == null ? null : next.at().isAfter(now) ? next.at() : now;
                    if (done) {
                        readHistories(lookups);
                    }
                }
                if (done) {
                    progress(participant.time(), true);
                    return new Result(List.copyOf(bookings), origin, participant.time().now(),
                            participant.time().epoch() - firstEpoch, nanoTime.getAsLong() - wallStart, pool, unfinished.size());
                }
                participant.idle(wake);
                SimTime next = null;
                while (next == null) {
                    next = participant.awaitAfter(time.epoch(), settings.progress().isZero() ? Duration.ofSeconds(1) : settings.progress());
                    progress(next == null ? time : next, false);
                }
            }
        } finally {
            lookups.shutdownNow();
        }
    }

    /**
     * Whether the events due now wait an epoch for the instant to settle (see the class comment):
     * with isolation, unless this instant has already waited or is the driver's wake-up alone.
     */
    private boolean mustSettleFirst(SimTime time, Instant deferredAt) {
        return settings.isolate() && !time.now().equals(deferredAt) && !time.wokenAlone(participant.name());
    }

    // --- events ----------------------------------------------------------------------------------

    private void handle(Event event, Instant now, ExecutorService lookups) throws InterruptedException {
        Booking booking = event.kind() == Kind.CHECK ? null : bookings.get(event.position());
        switch (event.kind()) {
            case SUBMIT -> {
                submit(booking, now);
                submitsLeft--;
                if (booking.request().cancels()) {
                    booking.cancelAt = booking.submitAt().plus(booking.request().cancelAfter());
                    events.add(new Event(booking.cancelAt, Kind.CANCEL, event.position()));
                }
                if (submitsLeft == 0 && acceptedCount > 0) {
                    Instant last = latestEnd.isAfter(now) ? latestEnd : now;
                    giveUpAt = last.plus(settings.settle());
                    events.add(new Event(last.plus(FIRST_CHECK_DELAY), Kind.CHECK, 0));
                }
            }
            case CANCEL -> cancel(booking);
            case CHECK -> check(now, lookups);
        }
    }

    private void submit(Booking booking, Instant now) {
        submitted++;
        Request request = booking.request();
        BrokerClient.Response answer;
        try (Participant.Work call = participant.enter("replay: POST /api/v1/offersets (request " + request.id() + ")")) {
            answer = broker.offerSet(booking.user(), BookingRequests.body(request, booking.submitAt(), settings.booking()));
        }
        if (!answer.ok()) {
            booking.answer = Booking.Answer.ERROR;
            booking.reason = answer.problem() + ": " + answer.detail();
            error("request " + request.id() + " was refused: " + booking.reason);
            return;
        }
        JsonNode body = answer.body();
        booking.offerSet = uuid(body.path("id"));
        JsonNode offers = body.path("offers");
        booking.offers = offers.size();
        if (!"YES".equals(body.path("result").asText()) || offers.isEmpty()) {
            booking.answer = Booking.Answer.NO;
            booking.reason = body.path("reasons").isArray() && !body.path("reasons").isEmpty() ? body.path("reasons").get(0).asText()
                    : "NO without a reason";
            return;
        }
        booking.answer = Booking.Answer.YES;
        JsonNode offer = choose(offers, request.position());
        UUID id = uuid(offer.path("id"));
        if (id == null) {
            booking.acceptProblem = "an offer without an id: " + offer;
            error("request " + request.id() + ": " + booking.acceptProblem);
            return;
        }
        BrokerClient.Response accepted;
        try (Participant.Work call = participant.enter("replay: POST /api/v1/executions/" + id + "/accept (request " + request.id() + ")")) {
            accepted = broker.accept(booking.user(), id);
        }
        if (!accepted.ok()) {
            booking.acceptProblem = accepted.problem() + ": " + accepted.detail();
            error("request " + request.id() + ": accepting offer " + id + " was refused: " + booking.acceptProblem);
            return;
        }
        JsonNode view = accepted.body().path("schedule").isObject() ? accepted.body() : offer;
        booking.execution = id;
        booking.cores = view.path("compute").path("cores").asInt(request.cores());
        booking.memory = view.path("compute").path("memory").isNumber() ? view.path("compute").path("memory").asInt() : null;
        booking.preparingStart = instant(view.path("schedule").path("preparing").path("start"), booking.submitAt());
        booking.start = instant(view.path("schedule").path("executing").path("start"), booking.submitAt());
        booking.duration = duration(view.path("schedule").path("executing").path("duration"), request.duration());
        acceptedCount++;
        Instant end = booking.bookedEnd();
        if (latestEnd == null || end.isAfter(latestEnd)) {
            latestEnd = end;
        }
    }

    private JsonNode choose(JsonNode offers, int position) {
        return switch (settings.policy()) {
            case FIRST -> offers.get(0);
            case RANDOM -> offers.get(new Random(settings.seed() * 1_000_003L + position).nextInt(offers.size()));
            case LATEST -> {
                JsonNode latest = offers.get(0);
                for (JsonNode offer : offers) {
                    if (instant(offer.path("schedule").path("executing").path("start"), Instant.MIN)
                            .isAfter(instant(latest.path("schedule").path("executing").path("start"), Instant.MIN))) {
                        latest = offer;
                    }
                }
                yield latest;
            }
        };
    }

    private void cancel(Booking booking) {
        if (!booking.accepted()) {
            booking.cancelOutcome = "nothing to cancel (not accepted)";
            return;
        }
        if (booking.finalPhase != null) {
            booking.cancelOutcome = "too late: already " + booking.finalPhase;
            return;
        }
        BrokerClient.Response answer;
        try (Participant.Work call = participant.enter("replay: POST /api/v1/executions/" + booking.execution + "/cancel")) {
            answer = broker.cancel(booking.user(), booking.execution);
        }
        booking.cancelOutcome = answer.ok() ? "cancelled" : answer.status() == 409 ? "too late: " + answer.detail()
                : "refused: " + answer.problem() + ": " + answer.detail();
    }

    /** Looks at every accepted execution not yet known to be final; again later while some are not. */
    private void check(Instant now, ExecutorService lookups) throws InterruptedException {
        List<Booking> open = bookings.stream().filter(b -> b.accepted() && b.finalPhase == null).toList();
        List<Callable<Void>> calls = new ArrayList<>();
        for (Booking b : open) {
            calls.add(() -> {
                try (Participant.Work call = participant.enter("replay: GET /api/v1/executions/" + b.execution)) {
                    BrokerClient.Response view = broker.execution(b.user(), b.execution);
                    String phase = view.body().path("phase").asText("");
                    if (view.ok() && BrokerClient.FINAL_PHASES.contains(phase)) {
                        b.finalPhase = phase;
                        b.finalReason = view.body().path("reason").isTextual() ? view.body().path("reason").asText() : null;
                    } else if (view.ok()) {
                        b.finalReason = "still " + phase + " at " + now;
                    }
                }
                return null;
            });
        }
        await(lookups.invokeAll(calls));
        List<Booking> still = open.stream().filter(b -> b.finalPhase == null).toList();
        finished = (int) bookings.stream().filter(b -> b.finalPhase != null).count();
        if (still.isEmpty()) {
            return;
        }
        if (!now.isBefore(giveUpAt)) {
            unfinished.addAll(still);
            log.accept(still.size() + " executions had not ended " + settings.settle() + " after the last booked end, e.g. request "
                    + still.get(0).request().id() + " (" + still.get(0).execution + ", " + still.get(0).finalReason + "); giving up on them");
            return;
        }
        Instant next = now.plus(checkDelay);
        checkDelay = checkDelay.multipliedBy(4).compareTo(MAX_CHECK_DELAY) > 0 ? MAX_CHECK_DELAY : checkDelay.multipliedBy(4);
        events.add(new Event(next.isAfter(giveUpAt) ? giveUpAt : next, Kind.CHECK, 0));
    }

    /** Reads the phase history of every finished execution (its events stream ends at once). */
    private void readHistories(ExecutorService lookups) throws InterruptedException {
        List<Callable<Void>> calls = new ArrayList<>();
        for (Booking b : bookings) {
            if (b.accepted() && b.finalPhase != null) {
                calls.add(() -> {
                    try (Participant.Work call = participant.enter("replay: GET /api/v1/executions/" + b.execution + "/events")) {
                        b.history = List.copyOf(broker.history(b.user(), b.execution));
                    }
                    return null;
                });
            }
        }
        await(lookups.invokeAll(calls));
    }

    private static void await(List<Future<Void>> futures) throws InterruptedException {
        for (Future<Void> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(cause);
            }
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    private JsonNode readPool() {
        if (bookings.isEmpty()) {
            return null;
        }
        String pool = settings.pool() == null ? "default" : settings.pool();
        try (Participant.Work call = participant.enter("replay: GET /api/v1/pools/" + pool)) {
            BrokerClient.Response answer = broker.pool(bookings.get(0).user(), pool);
            if (answer.ok()) {
                return answer.body();
            }
            if (answer.status() == 401 || answer.status() == 403) {
                throw new TokenRefused("the broker refused the token (" + answer.problem() + (answer.detail().isEmpty() ? ""
                        : ": " + answer.detail()) + "); give a token it accepts (--token, ORRERY_TOKEN) or the key that "
                        + "signs them (--jwt-key, with --jwt-issuer and --jwt-audience as the broker expects)");
            }
            log.accept("cannot read pool " + pool + " (" + answer.problem() + "); the report leaves its capacity out");
        }
        return null;
    }

    private void progress(SimTime time, boolean last) {
        if (settings.progress().isZero()) {
            return;
        }
        long nowNanos = nanoTime.getAsLong();
        if (!last && nowNanos - lastProgress < settings.progress().toNanos()) {
            return;
        }
        lastProgress = nowNanos;
        double wall = (nowNanos - wallStart) / 1e9;
        double simulated = Duration.between(origin, time.now()).toMillis() / 1000.0;
        log.accept(String.format(Locale.ROOT, "%s  %d/%d submitted, %d accepted%s  epoch %d  speed-up %s", time.now(),
                submitted, bookings.size(), acceptedCount, giveUpAt == null ? "" : ", " + finished + " ended", time.epoch(),
                wall > 0 ? String.format(Locale.ROOT, "%.0fx", simulated / wall) : "-"));
    }

    private void error(String message) {
        loggedErrors++;
        if (loggedErrors <= LOGGED_ERRORS) {
            log.accept(message);
        } else if (loggedErrors == LOGGED_ERRORS + 1) {
            log.accept("(more errors: see bookings.csv and summary.json)");
        }
    }

    private static UUID uuid(JsonNode node) {
        try {
            return node.isTextual() ? UUID.fromString(node.asText()) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Instant instant(JsonNode node, Instant fallback) {
        try {
            return node.isTextual() ? Instant.parse(node.asText()) : fallback;
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private static Duration duration(JsonNode node, Duration fallback) {
        try {
            return node.isTextual() ? Duration.parse(node.asText()) : node.isNumber() ? Duration.ofMillis(Math.round(node.asDouble() * 1000))
                    : fallback;
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
