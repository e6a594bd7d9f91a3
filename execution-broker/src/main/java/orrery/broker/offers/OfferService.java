package orrery.broker.offers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import orrery.broker.api.OfferSetRequest;
import orrery.broker.api.OfferViews.ComputeView;
import orrery.broker.api.OfferViews.ExecutionPage;
import orrery.broker.api.OfferViews.ExecutionView;
import orrery.broker.api.OfferViews.OfferSetView;
import orrery.broker.api.OfferViews.OfferView;
import orrery.broker.api.OfferViews.ScheduleView;
import orrery.broker.api.OfferViews.SessionView;
import orrery.broker.api.OfferViews.TaskView;
import orrery.broker.api.OfferViews.Span;
import orrery.broker.calendar.CalendarService;
import orrery.broker.domain.UserQuota;
import orrery.broker.domain.Booking;
import orrery.broker.domain.CapacityCalendar;
import orrery.broker.config.BrokerConfig;
import orrery.broker.domain.OfferPlan;
import orrery.broker.domain.OfferPlanner;
import orrery.broker.domain.Phase;
import orrery.broker.domain.PlannedOffer;
import orrery.broker.domain.PlannedStep;
import orrery.broker.store.Calendars;
import orrery.broker.store.ExecutionEntity;
import orrery.broker.store.OfferSetEntity;
import orrery.broker.store.ReservationEntity;
import orrery.broker.store.StepEntity;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.time.TimeSource;

/**
 * Offer sets and the decisions on their offers. An offer set is planned under the pool's lock
 * and stored with one execution (phase OFFERED) and one HELD reservation per offer, all in one
 * transaction, so every offer made can be kept. Accepting one makes its reservation FIRM and
 * rejects its siblings, releasing theirs.
 */
@ApplicationScoped
public class OfferService {

    private static final TypeReference<List<PlannedStep>> STEPS = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final PreparationQuotes quotes;
    private final Calendars calendars;
    private final CalendarService calendarService;
    private final TimeSource time;
    private final BrokerConfig.Offers config;
    private final OfferPlanner planner;
    private final ObjectMapper json;
    private final List<AcceptanceListener> listeners;

    /** Run after a decision commits (publish the outbox, look for due work). */
    private final List<Runnable> nudges;

    /** Told, inside the deciding transaction, that an offer became an execution or an execution was cancelled. */
    public interface AcceptanceListener {
        Uni<Void> accepted(ExecutionEntity execution);

        /** The execution, in {@code from}, was cancelled by its owner: undo what is under way. */
        default Uni<Void> cancelled(ExecutionEntity execution, Phase from) {
            return Uni.createFrom().voidItem();
        }
    }

    @Inject
    public OfferService(PreparationQuotes quotes, Calendars calendars, CalendarService calendarService, TimeSource time,
                        BrokerConfig config, ObjectMapper json, jakarta.enterprise.inject.Instance<AcceptanceListener> listeners,
                        orrery.broker.lifecycle.OutboxRelay relay, orrery.broker.lifecycle.DueWork due) {
        this.quotes = quotes;
        this.calendars = calendars;
        this.calendarService = calendarService;
        this.time = time;
        this.config = config.offers();
        this.planner = new OfferPlanner(this.config.maxOffers(), this.config.granularity(), this.config.horizon());
        this.json = json;
        this.listeners = listeners.stream().toList();
        this.nudges = List.of(relay::kick, due::wake);
    }

    /** Plans and stores an offer set for {@code owner}. */
    public Uni<OfferSetView> create(String owner, OfferSetRequest request) {
        OfferIntent intent = OfferRequests.read(request, config, time.now());
        UUID id = UUID.randomUUID();
        return quotes.quote(owner, id.toString(), intent).chain(preparation -> Panache.withTransaction(() ->
                calendars.lock(intent.pool()).chain(pool -> {
                    Instant now = time.now();
                    if (!preparation.feasible()) {
                        return store(id, owner, intent, request, preparation,
                                new OfferPlan(List.of(), preparation.problems()), now);
                    }
                    return calendars.calendar(pool, now.getEpochSecond(), now)
                            .chain(calendar -> calendars.lockUser(owner)
                                    .chain(() -> calendars.heldBy(owner, now.getEpochSecond()))
                                    .map(held -> plan(intent, preparation, now, calendar, held)))
                            .chain(plan -> store(id, owner, intent, request, preparation, plan, now));
                })));
    }

