package orrery.staging.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChunkPipelineTest {

    private static final int BUFFER = 1000;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final ChunkPipeline pipeline = new ChunkPipeline(threads, 4, BUFFER);
    private final byte[] data = random(25_017);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void everyStageSeesTheWholeStreamInOrderOnAThreadOfItsOwn() throws Exception {
        Digests digests = new Digests();
        Recorder writer = new Recorder();
        Set<Thread> stageThreads = ConcurrentHashMap.newKeySet();
        List<ChunkPipeline.Stage> stages = List.of(
                (b, o, n) -> { stageThreads.add(Thread.currentThread()); digests.updateMd5(b, o, n); },
                (b, o, n) -> { stageThreads.add(Thread.currentThread()); digests.updateSha256(b, o, n); },
                (b, o, n) -> { stageThreads.add(Thread.currentThread()); writer.accept(b, o, n); });
        List<Long> totals = Collections.synchronizedList(new ArrayList<>());

        long read = pipeline.run(new FakeSource(data, 37), (count, total) -> {
            digests.counted(count);
            totals.add(total);
        }, stages);

        assertThat(read).isEqualTo(data.length);
        assertThat(writer.bytes()).isEqualTo(data);
        Digests.Result result = digests.finish();
        assertThat(result.size()).isEqualTo(data.length);
        assertThat(result.md5()).isEqualTo(hex("MD5", data));
        assertThat(result.sha256()).isEqualTo(hex("SHA-256", data));
        assertThat(totals).isSorted().last().isEqualTo((long) data.length);
        assertThat(stageThreads).hasSize(3).doesNotContain(Thread.currentThread());
    }

    @Test
    void fillsWholeBuffersFromASourceThatGivesLittleAtATime() throws Exception {
        List<Integer> chunks = Collections.synchronizedList(new ArrayList<>());

        pipeline.run(new FakeSource(data, 37), ChunkPipeline.UNWATCHED, List.of((b, o, n) -> chunks.add(n)));

        assertThat(chunks).hasSize(26);
        assertThat(chunks.subList(0, 25)).containsOnly(BUFFER);
        assertThat(chunks.get(25)).isEqualTo(17);
    }

    @Test
    void anEmptyStreamReachesNoStage() throws Exception {
        Recorder writer = new Recorder();

        long read = pipeline.run(new FakeSource(new byte[0], 10), ChunkPipeline.UNWATCHED, List.of(writer));

        assertThat(read).isZero();
        assertThat(writer.bytes()).isEmpty();
    }

    @Test
    void aSourceFailingHalfwayFailsTheRunAfterTheStagesGotEverythingReadBeforeIt() throws Exception {
        FakeSource source = new FakeSource(data, 300).failingAfter(12_345);
        Recorder writer = new Recorder();
        Recorder other = new Recorder();

        assertThatThrownBy(() -> pipeline.run(source, ChunkPipeline.UNWATCHED, List.of(writer, other)))
                .isInstanceOf(IOException.class).hasMessage("connection reset at 12345");

        // When run() has thrown, every stage has finished: what a writer wrote is exactly a prefix, nothing more comes.
        assertThat(writer.bytes()).isEqualTo(java.util.Arrays.copyOf(data, 12_345));
        assertThat(other.bytes()).isEqualTo(writer.bytes());
    }

    @Test
    void aFailingStageStopsTheReaderAndItsFailureIsThrown() throws Exception {
        FakeSource source = new FakeSource(random(1_000_000), BUFFER);
        Recorder hasher = new Recorder();
        ChunkPipeline.Stage diskFull = new ChunkPipeline.Stage() {
            private int chunks;

            @Override
            public void accept(byte[] buffer, int offset, int length) throws IOException {
                if (++chunks == 3) {
                    throw new IOException("No space left on device");
                }
            }
        };

        assertThatThrownBy(() -> pipeline.run(source, ChunkPipeline.UNWATCHED, List.of(hasher, diskFull)))
                .isInstanceOf(IOException.class).hasMessage("No space left on device");

        // the reader stops within the buffers in flight of the failure, not at the end of the stream
        assertThat(source.delivered()).isLessThanOrEqualTo((3L + pipeline.buffers() + 1) * BUFFER);
    }

    @Test
    void aWatcherThrowingStopsTheRunAtOnce() throws Exception {
        FakeSource source = new FakeSource(random(1_000_000), 500);

        assertThatThrownBy(() -> pipeline.run(source, (count, total) -> {
            if (total >= 5_000) {
                throw new IOException("cancelled");
            }
        }, List.of(new Recorder()))).hasMessage("cancelled");

        assertThat(source.delivered()).isEqualTo(5_000);
    }

    @Test
    void aStageThrowingARuntimeExceptionFailsTheRunWithIt() {
        assertThatThrownBy(() -> pipeline.run(new FakeSource(data, BUFFER), ChunkPipeline.UNWATCHED,
                List.of((b, o, n) -> {
                    throw new IllegalStateException("broken digest");
                }))).isInstanceOf(IllegalStateException.class).hasMessage("broken digest");
    }

    @Test
    void theReaderIsNeverMoreThanItsBuffersAheadOfTheSlowestStage() throws Exception {
        FakeSource endless = new FakeSource(random(10 * BUFFER), BUFFER).endless();
        CountDownLatch stuck = new CountDownLatch(1);
        Recorder fast = new Recorder();
        CompletableFuture<Long> running = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                running.complete(pipeline.run(endless, ChunkPipeline.UNWATCHED, List.of(fast, (b, o, n) -> {
                    try {
                        stuck.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                })));
            } catch (IOException | RuntimeException e) {
                running.completeExceptionally(e);
            }
        });
        reader.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> reader.getState() == Thread.State.WAITING
                && endless.delivered() == (long) pipeline.buffers() * BUFFER);
        assertThat(endless.delivered()).as("every buffer in flight, no more").isEqualTo(4L * BUFFER);
        assertThat(running).isNotDone();

        endless.end();
        stuck.countDown();

        assertThat(running.get(30, TimeUnit.SECONDS)).isEqualTo(endless.delivered());
        assertThat((long) fast.bytes().length).isEqualTo(endless.delivered());
    }

    @Test
    void runsOneAfterAnotherAndSideBySide() throws Exception {
        List<CompletableFuture<String>> runs = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            for (int i = 0; i < 9; i++) {
                byte[] stream = random(7_000 + i * 1_111);
                runs.add(CompletableFuture.supplyAsync(() -> {
                    Digests digests = new Digests();
                    try {
                        pipeline.run(new FakeSource(stream, 333), (count, total) -> digests.counted(count),
                                List.of(digests::updateMd5, digests::updateSha256));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    return digests.finish().md5() + "/" + hex("MD5", stream);
                }, callers));
            }
            for (CompletableFuture<String> run : runs) {
                String[] both = run.get(30, TimeUnit.SECONDS).split("/");
                assertThat(both[0]).isEqualTo(both[1]);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aRunAfterAnotherReusesItsBuffersInsteadOfAllocatingNewOnes() throws Exception {
        Set<byte[]> first = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        Set<byte[]> second = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        ChunkPipeline.Stage firstSeen = (b, o, n) -> { synchronized (first) { first.add(b); } };
        ChunkPipeline.Stage secondSeen = (b, o, n) -> { synchronized (second) { second.add(b); } };

        pipeline.run(new FakeSource(data, BUFFER), ChunkPipeline.UNWATCHED, List.of(firstSeen));
        pipeline.run(new FakeSource(data, BUFFER), ChunkPipeline.UNWATCHED, List.of(secondSeen));

        // Buffers are made lazily and a fast stage hands them back at once, so a run may touch fewer
        // than all of them; what reuse means is that both runs together never had more than the pipeline's.
        Set<byte[]> both = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        both.addAll(first);
        both.addAll(second);
        assertThat(second).isNotEmpty();
        assertThat(both).hasSizeLessThanOrEqualTo(pipeline.buffers());
    }

    @Test
    void refusesToRunWithoutThreads() {
        ExecutorService closed = Executors.newCachedThreadPool();
        closed.shutdown();
        ChunkPipeline without = new ChunkPipeline(closed, 2, BUFFER);

        assertThatThrownBy(() -> without.run(new FakeSource(data, BUFFER), ChunkPipeline.UNWATCHED,
                List.of(new Recorder(), new Recorder()))).isInstanceOf(IOException.class).hasMessageContaining("no thread");
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stream handing out at most {@code step} bytes a read; optionally failing at a position, or repeating until ended. */
    private static final class FakeSource implements ChunkPipeline.Source {
        private final byte[] data;
        private final int step;
        private final AtomicLong position = new AtomicLong();
        private long failAt = -1;
        private volatile boolean endless;

        FakeSource(byte[] data, int step) {
            this.data = data;
            this.step = step;
        }

        FakeSource failingAfter(long bytes) {
            failAt = bytes;
            return this;
        }

        FakeSource endless() {
            endless = true;
            return this;
        }

        void end() {
            endless = false;
        }

        long delivered() {
            return position.get();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            long at = position.get();
            if (at == failAt) {
                throw new IOException("connection reset at " + at);
            }
            int from = (int) (at % Math.max(1, data.length));
            if (!endless && at >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(step, length), data.length - from);
            if (failAt >= 0) {
                n = (int) Math.min(n, failAt - at);
            }
            System.arraycopy(data, from, buffer, offset, n);
            position.addAndGet(n);
            return n;
        }
    }

    /** A stage that keeps what it was given. */
    private static final class Recorder implements ChunkPipeline.Stage {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private int calls;

        @Override
        public synchronized void accept(byte[] buffer, int offset, int length) {
            bytes.write(buffer, offset, length);
            calls++;
        }

        synchronized byte[] bytes() {
            return bytes.toByteArray();
        }

        synchronized int calls() {
            return calls;
        }
    }
}
