package orrery.fswatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import orrery.fswatch.domain.PathRules.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathRulesTest {

    @ParameterizedTest
    @CsvSource({
            "*.log, app.log, true",
            "*.log, deep/down/app.log, true",
            "*.log, app.log.1, false",
            "/top.txt, top.txt, true",
            "/top.txt, sub/top.txt, false",
            "docs/*.md, docs/a.md, true",
            "docs/*.md, docs/sub/a.md, false",
            "docs/**/*.md, docs/sub/deep/a.md, true",
            "docs/**/*.md, docs/a.md, true",
            "**/cache, x/y/cache, true",
            "data/**, data/a/b, true",
            "file?.txt, file1.txt, true",
            "file?.txt, file10.txt, false",
            "[ab].txt, b.txt, true",
            "[!ab].txt, b.txt, false",
            "scratch/, scratch/x.txt, true",
            "scratch/, a/scratch/x.txt, true",
            "*, any/name, true",
            "exact.txt, deep/exact.txt, true",
            "exact.txt, deep/inexact.txt, false",
            "/a/exact.txt, a/exact.txt, true",
            "/a/exact.txt, b/a/exact.txt, false",
    })
    void matchesLikeGitignore(String glob, String path, boolean expected) {
        assertThat(GlobRules.of(List.of(glob)).matches(path, false)).isEqualTo(expected);
    }

    @Test
    void theLastMatchWinsAndNegationReincludes() {
        GlobRules rules = GlobRules.of(List.of("*.txt", "!keep.txt"));
        assertThat(rules.matches("drop.txt", false)).isTrue();
        assertThat(rules.matches("keep.txt", false)).isFalse();
    }

    @Test
    void aTrailingSlashMatchesFoldersOnly() {
        GlobRules rules = GlobRules.of(List.of("out/"));
        assertThat(rules.matches("out", true)).isTrue();
        assertThat(rules.matches("out", false)).isFalse();
    }

    @Test
    void defaultsLeaveOutVersionControlBuildOutputsAndEditorFiles() {
        PathRules rules = new PathRules(List.of(), List.of(), List.of());
        assertThat(rules.ignoresDirectory(".git")).isTrue();
        assertThat(rules.ignoresDirectory("module/target")).isTrue();
        assertThat(rules.ignoresDirectory("src")).isFalse();
        assertThat(rules.classify(".git/config")).isEqualTo(Kind.IGNORED);
        assertThat(rules.classify("notes.txt.swp")).isEqualTo(Kind.IGNORED);
        assertThat(rules.classify(".notes.txt.swx")).isEqualTo(Kind.IGNORED);
        assertThat(rules.classify("notes.txt~")).isEqualTo(Kind.IGNORED);
        assertThat(rules.classify(".#notes.txt")).isEqualTo(Kind.IGNORED);
        assertThat(rules.classify("download.tmp")).isEqualTo(Kind.IGNORED);
        assertThat(rules.classify("notes.txt")).isEqualTo(Kind.FILE);
        assertThat(rules.classify("sub/4913")).isEqualTo(Kind.IGNORED);
        assertThat(rules.classifyInWalk("sub/x.swp")).isEqualTo(Kind.IGNORED);
        assertThat(rules.classifyInWalk("sub/x.txt")).isEqualTo(Kind.FILE);
    }

    @Test
    void includesNarrowLogsAreFollowedAndExcludesCanReincludeADefault() {
        PathRules rules = new PathRules(List.of("*.fits", "notebooks/"), List.of("!build/", "secret/"),
                List.of("*.log"));
        assertThat(rules.classify("obs/m31.fits")).isEqualTo(Kind.FILE);
        assertThat(rules.classify("notebooks/a.ipynb")).isEqualTo(Kind.FILE);
        assertThat(rules.classify("readme.md")).isEqualTo(Kind.IGNORED);
        assertThat(rules.classify("run/app.log")).isEqualTo(Kind.LOG);
        assertThat(rules.classify("secret/app.log")).isEqualTo(Kind.IGNORED);
        assertThat(rules.ignoresDirectory("build")).isFalse();
        assertThat(rules.classify("build/out.fits")).isEqualTo(Kind.FILE);
    }
}
