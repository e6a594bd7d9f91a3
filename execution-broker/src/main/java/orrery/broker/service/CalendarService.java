package orrery.broker.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import orrery.broker.config.BrokerConfig;
import orrery.broker.domain.Booking;
import orrery.broker.domain.CalendarRefusals;
import orrery.broker.domain.Calendar;
import orrery.broker.domain.CapacityCalendar;
import orrery.broker.domain.CapacitySchedule;
import orrery.broker.domain.CompactSchedule;
import orrery.broker.domain.FreeSpan;
import orrery.broker.domain.ReservationRequest;
import orrery.broker.domain.ReservationState;
import orrery.broker.domain.Segment;
import orrery.broker.domain.UserQuota;
import orrery.broker.store.Calendars;
import orrery.broker.store.PoolEntity;
import orrery.broker.store.ReservationEntity;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.time.TimeSource;
import orrery.support.messaging.SafeContexts;
import org.jboss.logging.Logger;

/**
 * Pools, their schedules, reservations and availability. Every change to a pool's reservations
 * happens in one transaction under the pool's row lock (see {@link Calendars#lock}): no
 * overbooking, also with several broker replicas.
 */
@ApplicationScoped
public class CalendarService {

    private static final Logger LOG = Logger.getLogger(CalendarService.class);

    private final Calendars calendars;
    private final TimeSource time;
    private final BrokerConfig config;
    private final SafeContexts contexts;
    private final UserQuota quota;

    @Inject
    public CalendarService(Calendars calendars, TimeSource time, BrokerConfig config, SafeContexts contexts) {
        this.calendars = calendars;
        this.time = time;
        this.config = config;
        this.contexts = contexts;
        this.quota = new UserQuota(config.quota().maxCores(), config.quota().horizon());
    }

