package orrery.staging.backend.vospace;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded hand-over from the thread that writes a transfer to the thread that sends it as a
 * request body: at most a few chunks are in memory at once, so a multi-GiB upload streams.
 * Unlike {@link java.io.PipedInputStream} it does not care which threads read or write.
 */
final class ChunkPipe {

    private static final byte[] END = new byte[0];
    private static final long PATIENCE_MINUTES = 10;

    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(4);
    private volatile IOException broken;

    final OutputStream sink = new OutputStream() {
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            if (closed) {
                throw new IOException("the upload stream is closed");
            }
            if (length > 0) {
                put(Arrays.copyOfRange(buffer, offset, offset + length));
            }
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                put(END);
            }
        }
    };

    final InputStream source = new InputStream() {
        private byte[] current = new byte[0];
        private int position;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (ended) {
                return -1;
            }
            while (position >= current.length) {
                byte[] next = take();
                if (next == END) {
                    ended = true;
                    return -1;
                }
                current = next;
                position = 0;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, buffer, offset, n);
            position += n;
            return n;
        }

        @Override
        public void close() {
            fail(new IOException("the upload request stopped reading"));
        }
    };

    /** Makes both ends fail, e.g. when the request was refused or cancelled. */
    void fail(IOException cause) {
        broken = cause;
        chunks.clear();
        chunks.offer(END);
    }

    private void put(byte[] chunk) throws IOException {
        try {
            while (!chunks.offer(chunk, 1, TimeUnit.SECONDS)) {
                if (broken != null) {
                    throw broken;
                }
            }
            if (broken != null) {
                throw broken;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading");
        }
    }

    private byte[] take() throws IOException {
        try {
            byte[] chunk = chunks.poll(PATIENCE_MINUTES, TimeUnit.MINUTES);
            if (broken != null) {
                throw broken;
            }
            if (chunk == null) {
                throw new IOException("no data for the upload in " + PATIENCE_MINUTES + " minutes");
            }
            return chunk;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading");
        }
    }
}
