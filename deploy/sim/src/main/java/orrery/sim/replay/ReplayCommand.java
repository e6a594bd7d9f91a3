package orrery.sim.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.nats.client.Connection;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import orrery.model.time.SystemTimeSource;
import orrery.sim.cli.CommandFailure;
import orrery.sim.cli.ExitCodes;
import orrery.sim.cli.NatsLogin;
import orrery.sim.cli.StderrLog;
import orrery.sim.workload.BatsimReader;
import orrery.sim.workload.Range;
import orrery.sim.workload.RequestShape;
import orrery.sim.workload.SwfReader;
import orrery.sim.workload.Workload;
import orrery.sim.workload.WorkloadFormatException;
import orrery.sim.workload.WorkloadGenerator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code orrery-sim replay}: drive the broker with a workload on simulated time, and report. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replay a workload against the broker's REST API on simulated time: at each request's simulated submit "
                + "time ask for offers, accept one by --accept, cancel where the workload says, follow every execution to its end, "
                + "and write a report folder (summary.json, bookings.csv, plots as SVG and PNG). Takes part in the simulation as "
                + "--name (default replay): start the controller first (orrery-sim run ... --expect ...,replay).",
            "Workloads: --workload FILE (.swf: the Standard Workload Format; .json: a Batsim workload) or --generate.",
            "Prints the summary's path on stdout; progress and the outcome on stderr. See deploy/sim/README.md, \"Replay\"."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:replayed; every execution reached a final phase",
            "1:failed",
            "2:wrong command line or unreadable workload",
            "3:NATS unreachable",
            "4:NATS refused the login",
            "6:replayed, but some executions had not ended --settle after the last booked end (the report counts them)",
            "7:the broker could not be reached"})
public final class ReplayCommand implements Callable<Integer> {

    /** Some executions never reached a final phase (the report is written and counts them as unfinished). */
    public static final int UNFINISHED = 6;
    /** The broker did not answer (within {@code --http-retry}). */
    public static final int BROKER_UNREACHABLE = 7;

    static final class Source {
        @Option(names = "--workload", paramLabel = "<file>", description = "A workload file: .swf (Standard Workload Format) or "
                + ".json (Batsim); --format says which when the name does not")
        Path file;

