package orrery.staging.backend.vospace;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import orrery.staging.backend.source.PermanentSourceException;
import orrery.staging.backend.storage.StagingStore;
import orrery.staging.domain.StagingRefusals;
import orrery.staging.domain.StoredFile;

/**
 * Session folders in VOSpace: {@code home/{user}/broker/{executionId}/} as ContainerNodes (on
 * CANFAR's arc service this is the user's home), files as DataNodes.
 *
 * <p>"Present" is decided from the DataNode's server-computed {@code length} and {@code MD5}.
 * Uploads negotiate a {@code pushToVoSpace} transfer and stream a PUT to the endpoint with the
 * expected MD5 in a {@code Digest} header, so the storage refuses corrupt bytes itself; after the
 * PUT the node's properties are checked once more. VOSpace cannot write under a temporary name
 * and rename atomically: negotiation creates an empty node, which an aborted upload deletes and
 * which {@link #stat} treats as absent.
 */
public final class VospaceStagingStore implements StagingStore {

    private final VospaceClient client;

    public VospaceStagingStore(VospaceClient client) {
        this.client = client;
    }

    @Override
    public String name() {
        return "vospace";
    }

    @Override
    public void ensureFolder(String folder) throws IOException {
        String[] parts = folder.split("/");
        // home/{user} is the user's own space and exists; create broker/ and the execution folder.
        StringBuilder path = new StringBuilder(parts[0]).append('/').append(parts[1]);
        for (int i = 2; i < parts.length; i++) {
            path.append('/').append(parts[i]);
            client.createContainer(path.toString());
        }
    }

    @Override
    public Optional<StoredFile> stat(String path) throws IOException {
        Optional<VospaceDocuments.NodeInfo> node = client.node(path);
        if (node.isEmpty() || node.get().isEmptyPlaceholder()) {
            return Optional.empty();
        }
        if (node.get().isContainer()) {
            throw StagingRefusals.badPath("'" + path + "' is a folder in VOSpace, not a file");
        }
        return Optional.of(new StoredFile(node.get().length() == null ? 0 : node.get().length(), node.get().md5(), null));
    }

    @Override
    public Upload begin(String path, String taskId, Long expectedSize, String expectedMd5) {
        return new VospaceUpload(path, expectedSize, expectedMd5);
    }

    @Override
    public void discardPartial(String path, String taskId) throws IOException {
        Optional<VospaceDocuments.NodeInfo> node = client.node(path);
        if (node.isPresent() && node.get().isEmptyPlaceholder()) {
            client.delete(path);
        }
    }

    private final class VospaceUpload implements Upload {
        private final String path;
        private final Long expectedSize;
        private final String expectedMd5;
        private ChunkPipe pipe;
        private CompletableFuture<HttpResponse<String>> response;
        private boolean committed;

        VospaceUpload(String path, Long expectedSize, String expectedMd5) {
            this.path = path;
            this.expectedSize = expectedSize;
            this.expectedMd5 = expectedMd5;
        }

        @Override
        public long resumableBytes() {
            return 0; // an interrupted VOSpace upload cannot be continued; it starts again
        }

        @Override
        public InputStream partial() {
            return InputStream.nullInputStream();
        }

        @Override
        public OutputStream open(long offset) throws IOException {
            List<VospaceDocuments.Endpoint> endpoints = client.negotiateUpload(path);
            pipe = new ChunkPipe();
            response = client.upload(endpoints.get(0), pipe.source, expectedSize, expectedMd5);
            response.whenComplete((r, failure) -> {
                if (failure != null) {
                    pipe.fail(new IOException("the upload to VOSpace failed: " + failure.getMessage(), failure));
                } else if (r.statusCode() >= 300) {
                    pipe.fail(VospaceClient.refused("store " + client.vosUri(path), r.statusCode(), r.body()));
                }
            });
            return new AnsweredSink(pipe.sink);
        }

        /**
         * The upload's body, whose failure names VOSpace's answer when there is one: storage that
         * refuses an upload (412, the checksum) may answer before it has read the body, and the
         * HTTP client then stops reading, which is all the writing side would otherwise learn.
         */
        private final class AnsweredSink extends java.io.FilterOutputStream {
            AnsweredSink(OutputStream sink) {
                super(sink);
            }

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                try {
                    out.write(buffer, offset, length);
                } catch (IOException broken) {
                    throw answerOr(broken);
                }
            }

            @Override
            public void close() throws IOException {
                try {
                    out.close();
                } catch (IOException broken) {
                    throw answerOr(broken);
                }
            }
        }

        /** VOSpace's refusal if it answered (or answers within a few seconds), else {@code broken}. */
        private IOException answerOr(IOException broken) {
            try {
                HttpResponse<String> answer = response.get(5, TimeUnit.SECONDS);
                return answer.statusCode() >= 300 ? VospaceClient.refused("store " + client.vosUri(path), answer.statusCode(),
                        answer.body()) : broken;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return broken;
            } catch (ExecutionException | TimeoutException | java.util.concurrent.CancellationException noAnswer) {
                return broken;
            }
        }

        @Override
        public void commit(StoredFile verified) throws IOException {
            try {
                pipe.sink.close();
            } catch (IOException broken) {
                throw answerOr(broken);
            }
            HttpResponse<String> answer = await();
            if (answer.statusCode() >= 300) {
                throw VospaceClient.refused("store " + client.vosUri(path), answer.statusCode(), answer.body());
            }
            VospaceDocuments.NodeInfo node = client.node(path)
                    .orElseThrow(() -> new IOException("VOSpace accepted " + client.vosUri(path) + " but does not show it"));
            boolean sizeOk = node.length() != null && node.length() == verified.size();
            boolean md5Ok = node.md5() == null || node.md5().equalsIgnoreCase(verified.md5());
            if (!sizeOk || !md5Ok) {
                client.delete(path);
                throw new PermanentSourceException("VOSpace stored " + node.length() + " bytes with MD5 " + node.md5()
                        + " but " + verified.size() + " bytes with MD5 " + verified.md5() + " were sent; the node was removed");
            }
            committed = true;
        }

        @Override
        public void abort() {
            if (pipe != null) {
                pipe.fail(new IOException("upload aborted"));
            }
            if (response != null) {
                response.cancel(true);
            }
            try {
                client.delete(path);
            } catch (IOException ignored) {
                // the empty node is treated as absent and removed by the next attempt
            }
        }

        /** An upload that did not commit leaves an empty (or wrong) node behind: remove it. */
        @Override
        public void close() {
            if (response != null && !committed) {
                abort();
            }
        }

        private HttpResponse<String> await() throws IOException {
            try {
                return response.get(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while VOSpace stored " + path);
            } catch (ExecutionException e) {
                throw new IOException("the upload to VOSpace failed: " + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new IOException("VOSpace did not confirm the upload of " + path + " within 10 minutes");
            }
        }
    }
}