    /**
     * Plans within the pool's calendar narrowed to the owner's quota, so every offer is one the
     * owner may accept. When that finds nothing but the pool alone would, the quota is the reason.
     */
    private OfferPlan plan(OfferIntent intent, Preparation preparation, Instant now, CapacityCalendar pool, List<Booking> held) {
        UserQuota quota = calendarService.quota();
        OfferPlan plan = planner.plan(intent.ask(), preparation.cost(), now, quota.limit(pool, held, now));
        if (plan.yes() || !planner.plan(intent.ask(), preparation.cost(), now, pool).yes()) {
            return plan;
        }
        List<String> reasons = new ArrayList<>();
        reasons.add("your quota (" + quota.describe() + ") leaves no start in the requested windows; you hold "
                + held.stream().mapToInt(Booking::amount).sum() + " cores in firm bookings that end after now");
        reasons.addAll(plan.reasons());
        return new OfferPlan(List.of(), reasons);
    }

    private Uni<OfferSetView> store(UUID id, String owner, OfferIntent intent, OfferSetRequest request, Preparation preparation,
                                    OfferPlan plan, Instant now) {
        Instant expires = now.plus(config.expiry());
        List<String> reasons = new ArrayList<>(plan.reasons());
        if (plan.yes()) {
            reasons.addAll(preparation.notes());
        }
        OfferSetEntity set = new OfferSetEntity();
        set.id = id;
        set.owner = owner;
        set.name = intent.name();
        set.request = write(request);
        set.result = plan.yes() ? "YES" : "NO";
        set.reasons = write(reasons);
        set.createdAt = now;
        set.expiresAt = expires;
        String steps = write(preparation.steps());
        String session = write(intent.session());
        Uni<List<ExecutionEntity>> stored = set.persist().replaceWith(new ArrayList<>());
        for (int i = 0; i < plan.offers().size(); i++) {
            PlannedOffer offer = plan.offers().get(i);
            int index = i;
            stored = stored.chain(rows -> calendarService.insert(intent.pool(), owner, offer.booking().start(),
                            offer.booking().end(), offer.cores(), ReservationEntity.HELD, "offer", expires)
                    .chain(reservation -> {
                        ExecutionEntity row = new ExecutionEntity();
                        row.id = UUID.randomUUID();
                        row.offerSetId = id;
                        row.owner = owner;
                        row.name = (intent.name() == null ? "offer" : intent.name()) + "-" + index;
                        row.phase = Phase.OFFERED.name();
                        row.pool = intent.pool();
                        row.reservationId = reservation.id;
                        row.cores = offer.cores();
                        row.memory = offer.memory();
                        row.prepStart = offer.preparationStart();
                        row.startAt = offer.start();
                        row.durationSeconds = offer.duration().getSeconds();
                        row.prepCostSeconds = offer.preparation().getSeconds();
                        row.steps = steps;
                        row.session = session;
                        row.expiresAt = expires;
                        row.createdAt = now;
                        row.updatedAt = now;
                        return row.<ExecutionEntity>persist();
                    })
                    .map(row -> {
                        rows.add(row);
                        return rows;
                    }));
        }
        return stored.map(rows -> view(set, rows));
    }

    public Uni<OfferSetView> offerSet(String owner, UUID id) {
        return Panache.withSession(() -> OfferSetEntity.<OfferSetEntity>findById(id).chain(set -> {
            if (set == null || !set.owner.equals(owner)) {
                throw notFound("offer set", id);
            }
            return ExecutionEntity.<ExecutionEntity>list("offerSetId", Sort.by("startAt"), id).map(rows -> view(set, rows));
        }));
    }

    public Uni<ExecutionView> execution(String owner, UUID id) {
        return Panache.withSession(() -> ExecutionEntity.<ExecutionEntity>findById(id).chain(row -> {
            own(row, owner, id);
            return StepEntity.<StepEntity>list("executionId = ?1 order by createdAt, taskId", id).map(steps -> view(row, steps));
        }));
    }