        @Option(names = "--generate", description = "Generate the workload from --seed and the generator's options")
        boolean generate;
    }

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "%nWorkload (one of):%n")
    Source source;

    @Option(names = "--format", paramLabel = "swf|batsim", description = "The file's format (default: by its extension)")
    String format;

    @Option(names = "--seed", defaultValue = "1", description = "Seeds the generator, the draws for what a file does not say, "
            + "and --accept random (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--limit", paramLabel = "<n>", description = "Replay only the first n requests")
    Integer limit;

    // --- the generator ---
    @Option(names = "--count", paramLabel = "<n>", description = "Generator: how many requests (default 100 unless --span is given)")
    Integer count;

    @Option(names = "--span", paramLabel = "<duration>", description = "Generator: how long requests keep arriving, e.g. P7D")
    Duration span;

    @Option(names = "--rate", paramLabel = "<per hour>", defaultValue = "6", description = "Generator: mean arrivals per hour "
            + "(Poisson; default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--cores", paramLabel = "<min..max>", defaultValue = "1..16", description = "Generator: cores per request "
            + "(default: ${DEFAULT-VALUE})")
    String cores;

    @Option(names = "--duration", paramLabel = "<min..max>", defaultValue = "PT30M..PT4H", description = "Generator: booked "
            + "durations, whole minutes (default: ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--runtime", paramLabel = "<min..max>", defaultValue = "0.5..1", description = "Generator: the session's "
            + "runtime as a share of its duration; above 1 it overruns and is ended at the booked end (default: ${DEFAULT-VALUE})")
    String runtime;

    @Option(names = "--users", paramLabel = "<n>", defaultValue = "8", description = "Generator: users sim-user-1..n share the "
            + "requests (default: ${DEFAULT-VALUE})")
    int users;

    // --- what formats leave out (every source) ---
    @Option(names = "--window", paramLabel = "<min..max>", defaultValue = "PT1H..PT4H", description = "Start-window widths, whole "
            + "minutes; the window opens at the submit time (default: ${DEFAULT-VALUE})")
    String window;

    @Option(names = "--items", paramLabel = "<min..max>", defaultValue = "0..2", description = "Data items to stage per request "
            + "(default: ${DEFAULT-VALUE})")
    String items;

    @Option(names = "--item-size", paramLabel = "<min..max>", defaultValue = "1000000..2000000000", description = "Item sizes in "
            + "bytes, log-uniform (default: ${DEFAULT-VALUE})")
    String itemSize;

    @Option(names = "--notebook-rate", paramLabel = "<p>", description = "Share of notebook requests (default: 0.2 generated, 0 from a file)")
    Double notebookRate;

    @Option(names = "--fail-rate", paramLabel = "<p>", description = "Share whose staging fails its checks (default: 0.02 generated, 0 from a file)")
    Double failRate;

    @Option(names = "--exit-fail-rate", paramLabel = "<p>", description = "Share whose session exits with status 1 (default: "
            + "0.05 generated, 0 from a file, where SWF status 0 also does)")
    Double exitFailRate;

    @Option(names = "--cancel-rate", paramLabel = "<p>", description = "Share the user cancels, at a uniform time between the "
            + "submit time and the latest possible end (default: 0.05 generated, 0 from a file, where SWF status 5 also does)")
    Double cancelRate;

    // --- the replay ---
    @Option(names = "--out", required = true, paramLabel = "<dir>", description = "The report folder (made if needed)")
    Path out;

    @Option(names = "--broker", paramLabel = "<url>", description = "The broker (default: $ORRERY_BROKER_URL or http://127.0.0.1:8080)")
    URI broker;

    @Option(names = "--token", paramLabel = "<jwt>", description = "One bearer token for every request (default: $ORRERY_TOKEN); "
            + "every booking is then that token's user's")
    String token;

    @Option(names = "--jwt-key", paramLabel = "<pem>", description = "Sign a token per workload user with this RS256 key, as "
            + "deploy/local/token.sh does (locally: .run/jwt/private.pem); takes precedence over --token")
    Path jwtKey;

    @Option(names = "--jwt-issuer", defaultValue = "https://orrery.local/issuer", description = "Issuer of signed tokens (default: ${DEFAULT-VALUE})")
    String jwtIssuer;

    @Option(names = "--jwt-audience", defaultValue = "orrery", description = "Audience of signed tokens (default: ${DEFAULT-VALUE})")
    String jwtAudience;

    @Option(names = "--pool", paramLabel = "<pool>", description = "The pool to book on (default: the broker's default pool, "
            + "reported as 'default')")
    String pool;

    @Option(names = "--accept", defaultValue = "first", paramLabel = "first|random|latest", description = "Which offer to accept: "
            + "the first listed, one at random (seeded), or the one that starts latest (default: ${DEFAULT-VALUE})")
    String accept;

    @Option(names = "--start", paramLabel = "<instant>", description = "The simulated instant of the workload's first request "
            + "(default: simulated time when the replay joins)")
    Instant start;

    @Option(names = "--data-url", defaultValue = "https://data.sim.invalid/replay", paramLabel = "<url>", description = "Where data "
            + "items are said to come from: <url>/<position>/<name> (default: ${DEFAULT-VALUE}; the simulated staging fetches nothing)")
    String dataUrl;

    @Option(names = "--command", defaultValue = "true", paramLabel = "<cmd>", description = "What headless sessions run "
            + "(simulated sessions run nothing; default: ${DEFAULT-VALUE})")
    String command;

    @Option(names = "--name", defaultValue = "replay", description = "The participant's name in the simulation (default: ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--isolate", defaultValue = "true", negatable = true, fallbackValue = "true", description = "Run each event in "
            + "an epoch of its own, after everything else due at that instant has settled: what makes replays repeatable "
            + "(default: ${DEFAULT-VALUE}; --no-isolate saves an advance or two per request)")
    boolean isolate;

    @Option(names = "--settle", defaultValue = "PT6H", paramLabel = "<duration>", description = "Simulated time after the last "
            + "booked end to wait for executions to end (default: ${DEFAULT-VALUE})")
    Duration settle;

    @Option(names = "--parallel", defaultValue = "4", description = "Look-ups at once when reading executions and their "
            + "histories (default: ${DEFAULT-VALUE})")
    int parallel;

    @Option(names = "--progress", defaultValue = "PT1S", paramLabel = "<duration>", description = "Real time between progress "
            + "lines on stderr; PT0S for none (default: ${DEFAULT-VALUE})")
    Duration progress;

    @Option(names = "--join-timeout", defaultValue = "PT30S", paramLabel = "<duration>", description = "How long to wait for "
            + "the time controller (default: ${DEFAULT-VALUE})")
    Duration joinTimeout;

    @Option(names = "--http-timeout", defaultValue = "PT30S", paramLabel = "<duration>", description = "Real-time limit of one "
            + "REST call (default: ${DEFAULT-VALUE})")
    Duration httpTimeout;

    @Option(names = "--http-retry", defaultValue = "PT2M", paramLabel = "<duration>", description = "How long to retry a broker "
            + "that does not answer (connection refused, 502/503/504) before giving up (default: ${DEFAULT-VALUE})")
    Duration httpRetry;

    @Option(names = "--dry-run", description = "Read or generate the workload, print what it holds and the first request's "
            + "offer-set body, and stop (no NATS, no broker)")
    boolean dryRun;

    @Mixin
    NatsLogin login;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;

    ReplayCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        Consumer<String> log = StderrLog.of(spec, "orrery-sim replay");
        checkOptions();
        Driver.Policy policy = policy();
        Workload workload = workload();
        BookingRequests.Settings booking = new BookingRequests.Settings(pool, dataUrl, command);
        if (dryRun) {
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            stdout.println(workload.requests().size() + " requests from " + workload.source() + ", submitted over "
                    + workload.submitSpan() + (workload.skippedCount() == 0 ? "" : "; skipped " + workload.skipped()));
            if (!workload.requests().isEmpty()) {
                Instant at = start != null ? start : Instant.EPOCH;
                stdout.println(json.writeValueAsString(BookingRequests.body(workload.requests().get(0), at, booking)));
            }
            stdout.flush();
            return ExitCodes.OK;
        }
        try (SystemTimeSource wall = new SystemTimeSource()) {
            Tokens tokens = tokens(wall);
            URI brokerUrl = broker != null ? broker : URI.create(environment.getOrDefault("ORRERY_BROKER_URL", "http://127.0.0.1:8080"));
            BrokerClient client = new BrokerClient(brokerUrl, tokens, httpTimeout, httpRetry);
            Driver.Settings settings = new Driver.Settings(start, policy, seed, isolate, settle, parallel, progress, booking, pool,
                    tokens.perUser());
            Driver.Result result;
            try (Connection nats = login.connect(environment, "orrery-sim-replay", log)) {
                Participant participant;
                try {
                    participant = Participant.join(nats, name, joinTimeout, Duration.ofMillis(500));
                } catch (IllegalStateException e) {
                    throw new CommandFailure(ExitCodes.FAILED, e.getMessage(), e);
                }
                Thread leave = new Thread(participant::close, "orrery-replay-leave");
                Runtime.getRuntime().addShutdownHook(leave);
                try (participant) {
                    result = new Driver(participant, client, workload, settings, log, System::nanoTime).run();
                } catch (IllegalArgumentException e) {
                    throw new CommandFailure(ExitCodes.USAGE, e.getMessage(), e);
                } catch (BrokerClient.Unreachable e) {
                    throw new CommandFailure(BROKER_UNREACHABLE, e.getMessage(), e);
                } catch (Driver.TokenRefused e) {
                    throw new CommandFailure(ExitCodes.FAILED, e.getMessage(), e);
                } finally {
                    try {
                        Runtime.getRuntime().removeShutdownHook(leave);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook is running
                    }
                }
            }
            ReplayReport.Run run = new ReplayReport.Run(workload, result.bookings(), pool == null ? "default" : pool, result.pool(),
                    result.origin(), result.end(), result.advances(), result.wallNanos(), policy.name().toLowerCase(Locale.ROOT), seed);
            Path summary = ReplayReport.write(out, run);
            var s = ReplayReport.summary(run);
            log.accept(String.format(Locale.ROOT, "%d bookings, %d accepted, %d completed, %d failed, %d cancelled; %d advances in "
                            + "%.1f s of wall time (speed-up %.0fx); %s", s.path("bookings").asLong(), s.path("accepted").asLong(),
                    s.path("completed").asLong(), s.path("failed").path("total").asLong(), s.path("cancelled").asLong(),
                    result.advances(), result.wallNanos() / 1e9, s.path("speedUp").asDouble(), s.path("historyDigest").asText()));
            stdout.println(summary.toAbsolutePath());
            stdout.flush();
            return result.unfinished() > 0 ? UNFINISHED : ExitCodes.OK;
        }
    }

    private void checkOptions() {
        for (Map.Entry<String, Duration> d : Map.of("--settle", settle, "--join-timeout", joinTimeout, "--http-timeout", httpTimeout)
                .entrySet()) {
            if (d.getValue().isNegative() || d.getValue().isZero()) {
                throw usage(d.getKey() + " must be positive, was " + d.getValue());
            }
        }
        if (httpRetry.isNegative()) {
            throw usage("--http-retry must not be negative, was " + httpRetry);
        }
        if (progress.isNegative()) {
            throw usage("--progress must not be negative (PT0S turns it off)");
        }
        if (parallel < 1 || parallel > 64) {
            throw usage("--parallel must be 1 to 64, was " + parallel);
        }
        if (name.isBlank()) {
            throw usage("--name must not be blank");
        }
        if (limit != null && limit < 0) {
            throw usage("--limit must not be negative, was " + limit);
        }
        if (!source.generate && (count != null || span != null)) {
            throw usage("--count and --span are for --generate; a file's requests are all replayed (--limit takes the first n)");
        }
        if (command.isBlank()) {
            throw usage("--command must not be blank");
        }
    }

    private Driver.Policy policy() {
        try {
            return Driver.Policy.valueOf(accept.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw usage("--accept must be first, random or latest, was '" + accept + "'");
        }
    }

    private Workload workload() {
        RequestShape shape;
        try {
            RequestShape base = source.generate ? WorkloadGenerator.Spec.defaults(1, null).shape() : RequestShape.FILES;
            shape = base.withWindows(Range.Durations.parse(window)).withItems(Range.Longs.parse(items), Range.Longs.parse(itemSize))
                    .withRates(notebookRate, failRate, exitFailRate, cancelRate);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        Workload workload;
        if (source.generate) {
            try {
                WorkloadGenerator.Spec d = WorkloadGenerator.Spec.defaults(count == null && span == null ? 100 : count, span);
                workload = WorkloadGenerator.generate(new WorkloadGenerator.Spec(d.count(), d.span(), rate, Range.Longs.parse(cores),
                        Range.Durations.parse(duration), Range.Doubles.parse(runtime), users, shape), seed);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        } else {
            workload = read(source.file, shape);
        }
        return limit == null ? workload : workload.limit(limit);
    }

    private Workload read(Path file, RequestShape shape) {
        String kind = format != null ? format.strip().toLowerCase(Locale.ROOT)
                : file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") ? "batsim"
                : file.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.swf(\\.txt)?$") ? "swf" : null;
        if (kind == null) {
            throw usage("cannot tell the format of " + file + " by its name (.swf or .json); say --format swf or --format batsim");
        }
        try {
            return switch (kind) {
                case "swf" -> SwfReader.read(file, shape, seed);
                case "batsim" -> BatsimReader.read(file, shape, seed);
                default -> throw usage("--format must be swf or batsim, was '" + format + "'");
            };
        } catch (NoSuchFileException e) {
            throw usage("no workload file " + file);
        } catch (WorkloadFormatException | IllegalArgumentException e) {
            throw usage(e.getMessage());
        } catch (IOException e) {
            throw usage("cannot read " + file + ": " + e.getMessage());
        }
    }

    private Tokens tokens(SystemTimeSource wall) {
        if (jwtKey != null) {
            if (!Files.isReadable(jwtKey)) {
                throw usage("--jwt-key " + jwtKey + " is not a readable file (locally: .run/jwt/private.pem, made by deploy/local/up.sh)");
            }
            try {
                return Tokens.signing(jwtKey, jwtIssuer, jwtAudience, wall);
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                throw usage("--jwt-key " + jwtKey + ": " + e.getMessage());
            }
        }
        String t = token != null ? token : environment.get("ORRERY_TOKEN");
        if (t == null || t.isBlank()) {
            throw usage("the broker needs a bearer token: --token or ORRERY_TOKEN (locally: $(deploy/local/token.sh alice)), "
                    + "or --jwt-key .run/jwt/private.pem to sign one per workload user");
        }
        return Tokens.fixed(t);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
