package orrery.sim.workload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * A seeded workload: arrivals as a Poisson process of {@code ratePerHour} (exponential gaps, whole
 * seconds), each request's cores, duration, runtime and user uniform in their ranges, and the
 * rest from the {@link RequestShape}. The same spec and seed give the same workload, draw for
 * draw ({@link Random}'s sequence is specified; logarithms use {@link StrictMath}); a longer count
 * extends a shorter one without changing it.
 */
public final class WorkloadGenerator {

    /**
     * @param count           how many requests (null: as many as arrive within {@code span})
     * @param span            how long requests keep arriving (null: until {@code count} have)
     * @param ratePerHour     mean arrivals per hour
     * @param cores           cores per request
     * @param durations       booked durations (whole minutes)
     * @param runtimeFraction the session's runtime as a share of its duration (above 1: it overruns and is ended at the booked end)
     * @param users           how many users share the requests ({@code sim-user-1} ...)
     * @param shape           windows, data, kinds, failures and cancels
     */
    public record Spec(Integer count, Duration span, double ratePerHour, Range.Longs cores, Range.Durations durations,
                       Range.Doubles runtimeFraction, int users, RequestShape shape) {

        public Spec {
            Objects.requireNonNull(shape, "shape");
            if (count == null && span == null) {
                throw new IllegalArgumentException("say how many requests (--count) or for how long they arrive (--span)");
            }
            if (count != null && count < 0) {
                throw new IllegalArgumentException("--count must not be negative, was " + count);
            }
            if (span != null && (span.isNegative() || span.isZero())) {
                throw new IllegalArgumentException("--span must be positive, was " + span);
            }
            if (!(ratePerHour > 0) || Double.isInfinite(ratePerHour)) {
                throw new IllegalArgumentException("--rate (arrivals per hour) must be positive, was " + ratePerHour);
            }
            if (cores.min() < 1) {
                throw new IllegalArgumentException("--cores must be at least 1, was " + cores);
            }
            if (durations.min().compareTo(Duration.ofMinutes(1)) < 0) {
                throw new IllegalArgumentException("--duration must be at least PT1M, was " + durations);
            }
            if (runtimeFraction.min() < 0) {
                throw new IllegalArgumentException("--runtime (a share of the duration) must not be negative, was " + runtimeFraction);
            }
            if (users < 1) {
                throw new IllegalArgumentException("--users must be at least 1, was " + users);
            }
        }

        /** Six arrivals an hour, 1 to 16 cores for 30 minutes to 4 hours, running half to all of it, 8 users. */
        public static Spec defaults(Integer count, Duration span) {
            return new Spec(count, span, 6, new Range.Longs(1, 16), new Range.Durations(Duration.ofMinutes(30), Duration.ofHours(4)),
                    new Range.Doubles(0.5, 1.0), 8,
                    new RequestShape(new Range.Durations(Duration.ofHours(1), Duration.ofHours(4)), new Range.Longs(0, 2),
                            new Range.Longs(1_000_000, 2_000_000_000), 0.2, 0.02, 0.05, 0.05));
        }

        @Override
        public String toString() {
            return "generated: " + (count == null ? "" : count + " requests") + (count != null && span != null ? " within " : "")
                    + (span == null ? "" : span.toString()) + ", " + ratePerHour + "/h, cores " + cores + ", durations " + durations
                    + ", runtime " + runtimeFraction + " of it, " + users + " users, " + shape;
        }
    }

    private WorkloadGenerator() {
    }

    public static Workload generate(Spec spec, long seed) {
        Random arrivals = RequestShape.random(seed, 0, 0xA221_7A15L);
        double meanGapSeconds = 3600.0 / spec.ratePerHour();
        List<Request> requests = new ArrayList<>();
        long at = 0;
        for (int i = 0; spec.count() == null || i < spec.count(); i++) {
            if (i > 0) {
                at += Math.round(-StrictMath.log(1.0 - arrivals.nextDouble()) * meanGapSeconds);
            }
            Duration submit = Duration.ofSeconds(at);
            if (spec.span() != null && submit.compareTo(spec.span()) >= 0) {
                break;
            }
            requests.add(request(spec, seed, i, submit));
        }
        return new Workload(spec.toString() + ", seed " + seed, requests, Map.of(), null);
    }

    private static Request request(Spec spec, long seed, int position, Duration submit) {
        Random own = RequestShape.random(seed, position, 0x0C0E_5L);
        int cores = (int) spec.cores().uniform(own);
        Duration duration = spec.durations().uniform(own, Duration.ofMinutes(1));
        Duration runtime = Duration.ofSeconds(Math.round(duration.getSeconds() * spec.runtimeFraction().uniform(own)));
        String user = "sim-user-" + (1 + (int) new Range.Longs(0, spec.users() - 1L).uniform(own));
        RequestShape.Traits traits = spec.shape().draw(seed, position);
        Duration cancelAfter = traits.cancelFraction() == null ? null
                : Duration.ofSeconds(Math.round(traits.cancelFraction() * traits.window().plus(duration).getSeconds()));
        return new Request(position, "g" + (position + 1), user, submit, cores, null, duration, traits.window(), traits.data(),
                traits.kind(), cancelAfter, runtime, traits.exitFails() ? 1 : 0, traits.failStaging());
    }
}
