package orrery.fswatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompactIndexTest {

    private static final String SHA = "0123456789abcdef".repeat(4);

    @Test
    void anEntryGivesBackItsPathHashAndStat() {
        IndexEntry file = new IndexEntry("ünï/日本/f.txt", 12, 34, 56, SHA, 7);
        IndexEntry log = IndexEntry.log("run/app.log", 99, new FileStat(120, 5, 6), 3);

        assertThat(file.path()).isEqualTo("ünï/日本/f.txt");
        assertThat(file.sha256()).isEqualTo(SHA);
        assertThat(file.hasSha256(SHA)).isTrue();
        assertThat(file.hasSha256("f" + SHA.substring(1))).isFalse();
        assertThat(file.isLog()).isFalse();
        assertThat(file.sameStat(new FileStat(12, 34, 56))).isTrue();
        assertThat(file.withRevision(9)).extracting(IndexEntry::revision, IndexEntry::path).containsExactly(9L,
                "ünï/日本/f.txt");
        assertThat(file).isEqualTo(new IndexEntry("ünï/日本/f.txt", 12, 34, 56, SHA, 7));
        assertThat(log.isLog()).isTrue();
        assertThat(log.sha256()).isNull();
        assertThat(log.hasSha256(SHA)).isFalse();
        assertThat(log.size()).isEqualTo(99);
    }

    @Test
    void pagesAndFoldersFollowThePathOrderAndAReplacedEntryIsFoundOnce() {
        FileIndex index = new FileIndex();
        List<String> paths = List.of("a-b", "a/x", "a/y/z", "a.b/c", "ab", "b", "é");
        for (String path : paths) {
            index.put(new IndexEntry(path, 1, 1, 0, SHA, 1));
        }
        index.put(new IndexEntry("a/x", 2, 2, 0, "f".repeat(64), 2));

        assertThat(index.size()).isEqualTo(paths.size());
        assertThat(index.get("a/x").revision()).isEqualTo(2);
        assertThat(index.page("", null, 100)).extracting(IndexEntry::path)
                .containsExactly("a-b", "a.b/c", "a/x", "a/y/z", "ab", "b", "é");
        assertThat(index.page("a/", "a/x", 100)).extracting(IndexEntry::path).containsExactly("a/y/z");
        assertThat(index.pathsUnder("a")).containsExactly("a/x", "a/y/z");
        assertThat(index.pathsUnder("")).hasSize(paths.size());
    }

    @Test
    void theInodeTableSurvivesCollisionsRemovalsAndGrowth() {
        FileIndex index = new FileIndex();
        Map<Long, String> expected = new HashMap<>();
        Random random = new Random(18);
        List<Long> inodes = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            long inode = i < 2500 ? i + 1 : random.nextLong() | 1;
            String path = "f" + i;
            index.put(new IndexEntry(path, 1, 1, inode, SHA, 1));
            expected.put(inode, path);
            inodes.add(inode);
        }
        for (int i = 0; i < inodes.size(); i += 3) {
            index.remove(expected.remove(inodes.get(i)), 5);
        }
        // a path taking another inode lets its old one go
        index.put(new IndexEntry("f1", 1, 1, 777_777_777L, SHA, 2));
        expected.remove(inodes.get(1));
        expected.put(777_777_777L, "f1");

        for (long inode : inodes) {
            assertThat(index.pathOfInode(inode)).as("inode " + inode).isEqualTo(expected.get(inode));
        }
        assertThat(index.pathOfInode(777_777_777L)).isEqualTo("f1");
        assertThat(index.pathOfInode(0)).isNull();
        assertThat(index.revisionOf("f0")).as("a tombstone's revision").isEqualTo(5);
    }
}
