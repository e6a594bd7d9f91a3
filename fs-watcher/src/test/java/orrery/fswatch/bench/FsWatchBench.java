package orrery.fswatch.bench;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.PublishOptions;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import orrery.fswatch.backend.HashPool;
import orrery.fswatch.backend.RawEvents;
import orrery.fswatch.backend.TreeWatch;
import orrery.fswatch.backend.WatchRegistrar;
import orrery.fswatch.config.WatcherSettings;
import orrery.fswatch.domain.ChangeSink;
import orrery.fswatch.domain.FileStat;
import orrery.fswatch.domain.PathRules;
import orrery.fswatch.domain.RootSpec;
import orrery.fswatch.domain.Sha256Hasher;
import orrery.fswatch.domain.WatchLimitException;
import orrery.fswatch.service.RootWatcher;
import orrery.fswatch.store.KvIndexStore;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.envelope.EnvelopeFactory;
import orrery.model.fs.FsEvent;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Streams;
import orrery.model.messaging.Subjects;
import orrery.model.time.LamportClock;
import orrery.model.time.SystemTimeSource;
import org.HdrHistogram.Histogram;

/**
 * Figures for bench/*.sh: runs the fs-watcher's own classes (hasher, hash pool, root watcher with
 * its JetStream key-value index and publisher) outside Quarkus, against a real nats-server.
 * Prints {@code key=value} lines the scripts turn into ratios.
 */
public final class FsWatchBench {

