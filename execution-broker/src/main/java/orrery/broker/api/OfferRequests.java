package orrery.broker.api;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import orrery.broker.api.OfferSetRequest;
import orrery.broker.config.BrokerConfig;
import orrery.broker.domain.OfferAsk;
import orrery.broker.domain.SessionSpec;
import orrery.broker.service.OfferIntent;
import orrery.model.canfar.ImageReference;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.VolumeMount;
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
    public static final String CONTAINER = "container";

    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_+=,@-][A-Za-z0-9._+=,@-]{0,254}");
    private static final Pattern POOL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Duration DEFAULT_DURATION = Duration.ofHours(1);

    private OfferRequests() {
    }

    /**
     * A container: the image (required, since a container is its image), pinned by {@code digest} when given,
     * its {@code entrypoint} replaced when given and {@code args} as its command; its files come as data.
     */
    private static SessionSpec container(OfferSetRequest.Executable executable, String image, List<String> args,
                                         java.util.Map<String, String> env) {
        if (image == null || image.isBlank()) {
            throw invalid("executable.image", "a container needs image, the reference of the image to run "
                    + "(registry/repository:tag)");
        }
        if (image.indexOf('@') >= 0 || image.chars().anyMatch(Character::isWhitespace)) {
            throw invalid("executable.image", "'" + image + "' is not an image reference (registry/repository:tag; give a "
                    + "digest in executable.digest)");
        }
        String digest = RequestLimits.text(executable.digest(), "executable.digest", RequestLimits.IMAGE);
        if (digest != null && !ImageReference.isDigest(digest)) {
            throw invalid("executable.digest", "'" + digest + "' is not an image digest (sha256: and 64 lower-case hex digits)");
        }
        if (executable.cmd() != null || executable.location() != null) {
            throw invalid(executable.cmd() != null ? "executable.cmd" : "executable.location", "a container takes "
                    + "entrypoint and args (its command), and its files as resources.data");
        }
        String entrypoint = RequestLimits.text(executable.entrypoint(), "executable.entrypoint", RequestLimits.CMD);
        if (entrypoint != null && entrypoint.isBlank()) {
            throw invalid("executable.entrypoint", "an entrypoint names a program; leave it out to run the image's own");
        }
        return new SessionSpec(SessionKind.container, ImageReference.join(image, digest), entrypoint, args, env);
    }

    /** Reads a request made at {@code now}; every field within {@link RequestLimits}. */
    public static OfferIntent read(OfferSetRequest request, BrokerConfig.Offers config, Instant now) {
        if (request == null) {
            throw new ProblemException(Problem.of("malformed-json", 400, "The request body is empty",
                    "send an offer request as JSON: {\"executable\": {...}, \"resources\": {...}, \"schedule\": {...}}"));
        }
        String name = RequestLimits.text(request.name(), "name", RequestLimits.NAME);
        OfferSetRequest.Executable executable = RequestLimits.present(request.executable(), "executable");
        String kind = RequestLimits.present(executable.kind(), "executable.kind");
        SessionSpec session;
        List<StagingItem> items = new ArrayList<>();
        String askedImage = RequestLimits.text(executable.image(), "executable.image", RequestLimits.IMAGE);
        String image = askedImage != null && !askedImage.isBlank() ? askedImage : config.defaultImage();
        List<String> args = RequestLimits.args(executable.args(), "executable.args");
        java.util.Map<String, String> env = RequestLimits.env(executable.env(), "executable.env");
        switch (kind) {
            case JUPYTER_NOTEBOOK -> {
                if (executable.location() == null) {
                    throw invalid("executable.location", "a jupyter-notebook needs location.url, the notebook to run");
                }
                String url = url(executable.location(), "executable.location.url");
                String notebook = fileName(url, "notebook.ipynb");
                items.add(new StagingItem(notebook, url, checks(executable.checks())));
                session = new SessionSpec(SessionKind.notebook, image, notebook, List.of(), env);
            }
            case COMMAND -> {
                String cmd = RequestLimits.text(executable.cmd(), "executable.cmd", RequestLimits.CMD);
                if (cmd == null || cmd.isBlank()) {
                    throw invalid("executable.cmd", "a command needs cmd (and optionally args), run without a shell");
                }
                if (executable.location() != null) {
                    String url = url(executable.location(), "executable.location.url");
                    items.add(new StagingItem(fileName(url, "program"), url, checks(executable.checks())));
                }
                session = new SessionSpec(SessionKind.headless, image, cmd, executable.args() == null ? null : args, env);
            }
            case CONTAINER -> session = container(executable, askedImage, args, env);
            default -> throw new ProblemException(Problem.of("unsupported-executable", 400, "Unsupported executable",
                    "executable.kind '" + executable.kind() + "' is not one of " + JUPYTER_NOTEBOOK + ", " + COMMAND
                            + ", " + CONTAINER)
                    .with("field", "executable.kind"));
        }
        Set<String> names = new HashSet<>();
        items.forEach(item -> names.add(item.name()));
        OfferSetRequest.Resources resources = request.resources();
        if (resources != null && resources.data() != null) {
            RequestLimits.list(resources.data(), "resources.data", RequestLimits.DATA_ITEMS);
            for (int i = 0; i < resources.data().size(); i++) {
                OfferSetRequest.Data data = resources.data().get(i);
                RequestLimits.present(data.name(), "resources.data[" + i + "].name");
                if (!FILE_NAME.matcher(data.name()).matches()) {
                    throw invalid("resources.data[" + i + "].name", "'" + data.name()
                            + "' is not a plain file name (letters, digits, . _ - + = , @; no leading dot)");
                }
                if (!names.add(data.name())) {
                    throw invalid("resources.data[" + i + "].name", "'" + data.name() + "' is staged twice");
                }
                String url = url(RequestLimits.present(data.location(), "resources.data[" + i + "].location"),
                        "resources.data[" + i + "].location.url");
                items.add(new StagingItem(data.name(), url, checks(data.checks())));
            }
        }
        session = session.withMounts(mounts(resources, names, session.kind()));
        int[] cores = {1, 1};
        int[] memory = null;
        if (resources != null && resources.compute() != null && !resources.compute().isEmpty()) {
            if (resources.compute().size() > 1) {
                throw invalid("resources.compute", "give one compute resource; a session runs on one");
            }
            OfferSetRequest.Compute compute = RequestLimits.present(resources.compute().get(0), "resources.compute[0]");
            cores = range(compute.cores(), "resources.compute[0].cores", cores, RequestLimits.CORES, "cores");
            memory = compute.memory() == null ? null
                    : range(compute.memory(), "resources.compute[0].memory", null, RequestLimits.MEMORY_GB, "GB");
        }
        if (memory == null) {
            memory = new int[] {cores[0] * config.memoryPerCore(), cores[1] * config.memoryPerCore()};
        }
        List<OfferAsk.Window> windows = new ArrayList<>();
        if (request.schedule() != null && request.schedule().requested() != null) {
            RequestLimits.list(request.schedule().requested(), "schedule.requested", RequestLimits.WINDOWS);
            for (int i = 0; i < request.schedule().requested().size(); i++) {
                windows.add(window(request.schedule().requested().get(i), "schedule.requested[" + i + "]", now));
            }
        }
        if (windows.isEmpty()) {
            windows.add(new OfferAsk.Window(null, DEFAULT_DURATION, DEFAULT_DURATION));
        }
        String pool = request.pool() == null ? config.defaultPool() : request.pool();
        if (!POOL.matcher(pool).matches()) {
            throw invalid("pool", "pool names are 1-64 letters, digits, '-' or '_'");
        }
        return new OfferIntent(name, pool, new OfferAsk(windows, cores[0], cores[1], memory[0], memory[1]), items,
                session);
    }

    private static OfferAsk.Window window(OfferSetRequest.Requested requested, String field, Instant now) {
        TimeInterval start = requested.start() == null ? null : startWindow(requested.start(), field + ".start", now);
        Duration min = DEFAULT_DURATION;
        Duration max = DEFAULT_DURATION;
        if (requested.duration() != null) {
            String minText = requested.duration().min();
            String maxText = requested.duration().max();
            if (minText == null && maxText == null) {
                throw invalid(field + ".duration", "give min and/or max, e.g. {\"min\": \"PT2H\", \"max\": \"PT3H\"}");
            }
            min = RequestLimits.run(IsoSchedule.parseDuration(minText != null ? minText : maxText), field + ".duration.min");
            max = RequestLimits.run(IsoSchedule.parseDuration(maxText != null ? maxText : minText), field + ".duration.max");
        }
        if (min.isZero() || max.compareTo(min) < 0) {
            throw invalid(field + ".duration", "needs 0 < min <= max, was min " + min + ", max " + max);
        }
        return new OfferAsk.Window(start, min, max);
    }

    /** A start window that begins after 1970 and closes within {@link RequestLimits#FURTHEST_START} of now. */
    private static TimeInterval startWindow(String text, String field, Instant now) {
        TimeInterval window = IsoSchedule.parseInterval(RequestLimits.text(text, field, RequestLimits.NAME));
        Instant furthest = now.plus(RequestLimits.FURTHEST_START);
        if (window.start().isBefore(Instant.EPOCH) || window.end().isAfter(furthest)) {
            throw invalid(field, "the window " + text + " must lie between 1970 and " + furthest
                    + " (at most " + RequestLimits.FURTHEST_START + " ahead)");
        }
        return window;
    }

    /** The volumes as mounts: each staged item named at {@code path/<name>}; only a container has them. */
    private static List<VolumeMount> mounts(OfferSetRequest.Resources resources, Set<String> staged, SessionKind kind) {
        if (resources == null || resources.volumes() == null || resources.volumes().isEmpty()) {
            return List.of();
        }
        if (kind != SessionKind.container) {
            throw invalid("resources.volumes", "volumes need a container executable; a " + kind + " session finds its data "
                    + "in its folder (ORRERY_WORKDIR) under their names");
        }
        RequestLimits.list(resources.volumes(), "resources.volumes", RequestLimits.DATA_ITEMS);
        List<VolumeMount> mounts = new ArrayList<>();
        for (int i = 0; i < resources.volumes().size(); i++) {
            String field = "resources.volumes[" + i + "]";
            OfferSetRequest.Volume volume = RequestLimits.present(resources.volumes().get(i), field);
            String path = RequestLimits.text(RequestLimits.present(volume.path(), field + ".path"), field + ".path", RequestLimits.URL);
            if (!path.startsWith("/") || !java.nio.file.Path.of(path).normalize().toString().equals(path.replaceAll("/+$", ""))
                    || path.contains(":") || path.contains(",")) {
                throw invalid(field + ".path", "'" + path + "' is not an absolute, normalised path inside the container");
            }
            List<String> data = RequestLimits.present(volume.data(), field + ".data");
            boolean single = Boolean.TRUE.equals(volume.single());
            if (single && data.size() != 1) {
                throw invalid(field + ".data", "a single volume puts one item at its path; this one names " + data.size());
            }
            for (String name : data) {
                if (!staged.contains(name)) {
                    throw invalid(field + ".data", "'" + name + "' is not one of the items staged (" + String.join(", ", staged) + ")");
                }
                String at = single ? path.replaceAll("/+$", "") : path.replaceAll("/+$", "") + "/" + name;
                mounts.add(new VolumeMount(name, at, !Boolean.FALSE.equals(volume.readOnly())));
            }
        }
        return mounts;
    }

    /** The storage range asked for (GiB), or null; a 400 naming the field when it is not a range. */
    static int[] storage(OfferSetRequest request) {
        OfferSetRequest.Resources resources = request.resources();
        if (resources == null || resources.storage() == null) {
            return null;
        }
        return range(resources.storage(), "resources.storage", null, RequestLimits.STORAGE_GIB, "GiB");
    }

    private static String url(OfferSetRequest.Location location, String field) {
        String url = RequestLimits.text(RequestLimits.present(location.url(), field), field, RequestLimits.URL);
        if (url.isBlank()) {
            throw invalid(field, "is empty; give the URL to fetch");
        }
        return url;
    }

    private static int[] range(OfferSetRequest.Range range, String field, int[] fallback, int limit, String unit) {
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
        RequestLimits.atMost(max, limit, field + ".max", unit);
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
        return RequestLimits.invalid(field, detail);
    }
}
