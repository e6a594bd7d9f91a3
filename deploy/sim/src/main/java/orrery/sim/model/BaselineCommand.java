package orrery.sim.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import orrery.model.json.Json;
import orrery.sim.cli.CommandFailure;
import orrery.sim.cli.ExitCodes;
import orrery.sim.cli.NatsLogin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code orrery-sim model baseline}: what NATS alone carries on this machine, for the benchmark to
 * print beside the model's rate: letters of the model's shape, encoded as it encodes them,
 * published on one connection and received on it, as fast as they go.
 */
@Command(name = "baseline", mixinStandardHelpOptions = true,
        description = "Publish --count letters (the model's JSON) and receive them on one connection; print letters per second.")
public final class BaselineCommand implements Callable<Integer> {

    @Option(names = "--count", defaultValue = "200000", description = "Letters to send (default: ${DEFAULT-VALUE})")
    int count;

    @Mixin
    NatsLogin login;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;

    BaselineCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        ObjectMapper json = Json.strictMapper();
        String subject = NatsNetwork.subject(UUID.randomUUID().toString().replace("-", ""), 0);
        try (Connection nats = login.connect(environment, "orrery-sim-baseline", line -> { })) {
            CountDownLatch received = new CountDownLatch(count);
            Dispatcher d = nats.createDispatcher(m -> {
                try {
                    json.readValue(m.getData(), Letter.class); // decoded, as the model decodes each
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("a baseline letter did not decode", e);
                }
                received.countDown();
            });
            d.subscribe(subject);
            nats.flush(java.time.Duration.ofSeconds(5));
            long started = System.nanoTime();
            for (int i = 0; i < count; i++) {
                nats.publish(subject, json.writeValueAsBytes(new Letter(1, 0, i, 1000 + i, 1_000_000_000L * i, null)));
            }
            nats.flushBuffer();
            if (!received.await(120, TimeUnit.SECONDS)) {
                throw new CommandFailure(ExitCodes.FAILED, received.getCount() + " of " + count + " letters never came back", null);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            PrintWriter out = spec.commandLine().getOut();
            out.println(String.format(Locale.ROOT, "%d letters in %.3f s: %.0f letters/s", count, seconds, count / seconds));
            out.flush();
            nats.closeDispatcher(d);
        }
        return ExitCodes.OK;
    }
}
