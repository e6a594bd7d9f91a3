package orrery.broker.offers;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import orrery.broker.api.OfferSetRequest;
import orrery.broker.config.BrokerConfig;
import orrery.broker.domain.OfferAsk;
import orrery.model.canfar.SessionKind;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.schedule.IsoSchedule;
import orrery.model.schedule.TimeInterval;
import orrery.model.staging.Checks;
import orrery.model.staging.StagingItem;

/** Checks a native offer-set request and turns it into an {@link OfferIntent}; mistakes are 400s that name the field. */
public final class OfferRequests {

    public static final String JUPYTER_NOTEBOOK = "jupyter-notebook";
    public static final String COMMAND = "command";

    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_+=,@-][A-Za-z0-9._+=,@-]{0,254}");
    private static final Pattern POOL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Duration DEFAULT_DURATION = Duration.ofHours(1);

    private OfferRequests() {
    }

    public static OfferIntent read(OfferSetRequest request, BrokerConfig.Offers config) {
        OfferSetRequest.Executable executable = request.executable();
        SessionSpec session;
        List<StagingItem> items = new ArrayList<>();
        String image = executable.image() != null && !executable.image().isBlank() ? executable.image() : config.defaultImage();
        switch (executable.kind()) {
            case JUPYTER_NOTEBOOK -> {
                if (executable.location() == null) {
                    throw invalid("executable.location", "a jupyter-notebook needs location.url, the notebook to run");
                }
                String notebook = fileName(executable.location().url(), "notebook.ipynb");
                items.add(new StagingItem(notebook, executable.location().url(), checks(executable.checks())));
                session = new SessionSpec(SessionKind.notebook, image, notebook, List.of(), executable.env());
            }
            case COMMAND -> {
                if (executable.cmd() == null || executable.cmd().isBlank()) {
                    throw invalid("executable.cmd", "a command needs cmd (and optionally args), run without a shell");
                }
                if (executable.location() != null) {
                    items.add(new StagingItem(fileName(executable.location().url(), "program"), executable.location().url(),
                            checks(executable.checks())));
                }
                session = new SessionSpec(SessionKind.headless, image, executable.cmd(), executable.args(), executable.env());
            }
            default -> throw new ProblemException(Problem.of("unsupported-executable", 400, "Unsupported executable",
                    "executable.kind '" + executable.kind() + "' is not one of " + JUPYTER_NOTEBOOK + ", " + COMMAND)
                    .with("field", "executable.kind"));
        }
        Set<String> names = new HashSet<>();
        items.forEach(item -> names.add(item.name()));
        OfferSetRequest.Resources resources = request.resources();
        if (resources != null && resources.data() != null) {
            for (int i = 0; i < resources.data().size(); i++) {
                OfferSetRequest.Data data = resources.data().get(i);
                if (!FILE_NAME.matcher(data.name()).matches()) {
                    throw invalid("resources.data[" + i + "].name", "'" + data.name()
                            + "' is not a plain file name (letters, digits, . _ - + = , @; no leading dot)");
                }
                if (!names.add(data.name())) {
                    throw invalid("resources.data[" + i + "].name", "'" + data.name() + "' is staged twice");
                }
                items.add(new StagingItem(data.name(), data.location().url(), checks(data.checks())));
            }
        }
        int[] cores = {1, 1};
        int[] memory = null;
        if (resources != null && resources.compute() != null && !resources.compute().isEmpty()) {
            if (resources.compute().size() > 1) {
                throw invalid("resources.compute", "give one compute resource; a session runs on one");
            }
            OfferSetRequest.Compute compute = resources.compute().get(0);
            cores = range(compute.cores(), "resources.compute[0].cores", cores);
            memory = compute.memory() == null ? null : range(compute.memory(), "resources.compute[0].memory", null);
        }
        if (memory == null) {
            memory = new int[] {cores[0] * config.memoryPerCore(), cores[1] * config.memoryPerCore()};
        }
        List<OfferAsk.Window> windows = new ArrayList<>();
        if (request.schedule() != null && request.schedule().requested() != null) {
            for (int i = 0; i < request.schedule().requested().size(); i++) {
                windows.add(window(request.schedule().requested().get(i), "schedule.requested[" + i + "]"));
            }
        }
        if (windows.isEmpty()) {
            windows.add(new OfferAsk.Window(null, DEFAULT_DURATION, DEFAULT_DURATION));
        }
        String pool = request.pool() == null ? config.defaultPool() : request.pool();
        if (!POOL.matcher(pool).matches()) {
            throw invalid("pool", "pool names are 1-64 letters, digits, '-' or '_'");
        }
        return new OfferIntent(request.name(), pool, new OfferAsk(windows, cores[0], cores[1], memory[0], memory[1]), items,
                session);
    }

    private static OfferAsk.Window window(OfferSetRequest.Requested requested, String field) {
        TimeInterval start = requested.start() == null ? null : IsoSchedule.parseInterval(requested.start());
        Duration min = DEFAULT_DURATION;
        Duration max = DEFAULT_DURATION;
        if (requested.duration() != null) {
            String minText = requested.duration().min();
            String maxText = requested.duration().max();
            if (minText == null && maxText == null) {
                throw invalid(field + ".duration", "give min and/or max, e.g. {\"min\": \"PT2H\", \"max\": \"PT3H\"}");
            }
            min = IsoSchedule.parseDuration(minText != null ? minText : maxText);
            max = IsoSchedule.parseDuration(maxText != null ? maxText : minText);
        }
        if (min.isZero() || max.compareTo(min) < 0) {
            throw invalid(field + ".duration", "needs 0 < min <= max, was min " + min + ", max " + max);
        }
        return new OfferAsk.Window(start, min, max);
    }

    private static int[] range(OfferSetRequest.Range range, String field, int[] fallback) {
        if (range == null || (range.min() == null && range.max() == null)) {
            if (fallback == null) {
                throw invalid(field, "give min and/or max");
            }
            return fallback;
        }
        int min = range.min() != null ? range.min() : range.max();
        int max = range.max() != null ? range.max() : range.min();
        if (min < 1 || max < min) {
            throw invalid(field, "needs 1 <= min <= max, was min " + min + ", max " + max);
        }
        return new int[] {min, max};
    }

    private static Checks checks(Checks checks) {
        return checks == null ? Checks.none() : checks;
    }

    /** The last path segment of a URL when it is a safe file name, else {@code fallback}. */
    static String fileName(String url, String fallback) {
        try {
            String path = URI.create(url).getPath();
            if (path != null) {
                String last = path.substring(path.lastIndexOf('/') + 1);
                if (FILE_NAME.matcher(last).matches()) {
                    return last;
                }
            }
        } catch (IllegalArgumentException ignored) {
            // staging will refuse the URL with its own reason
        }
        return fallback;
    }

    private static ProblemException invalid(String field, String detail) {
        return new ProblemException(Problem.of("invalid-offer-request", 400, "The offer request is not valid",
                field + ": " + detail).with("field", field));
    }
}