    public Uni<ExecutionPage> list(String owner, Phase phase, int page, int size) {
        String query = phase == null ? "owner = ?1" : "owner = ?1 and phase = ?2";
        Object[] params = phase == null ? new Object[] {owner} : new Object[] {owner, phase.name()};
        return Panache.withSession(() -> {
            var found = ExecutionEntity.<ExecutionEntity>find(query, Sort.descending("createdAt"), params);
            return found.page(page, size).list().chain(rows -> found.count()
                    .map(total -> new ExecutionPage(rows.stream().map(this::view).toList(), page, size, total)));
        });
    }

    /** Turns an offer into an execution: its reservation becomes FIRM, its siblings are rejected. */
    public Uni<ExecutionView> accept(String owner, UUID id) {
        return afterCommit(Panache.withTransaction(() -> lockOffer(owner, id).chain(row -> {
            Instant now = time.now();
            return ReservationEntity.<ReservationEntity>findById(row.reservationId).call(reservation ->
                    calendarService.checkQuota(owner, reservation.startTime, reservation.endTime, reservation.amount)
            ).chain(reservation -> {
                reservation.state = ReservationEntity.FIRM;
                reservation.purpose = "execution";
                reservation.expiresAt = null;
                row.phase = Phase.ACCEPTED.name();
                row.expiresAt = null;
                row.updatedAt = now;
                return ExecutionEntity.<ExecutionEntity>list("offerSetId = ?1 and id <> ?2 and phase = ?3", row.offerSetId, id,
                        Phase.OFFERED.name());
            }).chain(siblings -> {
                Uni<Void> released = Uni.createFrom().voidItem();
                for (ExecutionEntity sibling : siblings) {
                    released = released.chain(() -> reject(sibling, "another offer of the set was accepted", now));
                }
                return released;
            }).chain(() -> notifyAccepted(row)).map(ignored -> view(row));
        })));
    }

    /** Once a decision is committed, its messages go out and its due work is looked at at once. */
    private <T> Uni<T> afterCommit(Uni<T> decision) {
        return decision.invoke(() -> nudges.forEach(Runnable::run));
    }

    /**
     * Cancels an offer (it is rejected) or an execution before it completes: the reservation is
     * released and what is under way is undone by the listeners.
     */
    public Uni<ExecutionView> cancel(String owner, UUID id) {
        return afterCommit(Panache.withTransaction(() -> ExecutionEntity.<ExecutionEntity>findById(id, LockModeType.PESSIMISTIC_WRITE)
                .chain(row -> {
                    own(row, owner, id);
                    Phase phase = Phase.valueOf(row.phase);
                    Instant now = time.now();
                    if (phase == Phase.OFFERED) {
                        return reject(row, "cancelled by its owner", now).map(ignored -> view(row));
                    }
                    if (!phase.canBecome(Phase.CANCELLED)) {
                        throw new ProblemException(Problem.of("execution-finished", 409, "Too late to cancel",
                                "execution " + id + " is " + phase + "; only executions before COMPLETED can be cancelled")
                                .with("phase", phase.name()));
                    }
                    row.phase = Phase.CANCELLED.name();
                    row.reason = "cancelled by its owner while " + phase;
                    row.updatedAt = now;
                    return release(row, now).chain(() -> {
                        Uni<Void> chain = Uni.createFrom().voidItem();
                        for (AcceptanceListener listener : listeners) {
                            chain = chain.chain(() -> listener.cancelled(row, phase));
                        }
                        return chain;
                    }).map(ignored -> view(row));
                })));
    }

    /** Answers NO without planning, for requests that ask for what this broker cannot do. */
    public Uni<OfferSetView> answerNo(String owner, String name, String requestJson, List<String> reasons) {
        Instant now = time.now();
        OfferSetEntity set = new OfferSetEntity();
        set.id = UUID.randomUUID();
        set.owner = owner;
        set.name = name;
        set.request = requestJson;
        set.result = "NO";
        set.reasons = write(reasons);
        set.createdAt = now;
        set.expiresAt = now.plus(config.expiry());
        return Panache.withTransaction(() -> set.persist()).map(ignored -> view(set, List.of()));
    }