    private FsWatchBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "hash" -> hash(Path.of(args[1]), Integer.parseInt(args[2]));
            case "hash-many" -> hashMany(Path.of(args[1]), Integer.parseInt(args[2]));
            case "scan" -> scan(Path.of(args[1]));
            case "watch-initial" -> watchInitial(args[1], Path.of(args[2]));
            case "latency" -> latency(args[1], Path.of(args[2]), Integer.parseInt(args[3]));
            case "nats-rtt" -> natsRoundTrips(args[1]);
            default -> throw new IllegalArgumentException("unknown bench " + args[0]);
        }
    }

    /** Best of {@code rounds} single-thread streaming hashes of one file. */
    private static void hash(Path file, int rounds) throws IOException {
        Sha256Hasher hasher = new Sha256Hasher();
        long best = Long.MAX_VALUE;
        String sha = null;
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            sha = hasher.hash(file);
            best = Math.min(best, System.nanoTime() - start);
        }
        System.out.printf("sha256=%s%nseconds=%.3f%n", sha, best / 1e9);
    }

    /** Every file under {@code folder} through the hash pool with {@code threads} threads. */
    private static void hashMany(Path folder, int threads) throws Exception {
        List<Path> files = new ArrayList<>();
        try (var stream = Files.walk(folder)) {
            stream.filter(Files::isRegularFile).forEach(files::add);
        }
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            try (HashPool pool = new HashPool(threads)) {
                CountDownLatch done = new CountDownLatch(files.size());
                long start = System.nanoTime();
                for (Path file : files) {
                    pool.submit(file, result -> done.countDown());
                }
                done.await();
                best = Math.min(best, System.nanoTime() - start);
            }
        }
        System.out.printf("files=%d%nseconds=%.3f%n", files.size(), best / 1e9);
    }

    /**
     * The watcher's first scan without NATS: {@link TreeWatch#scan} as {@code RootWatcher} runs it (every
     * folder watched, listed, its files stat'ed and hashed, in parallel on the hash pool's threads).
     */
    private static void scan(Path folder) throws Exception {
        PathRules rules = new PathRules(List.of(), List.of(), List.of());
        AtomicLong found = new AtomicLong();
        AtomicLong hashed = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        long start = System.nanoTime();
        try (HashPool pool = new HashPool(Runtime.getRuntime().availableProcessors());
             TreeWatch tree = TreeWatch.open("bench", folder.toRealPath(), WatchRegistrar.JDK, new RawEvents(10_000),
                     () -> { }, why -> { })) {
            tree.scan("", rules, pool, new TreeWatch.ScanSink() {
                @Override
                public boolean wantsHash(String path, FileStat stat) {
                    return true;
                }

                @Override
                public void found(List<TreeWatch.Found> files) {
                    found.addAndGet(files.size());
                    hashed.addAndGet(files.stream().filter(file -> file.hash().sha256() != null).count());
                }

                @Override
                public void done(WatchLimitException failure) {
                    done.countDown();
                }
            });
            done.await();
        }
        System.out.printf("files=%d%nhashed=%d%nseconds=%.3f%n", found.get(), hashed.get(),
                (System.nanoTime() - start) / 1e9);
    }

    /** A real root watcher's first start over {@code folder}: scan, hash, publish, index; then memory per file. */
    private static void watchInitial(String natsUrl, Path folder) throws Exception {
        try (Connection nats = Nats.connect(natsUrl); SystemTimeSource time = new SystemTimeSource();
             HashPool pool = new HashPool(Runtime.getRuntime().availableProcessors())) {
            prepareStreams(nats);
            AtomicLong published = new AtomicLong();
            ChangeSink sink = publisher(nats, time, (event, at) -> published.incrementAndGet());
            String name = "bench" + System.nanoTime();
            long heapBefore = usedHeapAfterGc();
            long rssBefore = rssBytes();
            long start = System.nanoTime();
            RootWatcher watcher = watcher(nats, time, pool, sink, name, folder);
            watcher.start();
            while (watcher.status().state() == RootWatcher.State.STARTING) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int files = watcher.status().files();
            long heap = usedHeapAfterGc() - heapBefore;
            long rss = rssBytes() - rssBefore;
            System.out.printf("state=%s%nfiles=%d%npublished=%d%nseconds=%.3f%nheap_bytes_per_file=%.0f%n"
                            + "rss_bytes_per_file=%.0f%nrss_total_mib=%.1f%nfolders=%d%n",
                    watcher.status().state(), files, published.get(), seconds, (double) heap / files,
                    (double) rss / files, rssBytes() / 1048576.0, watcher.status().folders());
            watcher.close();
        }
    }

    /** From the last write of a file to its event reaching a subscriber, {@code rounds} bursts of 10 files. */
    private static void latency(String natsUrl, Path folder, int rounds) throws Exception {
        try (Connection nats = Nats.connect(natsUrl); SystemTimeSource time = new SystemTimeSource();
             HashPool pool = new HashPool(Runtime.getRuntime().availableProcessors())) {
            prepareStreams(nats);
            Map<String, Long> lastWrite = new ConcurrentHashMap<>();
            Map<String, CountDownLatch> seen = new ConcurrentHashMap<>();
            Histogram histogram = new Histogram(3_600_000_000L, 3);
            ChangeSink sink = publisher(nats, time, (event, at) -> {
                Long wrote = lastWrite.get(event.path());
                CountDownLatch latch = seen.get(event.path());
                if (wrote != null && latch != null) {
                    histogram.recordValue(Math.max(0, (at - wrote) / 1000));
                    if (System.getenv("BENCH_TRACE") != null) {
                        System.err.printf("%s %.1f%n", event.path(), (at - wrote) / 1e6);
                    }
                    latch.countDown();
                }
            });
            RootWatcher watcher = watcher(nats, time, pool, sink, "latency" + System.nanoTime(), folder);
            watcher.start();
            while (watcher.status().state() == RootWatcher.State.STARTING) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            int warmUp = 10;
            for (int round = 0; round < warmUp + rounds; round++) {
                if (round == warmUp) {
                    histogram.reset();
                }
                CountDownLatch latch = new CountDownLatch(10);
                for (int i = 0; i < 10; i++) {
                    String path = "f-" + round + "-" + i + ".txt";
                    seen.put(path, latch);
                    Path file = folder.resolve(path);
                    Files.writeString(file, "first part " + round);
                    Files.writeString(file, "second part " + round + " " + i);
                    lastWrite.put(path, System.nanoTime());
                }
                if (!latch.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("events missing in round " + round);
                }
            }
            System.out.printf("samples=%d%np50_ms=%.1f%np99_ms=%.1f%nmax_ms=%.1f%nquiet_ms=%d%n",
                    histogram.getTotalCount(), histogram.getValueAtPercentile(50) / 1000.0,
                    histogram.getValueAtPercentile(99) / 1000.0, histogram.getMaxValue() / 1000.0,
                    watcher.spec().quietPeriod().toMillis());
            watcher.close();
        }
    }

    /** What one synchronous JetStream publish and one key-value update cost here. */
    private static void natsRoundTrips(String natsUrl) throws Exception {
        try (Connection nats = Nats.connect(natsUrl)) {
            prepareStreams(nats);
            JetStream js = nats.jetStream();
            nats.keyValueManagement().create(KeyValueConfiguration.builder().name("rtt").maxHistoryPerKey(1)
                    .storageType(StorageType.File).build());
            var kv = nats.keyValue("rtt");
            for (int round = 0; round < 2; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < 2000; i++) {
                    js.publish("events.fs.rtt", new byte[200], PublishOptions.builder().messageId(round + "-" + i).build());
                }
                long publish = System.nanoTime() - start;
                start = System.nanoTime();
                for (int i = 0; i < 2000; i++) {
                    kv.put("k" + i, new byte[100]);
                }
                long put = System.nanoTime() - start;
                System.out.printf("publish_us=%.0f%nkv_put_us=%.0f%n", publish / 2000e3, put / 2000e3);
            }
        }
    }

    private interface Observer {
        void published(FsEvent event, long nanoTime);
    }

    // The same publishing as the service's NatsChangeSink: envelope id as Nats-Msg-Id, wait for the stream's ack.
    private static ChangeSink publisher(Connection nats, SystemTimeSource time, Observer observer) throws IOException {
        JetStream js = nats.jetStream();
        EnvelopeCodec codec = new EnvelopeCodec();
        EnvelopeFactory envelopes = new EnvelopeFactory("fs-watcher-bench", time, new LamportClock(), codec);
        return (event, id) -> {
            String subject = Subjects.fsEvents(event.root());
            return js.publishAsync(subject,
                            codec.encode(envelopes.create(id, MessageTypes.FS_EVENT, subject, null, event)),
                            PublishOptions.builder().messageId(id).build())
                    .thenAccept(ack -> observer.published(event, System.nanoTime()));
        };
    }

    private static RootWatcher watcher(Connection nats, SystemTimeSource time, HashPool pool, ChangeSink sink,
                                       String name, Path folder) throws IOException {
        RootSpec spec = new RootSpec(name, folder.toRealPath(), List.of(), List.of(), List.of(), Duration.ofMillis(300),
                Duration.ofSeconds(5));
        KvIndexStore store = new KvIndexStore(nats, () -> {
            try {
                nats.keyValueManagement().create(KeyValueConfiguration.builder().name("fswatch-index-" + name)
                        .maxHistoryPerKey(1).storageType(StorageType.File).build());
                return nats.keyValue("fswatch-index-" + name);
            } catch (IOException | JetStreamApiException e) {
                throw new IllegalStateException(e);
            }
        }, new EnvelopeCodec().mapper());
        return new RootWatcher(spec, time, store, sink, pool, WatchRegistrar.JDK,
                new WatcherSettings(10_000, Duration.ofMillis(250), 262_144, 1000, Duration.ofSeconds(1)));
    }

    private static void prepareStreams(Connection nats) throws Exception {
        JetStreamManagement jsm = nats.jetStreamManagement();
        if (!jsm.getStreamNames().contains(Streams.EVENTS.name())) {
            jsm.addStream(StreamConfiguration.builder().name(Streams.EVENTS.name())
                    .subjects(Streams.EVENTS.subjects()).retentionPolicy(RetentionPolicy.Limits)
                    .storageType(StorageType.File).duplicateWindow(Streams.EVENTS.duplicateWindow()).build());
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed();
    }

    private static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }
}
