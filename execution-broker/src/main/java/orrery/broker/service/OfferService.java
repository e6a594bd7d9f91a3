package orrery.broker.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import orrery.broker.config.BrokerConfig;
import orrery.broker.domain.Booking;
import orrery.broker.domain.Calendar;
import orrery.broker.domain.OfferPlan;
import orrery.broker.domain.OfferPlanner;
import orrery.broker.domain.Phase;
import orrery.broker.domain.PlannedOffer;
import orrery.broker.domain.ReservationState;
import orrery.broker.domain.UserQuota;
import orrery.broker.store.Calendars;
import orrery.broker.store.ExecutionEntity;
import orrery.broker.store.ExecutionStates;
import orrery.broker.store.HistoryEntity;
import orrery.broker.store.OfferSetEntity;
import orrery.broker.store.OfferSetRows;
import orrery.broker.store.OfferSetRows.Stored;
import orrery.broker.store.ReservationEntity;
import orrery.broker.store.StepEntity;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.time.TimeSource;

/**
 * Offer sets and the decisions on their offers. An offer set is planned under the pool's lock,
 * from this replica's ledger of the pool (caught up first, so it is as current as the database),
 * and stored with one execution (phase OFFERED) and one HELD reservation per offer, in the same
 * transaction, so every offer made can be kept: a batch of the pool's offer sets at a time, in one
 * statement, on the plain reactive client ({@link OfferBatches}, {@link OfferSetRows}).
 * Planning reads the user's firm bookings without the user's lock: offers are alternatives and
 * not quota decisions, and accepting re-checks the quota under that lock. Accepting one makes its reservation FIRM and
 * rejects its siblings, releasing theirs; from then on {@link Lifecycle} drives it.
 */
@ApplicationScoped
public class OfferService {

    private final PreparationQuotes quotes;
    private final Calendars calendars;
    private final CalendarService calendarService;
    private final Lifecycle lifecycle;
    private final ExecutionStates states;
    private final TimeSource time;
    private final BrokerConfig.Offers config;
    private final OfferPlanner planner;
    private final OfferBatches batches;
    private final OfferSetRows rows;
    private final Pool client;

    /** Run after a decision commits (publish the outbox, look for due work). */
    private final List<Runnable> nudges;

    /** An offer set and its offers (or executions), earliest start first. */
    public record OfferSet(OfferSetEntity set, List<ExecutionEntity> offers) {
    }

    /** An execution with its steps. */
    public record Found(ExecutionEntity execution, List<StepEntity> steps) {
    }

    /** One page of a user's executions. */
    public record Page(List<ExecutionEntity> executions, int page, int size, long total) {
    }

    public OfferService(PreparationQuotes quotes, Calendars calendars, CalendarService calendarService, Lifecycle lifecycle,
                        ExecutionStates states, TimeSource time, BrokerConfig config, OutboxRelay relay, DueWork due,
                        OfferBatches batches, OfferSetRows rows, Pool client) {
        this.batches = batches;
        this.rows = rows;
        this.client = client;
        this.quotes = quotes;
        this.calendars = calendars;
        this.calendarService = calendarService;
        this.lifecycle = lifecycle;
        this.states = states;
        this.time = time;
        this.config = config.offers();
        this.planner = new OfferPlanner(this.config.maxOffers(), this.config.granularity(), this.config.horizon());
        this.nudges = List.of(relay::kick, due::wake);
    }

    /**
     * Plans and stores an offer set for {@code owner}; {@code requestJson} is kept as the request.
     * The owner's firm bookings are read first, without a lock (see the class comment); the plan is
     * made under the pool's lock, in the pool's next batch ({@link OfferBatches}).
     */
    public Uni<OfferSet> create(String owner, OfferIntent intent, String requestJson) {
        UUID id = UUID.randomUUID();
        return quotes.quote(owner, id.toString(), intent).chain(preparation -> {
            if (!preparation.feasible()) {
                return batches.submit(intent.pool(), (pool, now) -> stored(id, owner, intent, requestJson, preparation,
                        new OfferPlan(List.of(), preparation.problems()), now));
            }
            return rows.heldBy(client, owner, time.now().getEpochSecond()).chain(held -> batches.submit(intent.pool(),
                    (pool, now) -> stored(id, owner, intent, requestJson, preparation, plan(intent, preparation, now, pool, held), now)));
        }).map(stored -> new OfferSet(stored.set(), stored.offers()));
    }

