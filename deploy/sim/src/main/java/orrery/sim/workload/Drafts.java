package orrery.sim.workload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What the SWF and Batsim readers share: a job as the file says it ({@link Draft}), then the
 * workload made of them: ordered by submit time (file order among equals), shifted so that the
 * first request is submitted at the workload's start, and completed with the {@link RequestShape}'s
 * draws for what the file does not say.
 */
final class Drafts {

    /** Durations below this are booked as this (the broker plans in whole minutes). */
    static final Duration MIN_DURATION = Duration.ofMinutes(1);

    private Drafts() {
    }

    /**
     * A job as its file gives it.
     *
     * @param submit      after the file's time origin
     * @param runtime     null when the file does not say
     * @param exitStatus  null when the file does not say
     * @param cancelAfter null when the file does not say it was cancelled
     */
    record Draft(String id, String user, Duration submit, int cores, Integer memory, Duration duration, Duration runtime,
                 Integer exitStatus, Duration cancelAfter) {
    }

    static Workload workload(String source, List<Draft> drafts, Map<String, Integer> skipped, Integer resources, RequestShape shape,
                             long seed) {
        List<Draft> ordered = new ArrayList<>(drafts);
        ordered.sort(Comparator.comparing(Draft::submit)); // stable: file order among equal submit times
        Duration origin = ordered.isEmpty() ? Duration.ZERO : ordered.get(0).submit();
        List<Request> requests = new ArrayList<>();
        for (Draft d : ordered) {
            int position = requests.size();
            RequestShape.Traits traits = shape.draw(seed, position);
            Duration duration = d.duration().compareTo(MIN_DURATION) < 0 ? MIN_DURATION : d.duration();
            Duration cancelAfter = d.cancelAfter();
            if (cancelAfter == null && traits.cancelFraction() != null) {
                cancelAfter = Duration.ofSeconds(Math.round(traits.cancelFraction() * traits.window().plus(duration).getSeconds()));
            }
            Integer exit = traits.exitFails() ? Integer.valueOf(1) : d.exitStatus();
            requests.add(new Request(position, d.id(), d.user(), d.submit().minus(origin), d.cores(), d.memory(), duration,
                    traits.window(), traits.data(), traits.kind(), cancelAfter, d.runtime(), exit, traits.failStaging()));
        }
        return new Workload(source, requests, skipped, resources);
    }

    /** Seconds (possibly fractional, as Batsim writes them) as a duration of whole seconds (the broker books in seconds). */
    static Duration seconds(double seconds) {
        return Duration.ofSeconds(Math.round(seconds));
    }
}
