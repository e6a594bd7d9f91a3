package orrery.staging.backend.source;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import orrery.staging.domain.SourcePolicy;

/** Reads {@code file:} sources that the policy has already resolved under an allowed root. */
public final class FileSourceFetcher implements SourceFetcher {

    @Override
    public SourceStream open(SourcePolicy.Source source, long offset) throws IOException {
        FileChannel channel = FileChannel.open(source.file(), StandardOpenOption.READ);
        long size = channel.size();
        long start = offset <= size ? offset : 0;
        channel.position(start);
        return new SourceStream(Channels.newInputStream(channel), start, size - start);
    }
}