    /**
     * Plans within the pool's calendar narrowed to the owner's quota, so every offer is one the
     * owner may accept. When that finds nothing but the pool alone would, the quota is the reason.
     */
    private OfferPlan plan(OfferIntent intent, Preparation preparation, Instant now, Calendar pool, List<Booking> held) {
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

    /** The rows of an offer set: the set, a HELD reservation per offer and the offer (an execution in phase OFFERED). */
    private Stored stored(UUID id, String owner, OfferIntent intent, String requestJson, Preparation preparation, OfferPlan plan,
                          Instant now) {
        OfferSetEntity set = offerSetRow(id, owner, intent.name(), requestJson, plan.yes(), reasons(plan, preparation), now);
        String steps = states.write(preparation.steps());
        String session = states.write(intent.session());
        List<PlannedOffer> offers = plan.offers();
        List<ReservationEntity> holds = new ArrayList<>();
        List<ExecutionEntity> rows = new ArrayList<>();
        for (int index = 0; index < offers.size(); index++) {
            PlannedOffer offer = offers.get(index);
            ReservationEntity hold = calendarService.row(intent.pool(), owner, offer.booking().start(), offer.booking().end(),
                    offer.cores(), ReservationState.HELD, "offer", set.expiresAt);
            hold.createdAt = now;
            holds.add(hold);
            rows.add(offerRow(set, intent, offer, index, hold, steps, session));
        }
        return new Stored(set, holds, rows);
    }

    private static List<String> reasons(OfferPlan plan, Preparation preparation) {
        List<String> reasons = new ArrayList<>(plan.reasons());
        if (plan.yes()) {
            reasons.addAll(preparation.notes());
        }
        return reasons;
    }

    /** One offer: the execution row (phase OFFERED) that holds {@code hold}. */
    private static ExecutionEntity offerRow(OfferSetEntity set, OfferIntent intent, PlannedOffer offer, int index,
                                            ReservationEntity hold, String steps, String session) {
        ExecutionEntity row = new ExecutionEntity();
        row.id = UUID.randomUUID();
        row.offerSetId = set.id;
        row.owner = set.owner;
        row.name = (intent.name() == null ? "offer" : intent.name()) + "-" + index;
        row.phase = Phase.OFFERED;
        row.pool = intent.pool();
        row.reservationId = hold.id;
        row.cores = offer.cores();
        row.memory = offer.memory();
        row.prepStart = offer.preparationStart();
        row.startAt = offer.start();
        row.durationSeconds = offer.duration().getSeconds();
        row.prepCostSeconds = offer.preparation().getSeconds();
        row.steps = steps;
        row.session = session;
        row.expiresAt = set.expiresAt;
        row.createdAt = set.createdAt;
        row.updatedAt = set.createdAt;
        return row;
    }

    private OfferSetEntity offerSetRow(UUID id, String owner, String name, String requestJson, boolean yes, List<String> reasons,
                                       Instant now) {
        OfferSetEntity set = new OfferSetEntity();
        set.id = id;
        set.owner = owner;
        set.name = name;
        set.request = requestJson;
        set.result = yes ? "YES" : "NO";
        set.reasons = states.write(reasons);
        set.createdAt = now;
        set.expiresAt = now.plus(config.expiry());
        return set;
    }

    @WithSession
    public Uni<OfferSet> offerSet(String owner, UUID id) {
        return OfferSetEntity.<OfferSetEntity>findById(id).chain(set -> {
            if (set == null || !set.owner.equals(owner)) {
                throw notFound("offer set", id);
            }
            return ExecutionEntity.listByOfferSet(id).map(rows -> new OfferSet(set, rows));
        });
    }

    @WithSession
    public Uni<Found> execution(String owner, UUID id) {
        return execution(owner, false, id);
    }

    /** {@code owner}'s execution {@code id}, or anyone's for an administrator ({@code anyone}); 404 otherwise. */
    @WithSession
    public Uni<Found> execution(String owner, boolean anyone, UUID id) {
        return ExecutionEntity.<ExecutionEntity>findById(id).chain(row -> {
            own(row, anyone ? null : owner, id);
            return StepEntity.listByExecution(id).map(steps -> new Found(row, steps));
        });
    }

    /** The phase changes of execution {@code id}, in Lamport order: {@code owner}'s, or anyone's when {@code anyone} (404 otherwise). */
    @WithSession
    public Uni<List<ExecutionEvents.PhaseChange>> history(String owner, boolean anyone, UUID id) {
        return ExecutionEntity.<ExecutionEntity>findById(id).chain(row -> {
            own(row, anyone ? null : owner, id);
            return HistoryEntity.listByExecution(id);
        }).map(rows -> rows.stream().sorted(Comparator.comparingLong((HistoryEntity r) -> r.lamport))
                .map(r -> new ExecutionEvents.PhaseChange(id.toString(), r.phase.name(), r.previous == null ? null : r.previous.name(),
                        r.reason, r.at, r.lamport)).toList());
    }

    @WithSession
    public Uni<Page> list(String owner, Phase phase, int page, int size) {
        var found = ExecutionEntity.findByOwner(owner, phase);
        return found.page(page, size).list().chain(rows -> found.count().map(total -> new Page(rows, page, size, total)));
    }

    /** Turns an offer into an execution: its reservation becomes FIRM, its siblings are rejected. */
    public Uni<ExecutionEntity> accept(String owner, UUID id) {
        return afterCommit(Panache.withTransaction(() -> lockOffer(owner, id).chain(row -> {
            Instant now = time.now();
            return ReservationEntity.<ReservationEntity>findById(row.reservationId)
                    .call(reservation -> calendarService.checkQuota(owner, reservation.startTime, reservation.endTime, reservation.amount))
                    .call(() -> calendars.lock(row.pool)) // before the reservation changes: user, then pool (Calendars#lockUser)
                    .invoke(reservation -> {
                        reservation.state = ReservationState.FIRM;
                        reservation.purpose = "execution";
                        reservation.expiresAt = null;
                        row.expiresAt = null;
                    })
                    .chain(() -> ExecutionEntity.listOpenSiblings(row.offerSetId, id))
                    .chain(siblings -> Multi.createFrom().iterable(siblings)
                            .onItem().transformToUniAndConcatenate(sibling -> reject(sibling, "another offer of the set was accepted", now))
                            .collect().last())
                    .chain(() -> lifecycle.accept(row))
                    .replaceWith(row);
        })));
    }

    /** Once a decision is committed, its messages go out and its due work is looked at at once. */
    private <T> Uni<T> afterCommit(Uni<T> decision) {
        return decision.invoke(() -> nudges.forEach(Runnable::run));
    }

    /**
     * Cancels an offer (it is rejected) or an execution before it completes: the reservation is
     * released and what is under way is undone.
     */
    public Uni<ExecutionEntity> cancel(String owner, UUID id) {
        return afterCommit(Panache.withTransaction(() -> ExecutionEntity.findForUpdate(id).chain(row -> {
            own(row, owner, id);
            if (row.phase == Phase.OFFERED) {
                return reject(row, "cancelled by its owner", time.now()).replaceWith(row);
            }
            if (!row.phase.canBecome(Phase.CANCELLED)) {
                throw new ProblemException(Problem.of("execution-finished", 409, "Too late to cancel",
                        "execution " + id + " is " + row.phase + "; only executions before COMPLETED can be cancelled")
                        .with("phase", row.phase.name()));
            }
            return lifecycle.cancel(row, "cancelled by its owner while " + row.phase).replaceWith(row);
        })));
    }

    /** Answers NO without planning, for requests that ask for what this broker cannot do. */
    @WithTransaction
    public Uni<OfferSet> answerNo(String owner, String name, String requestJson, List<String> reasons) {
        OfferSetEntity set = offerSetRow(UUID.randomUUID(), owner, name, requestJson, false, reasons, time.now());
        return set.persist().replaceWith(new OfferSet(set, List.of()));
    }

    /** Rejects an offer, releasing its reservation. */
    @WithTransaction
    public Uni<ExecutionEntity> reject(String owner, UUID id) {
        return lockOffer(owner, id).chain(row -> reject(row, "rejected by its owner", time.now()).replaceWith(row));
    }

    private Uni<Void> reject(ExecutionEntity row, String why, Instant now) {
        row.phase = Phase.REJECTED;
        row.reason = why;
        row.updatedAt = now;
        return ReservationEntity.release(row.reservationId, now);
    }

    /** The offer, locked, if it is the caller's and still open; otherwise the 404 or 409 that says why. */
    private Uni<ExecutionEntity> lockOffer(String owner, UUID id) {
        return ExecutionEntity.findForUpdate(id).map(row -> {
            own(row, owner, id);
            if (row.phase == Phase.EXPIRED || (row.phase == Phase.OFFERED && !row.expiresAt.isAfter(time.now()))) {
                throw new ProblemException(Problem.of("offer-expired", 409, "The offer expired",
                        "offer " + id + " expired at " + row.expiresAt + "; ask for a new offer set").with("expired", row.expiresAt));
            }
            if (row.phase != Phase.OFFERED) {
                throw new ProblemException(Problem.of("offer-already-decided", 409, "The offer was already decided",
                        "offer " + id + " is " + row.phase + (row.reason == null ? "" : " (" + row.reason + ")")
                                + "; only an OFFERED offer can be accepted or rejected").with("phase", row.phase.name()));
            }
            return row;
        });
    }

    /** 404 unless the row exists and {@code owner} owns it (any owner when {@code owner} is null: an administrator reads). */
    private static void own(ExecutionEntity row, String owner, UUID id) {
        if (row == null || (owner != null && !row.owner.equals(owner))) {
            throw notFound("execution", id);
        }
    }

    private static ProblemException notFound(String what, UUID id) {
        return new ProblemException(Problem.of("not-found", 404, "Not Found", "no " + what + " " + id + " of yours"));
    }
}