    /** Rejects an offer, releasing its reservation. */
    public Uni<ExecutionView> reject(String owner, UUID id) {
        return Panache.withTransaction(() -> lockOffer(owner, id)
                .chain(row -> reject(row, "rejected by its owner", time.now()).map(ignored -> view(row))));
    }

    private Uni<Void> notifyAccepted(ExecutionEntity row) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (AcceptanceListener listener : listeners) {
            chain = chain.chain(() -> listener.accepted(row));
        }
        return chain;
    }

    private Uni<Void> reject(ExecutionEntity row, String why, Instant now) {
        row.phase = Phase.REJECTED.name();
        row.reason = why;
        row.updatedAt = now;
        return release(row, now);
    }

    /** Releases the execution's reservation (call inside a transaction). */
    public static Uni<Void> release(ExecutionEntity row, Instant now) {
        return ReservationEntity.<ReservationEntity>findById(row.reservationId).map(reservation -> {
            if (reservation != null && !ReservationEntity.RELEASED.equals(reservation.state)) {
                reservation.state = ReservationEntity.RELEASED;
                reservation.releasedAt = now;
            }
            return null;
        });
    }

    /** The offer, locked, if it is the caller's and still open; otherwise the 404 or 409 that says why. */
    private Uni<ExecutionEntity> lockOffer(String owner, UUID id) {
        return ExecutionEntity.<ExecutionEntity>findById(id, LockModeType.PESSIMISTIC_WRITE).map(row -> {
            own(row, owner, id);
            Phase phase = Phase.valueOf(row.phase);
            if (phase == Phase.EXPIRED || (phase == Phase.OFFERED && !row.expiresAt.isAfter(time.now()))) {
                throw new ProblemException(Problem.of("offer-expired", 409, "The offer expired",
                        "offer " + id + " expired at " + row.expiresAt + "; ask for a new offer set").with("expired", row.expiresAt));
            }
            if (phase != Phase.OFFERED) {
                throw new ProblemException(Problem.of("offer-already-decided", 409, "The offer was already decided",
                        "offer " + id + " is " + phase + (row.reason == null ? "" : " (" + row.reason + ")")
                                + "; only an OFFERED offer can be accepted or rejected").with("phase", phase.name()));
            }
            return row;
        });
    }

    private ExecutionEntity own(ExecutionEntity row, String owner, UUID id) {
        if (row == null || !row.owner.equals(owner)) {
            throw notFound("execution", id);
        }
        return row;
    }

    private OfferSetView view(OfferSetEntity set, List<ExecutionEntity> rows) {
        return new OfferSetView(set.id, set.name, set.result, set.createdAt, set.expiresAt,
                rows.stream().map(OfferView::of).toList(), read(set.reasons, STRINGS), "/api/v1/offersets/" + set.id);
    }

    public ExecutionView view(ExecutionEntity row) {
        return view(row, null);
    }

    private ExecutionView view(ExecutionEntity row, List<StepEntity> steps) {
        SessionView session = row.sessionId == null ? null
                : new SessionView(row.sessionId, row.connectUrl, row.startedAt, row.finishedAt);
        List<TaskView> tasks = steps == null || steps.isEmpty() ? null : steps.stream().map(step -> new TaskView(step.taskId,
                step.kind, step.name, step.state, java.time.Duration.ofSeconds(step.costSeconds), step.progressDone,
                step.progressTotal, step.reason)).toList();
        return new ExecutionView(row.id, row.offerSetId, row.name, row.phase, row.expiresAt,
                new ScheduleView(new Span(row.prepStart, row.preparation()), new Span(row.startAt, row.duration())),
                new ComputeView(row.cores, row.memory), row.pool, read(row.steps, STEPS), row.reason, row.latePolicy,
                row.late ? Boolean.TRUE : null, session, tasks, row.createdAt, row.updatedAt);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    private static ProblemException notFound(String what, UUID id) {
        return new ProblemException(Problem.of("not-found", 404, "Not Found", "no " + what + " " + id + " of yours"));
    }
}