    /** Creates the configured pools that do not exist yet. */
    void loadConfiguredPools(@Observes StartupEvent startup) {
        Map<String, CapacitySchedule> pools = new LinkedHashMap<>();
        config.pools().forEach((name, compact) -> pools.put(name, CompactSchedule.parse(compact)));
        contexts.run(() -> Panache.withTransaction(() -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Map.Entry<String, CapacitySchedule> pool : pools.entrySet()) {
                chain = chain.chain(() -> PoolEntity.<PoolEntity>findById(pool.getKey()).chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().voidItem();
                    }
                    LOG.infof("creating pool %s from configuration", pool.getKey());
                    return newPool(pool.getKey(), pool.getValue()).persist().replaceWithVoid();
                }));
            }
            return chain;
        })).await().indefinitely();
    }

    /** Defines or replaces a pool's schedule; refuses a schedule that would overbook existing reservations. */
    public Uni<PoolResult> definePool(String name, CapacitySchedule schedule) {
        return Panache.withTransaction(() -> PoolEntity.<PoolEntity>findById(name,
                jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).chain(existing -> {
            if (existing == null) {
                return newPool(name, schedule).<PoolEntity>persist().map(pool -> new PoolResult(pool, true));
            }
            Instant now = time.now();
            return calendars.activeFrom(name, 0, now).map(bookings -> {
                checkStillFits(schedule, bookings);
                existing.schedule = compact(schedule);
                existing.updatedAt = now;
                return new PoolResult(existing, false);
            });
        }));
    }

    public Uni<PoolEntity> pool(String name) {
        return Panache.withSession(() -> calendars.find(name));
    }

    public Uni<List<PoolEntity>> pools() {
        return Panache.withSession(() -> PoolEntity.<PoolEntity>listAll(io.quarkus.panache.common.Sort.by("name")));
    }

    public Uni<List<FreeSpan>> availability(String pool, long start, long end) {
        if (start >= end) {
            throw CalendarRefusals.startNotBeforeEnd(start, end);
        }
        return Panache.withSession(() -> calendars.find(pool)
                .chain(entity -> calendars.calendar(entity, start, time.now())).map(calendar -> calendar.free(start, end)));
    }

    /** Reserves for a person: FIRM until released, within the pool's capacity and the person's quota. */
    public Uni<ReservationEntity> reserve(String pool, ReservationRequest request, String owner) {
        // The user's lock before the pool's (see Calendars#lockUser): the quota is read before the
        // pool is locked, so the pool waits only for the capacity check and the insert.
        // What no calendar could grant (400, 404) is refused before the quota is looked at.
        return Panache.withTransaction(() -> calendars.schedule(pool)
                .invoke(schedule -> checkPossible(schedule, request.start(), request.end(), request.amount()))
                .chain(() -> checkQuota(owner, request.start(), request.end(), request.amount()))
                .chain(() -> calendars.lockAndDecide(pool, request.start(), time.now(), calendar -> {
                    check(calendar, request.start(), request.end(), request.amount());
                    return true;
                }))
                .chain(() -> insert(pool, owner, request.start(), request.end(), request.amount(), ReservationState.FIRM,
                        "manual", null)));
    }

    /** The quota every user has, from configuration. */
    public UserQuota quota() {
        return quota;
    }

    /**
     * Refuses (409, {@code quota-exceeded}) when {@code owner} holding {@code amount} more cores over
     * {@code [start, end)} would break their quota. Call inside the deciding transaction: it takes the
     * user's lock, so two decisions of one user cannot both pass on stale numbers.
     */
    public Uni<Void> checkQuota(String owner, long start, long end, int amount) {
        return calendars.lockUser(owner)
                .chain(() -> calendars.heldBy(owner, start))
                .invoke(held -> quota.refusal(start, end, amount, time.now(), held).ifPresent(why -> {
                    throw new ProblemException(Problem.of("quota-exceeded", 409, "Over your quota", why)
                            .with("quota", java.util.Map.of("maxCores", quota.maxCores(), "horizon", quota.horizon().toString())));
                }))
                .replaceWithVoid();
    }

    public Uni<ReservationEntity> reservation(String pool, UUID id, String owner) {
        return Panache.withSession(() -> ReservationEntity.<ReservationEntity>findById(id)).map(found -> {
            if (found == null || !found.pool.equals(pool) || !mayTouch(found, owner)) {
                throw notFound(id);
            }
            return found;
        });
    }

    /** Releases a reservation (idempotent); {@code owner} null: an administrator releasing anyone's. */
    public Uni<Void> release(String pool, UUID id, String owner) {
        return Panache.withTransaction(() -> ReservationEntity.<ReservationEntity>findById(id).map(found -> {
            if (found == null || !found.pool.equals(pool) || !mayTouch(found, owner)) {
                throw notFound(id);
            }
            if (found.state != ReservationState.RELEASED) {
                found.state = ReservationState.RELEASED;
                found.releasedAt = time.now();
            }
            return null;
        }));
    }

    /** {@code owner} null stands for an administrator, who may touch anyone's reservation. */
    private static boolean mayTouch(ReservationEntity reservation, String owner) {
        return owner == null || reservation.owner.equals(owner);
    }

    /**
     * Checks a request against a calendar, throwing the refusal with its alternatives when it
     * does not fit. Call under the pool lock.
     */
    public static void check(Calendar calendar, long start, long end, int amount) {
        CapacitySchedule schedule = calendar.schedule();
        checkPossible(schedule, start, end, amount);
        if (!calendar.fits(start, end, amount)) {
            int largest = calendar.largestFree(start, end);
            long next = calendar.nextFit(start, end - start, amount, schedule.end());
            Map<String, Object> alternatives = new LinkedHashMap<>();
            alternatives.put("nextTimeframe", next < 0 ? null : Map.of("start_time", next, "end_time", next + (end - start)));
            alternatives.put("largestFree", Map.of("amount", largest, "start_time", start, "end_time", end));
            String hint = next < 0 ? "no later timeframe of the same length has " + amount + " cores free"
                    : "the next timeframe of the same length with " + amount + " cores free starts at " + next;
            throw new ProblemException(Problem.of("not-enough-capacity", 409, "Not enough capacity",
                    "only " + largest + " of the " + amount + " cores asked for are free throughout [" + start + ", " + end
                            + "); " + hint).with("alternatives", alternatives));
        }
    }

    /** Refuses (400) what the schedule alone rules out, whatever is reserved: outside it, or more than it ever has. */
    private static void checkPossible(CapacitySchedule schedule, long start, long end, int amount) {
        if (!schedule.covers(start, end)) {
            throw CalendarRefusals.outsideSchedule(start, end, schedule);
        }
        int most = schedule.maxCapacity(start, end);
        if (amount > most) {
            throw CalendarRefusals.amountExceedsCapacity(amount, most, start, end);
        }
    }

    /** Inserts a reservation row (call under the pool lock, after {@link #check}). */
    public Uni<ReservationEntity> insert(String pool, String owner, long start, long end, int amount, ReservationState state,
                                         String purpose, Instant expiresAt) {
        return row(pool, owner, start, end, amount, state, purpose, expiresAt).persist();
    }

    /** A new reservation row, not yet persisted. */
    public ReservationEntity row(String pool, String owner, long start, long end, int amount, ReservationState state,
                                 String purpose, Instant expiresAt) {
        ReservationEntity row = new ReservationEntity();
        row.id = UUID.randomUUID();
        row.pool = pool;
        row.owner = owner;
        row.startTime = start;
        row.endTime = end;
        row.amount = amount;
        row.state = state;
        row.purpose = purpose;
        row.expiresAt = expiresAt;
        row.createdAt = time.now();
        return row;
    }

    private static void checkStillFits(CapacitySchedule schedule, List<Booking> bookings) {
        CapacityCalendar calendar = new CapacityCalendar(schedule, bookings);
        for (Booking booking : bookings) {
            boolean overbooked = calendar.free(booking.start(), booking.end()).stream().anyMatch(span -> span.free() < 0);
            if (overbooked || !schedule.covers(booking.start(), booking.end())) {
                throw new ProblemException(Problem.of("schedule-conflicts-with-reservations", 409,
                        "The new schedule would overbook existing reservations",
                        "the reservation of " + booking.amount() + " cores over [" + booking.start() + ", " + booking.end()
                                + ") would no longer fit; release it first or keep enough capacity there"));
            }
        }
    }

    private PoolEntity newPool(String name, CapacitySchedule schedule) {
        PoolEntity pool = new PoolEntity();
        pool.name = name;
        pool.schedule = compact(schedule);
        pool.createdAt = time.now();
        pool.updatedAt = pool.createdAt;
        return pool;
    }

    public static String compact(CapacitySchedule schedule) {
        StringBuilder text = new StringBuilder();
        for (Segment segment : schedule.segments()) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append('{').append(segment.start()).append(',').append(segment.end()).append(',').append(segment.capacity())
                    .append('}');
        }
        return text.toString();
    }

    private static ProblemException notFound(UUID id) {
        return new ProblemException(Problem.of("not-found", 404, "Not Found", "no reservation " + id + " of yours"));
    }

    /** A pool after {@link #definePool}, and whether it was new. */
    public record PoolResult(PoolEntity pool, boolean created) {
    }
}
