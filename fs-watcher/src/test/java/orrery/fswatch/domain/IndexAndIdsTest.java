package orrery.fswatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import orrery.model.fs.FsEvent;
import org.junit.jupiter.api.Test;

class IndexAndIdsTest {

    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);
    private static final Instant T = Instant.parse("2024-08-30T09:45:00Z");

    @Test
    void theSameChangeGetsTheSameIdAndALaterOneANewIdEvenForOldContent() {
        FsEvent toB = FsEvent.modified("r", "f.txt", 1, T, SHA_B, SHA_A);

        assertThat(EventIds.of(toB, "g1", 7)).isEqualTo(EventIds.of(toB, "g1", 7));
        assertThat(EventIds.of(toB, "g1", 9)).as("A -> B again after B -> A").isNotEqualTo(EventIds.of(toB, "g1", 7));
        assertThat(EventIds.of(toB, "g2", 7)).as("a purged and re-made index").isNotEqualTo(EventIds.of(toB, "g1", 7));
        assertThat(EventIds.of(FsEvent.created("r", "f.txt", 1, T, SHA_B), "g1", 7))
                .isNotEqualTo(EventIds.of(toB, "g1", 7));
        assertThat(EventIds.of(FsEvent.modified("other", "f.txt", 1, T, SHA_B, SHA_A), "g1", 7))
                .isNotEqualTo(EventIds.of(toB, "g1", 7));
    }

    @Test
    void indexPagesByPrefixAndFindsPathsByInodeAndRemembersTombstones() {
        FileIndex index = new FileIndex();
        for (String path : new String[] {"a/1", "a/2", "a/3", "ab", "b/1"}) {
            index.put(new IndexEntry(path, 1, 1, path.hashCode(), SHA_A, 3));
        }

        assertThat(index.page("a/", null, 2)).extracting(IndexEntry::path).containsExactly("a/1", "a/2");
        assertThat(index.page("a/", "a/2", 2)).extracting(IndexEntry::path).containsExactly("a/3");
        assertThat(index.pathsUnder("a")).containsExactly("a/1", "a/2", "a/3");
        assertThat(index.pathOfInode("b/1".hashCode())).isEqualTo("b/1");

        index.remove("b/1", 11);

        assertThat(index.pathOfInode("b/1".hashCode())).isNull();
        assertThat(index.revisionOf("b/1")).isEqualTo(11);
        assertThat(index.revisionOf("a/1")).isEqualTo(3);
        assertThat(index.revisionOf("never")).isZero();
    }

    @Test
    void theWatchLimitErrorSaysWhatToRaise() {
        IOException kernel = new IOException("User limit of inotify watches reached");

        IOException explained = WatchLimitException.explain(kernel, "/data/big");

        assertThat(explained).isInstanceOf(WatchLimitException.class)
                .hasMessageContaining("/data/big")
                .hasMessageContaining("raise fs.inotify.max_user_watches")
                .hasMessageContaining("sysctl -w fs.inotify.max_user_watches=");
        IOException other = new IOException("Permission denied");
        assertThat(WatchLimitException.explain(other, "/x")).isSameAs(other);
    }
}
