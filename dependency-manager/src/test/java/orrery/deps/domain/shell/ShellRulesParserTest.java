package orrery.deps.domain.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShellRulesParserTest {

    @Test
    void readsPatternRulesLiteralRulesAndPriorities() {
        List<ShellRule> rules = ShellRulesParser.parse("""
                # papers
                %.pdf: %.tex %.aux -> pdflatex -interaction=nonstopmode %.tex

                !priority 7
                a.txt: a.src b.txt -> bash mix.sh "two words" 'it''s' $@
                """);

        assertThat(rules).hasSize(2);
        assertThat(rules.get(0).rule().pattern()).isEqualTo("%.pdf");
        assertThat(rules.get(0).rule().inputs()).containsExactly("%.tex", "%.aux");
        assertThat(rules.get(0).rule().priority()).isZero();
        assertThat(rules.get(0).command()).containsExactly("pdflatex", "-interaction=nonstopmode", "%.tex");
        assertThat(rules.get(1).rule().priority()).isEqualTo(7);
        assertThat(rules.get(1).command()).containsExactly("bash", "mix.sh", "two words", "its", "$@");
    }

    @Test
    void aMistakeIsReportedWithItsLine() {
        assertThatThrownBy(() -> ShellRulesParser.parse("ok.txt: a -> cat a\nbroken line\n"))
                .hasMessage("line 2: expected 'target: inputs -> command', got 'broken line'");
        assertThatThrownBy(() -> ShellRulesParser.parse("x: y -> echo 'open"))
                .hasMessageContaining("line 1: unclosed ' quote");
        assertThatThrownBy(() -> ShellRulesParser.parse("../x: y -> echo"))
                .hasMessageContaining("line 1:").hasMessageContaining("'..'");
        assertThatThrownBy(() -> ShellRulesParser.parse("!priority high"))
                .hasMessageContaining("whole number");
    }

    @Test
    void namesAreGivenRelativeToTheTargetsFolder() {
        List<String> args = CommandLine.expand(List.of("pdflatex", "%.tex", "-o", "$@", "$^", "--main=$<"),
                "docs/paper", "docs/paper.pdf", List.of("docs/paper.tex", "refs/all.bib"));

        assertThat(args).containsExactly("pdflatex", "paper.tex", "-o", "paper.pdf", "paper.tex", "../refs/all.bib",
                "--main=paper.tex");
    }

    @Test
    void envLinesSetVariablesForTheRulesAfterThem() {
        List<ShellRule> rules = ShellRulesParser.parse("""
                plain.txt: a -> cat a
                !env PATH=/opt/tex/bin:/usr/bin:/bin
                !env LANG = C
                tex.pdf: tex.tex -> pdflatex tex.tex
                !env TEXINPUTS=
                !env LANG=en_GB.UTF-8
                other.pdf: other.tex -> pdflatex $< $HOME
                """);

        assertThat(rules.get(0).environment()).isEmpty();
        assertThat(rules.get(1).environment()).containsExactly(Map.entry("PATH", "/opt/tex/bin:/usr/bin:/bin"),
                Map.entry("LANG", "C"));
        assertThat(rules.get(2).environment()).containsEntry("LANG", "en_GB.UTF-8").containsEntry("TEXINPUTS", "")
                .containsEntry("PATH", "/opt/tex/bin:/usr/bin:/bin");
        // Nothing is expanded: $HOME is a word of the command as written.
        assertThat(rules.get(2).command()).containsExactly("pdflatex", "$<", "$HOME");
    }

    @Test
    void envLinesThatCannotWorkAreRefusedWithTheirLine() {
        assertThatThrownBy(() -> ShellRulesParser.parse("!env PATH"))
                .hasMessageContaining("line 1: !env needs NAME=value");
        assertThatThrownBy(() -> ShellRulesParser.parse("# x\n!env 1X=y"))
                .hasMessageContaining("line 2: !env '1X' is not a variable name");
        assertThatThrownBy(() -> ShellRulesParser.parse("!env ORRERY_TARGET=/etc/passwd"))
                .hasMessageContaining("ORRERY_TARGET describes the task");
        assertThatThrownBy(() -> ShellRulesParser.parse("!environment X=y"))
                .hasMessageContaining("unknown directive '!environment'");
    }

    @Test
    void aCommandsEnvironmentIsTheBuildersThenTheRulesThenTheTasks() {
        Map<String, String> environment = CommandEnvironment.of("/usr/bin:/bin", "/srv/home", "C.UTF-8",
                Map.of("LANG", "C", "TEXINPUTS", "styles:"), "paper.pdf", 2, "b-1");

        assertThat(environment).containsOnly(Map.entry("PATH", "/usr/bin:/bin"), Map.entry("HOME", "/srv/home"),
                Map.entry("LANG", "C"), Map.entry("TEXINPUTS", "styles:"), Map.entry("ORRERY_TARGET", "paper.pdf"),
                Map.entry("ORRERY_ROUND", "2"), Map.entry("ORRERY_BUILD_ID", "b-1"));
    }

    @Test
    void aTrailingRedirectionToTheTargetIsTheBuildersNotAShells() {
        List<ShellRule> rules = ShellRulesParser.parse("""
                %.lines: %.txt -> wc -l $< > $@
                %.sha256: %.txt -> sha256sum $< >$@
                %.plain: %.txt -> cp $< $@
                %.quoted: %.txt -> echo '>' $@
                """);

        assertThat(rules.get(0).command()).containsExactly("wc", "-l", "$<");
        assertThat(rules.get(0).stdoutToTarget()).isTrue();
        assertThat(rules.get(0).rule().recipe()).isEqualTo("wc -l $< > $@");
        assertThat(rules.get(1).command()).containsExactly("sha256sum", "$<");
        assertThat(rules.get(1).stdoutToTarget()).isTrue();
        assertThat(rules.get(2).stdoutToTarget()).isFalse();
        assertThat(rules.get(3).command()).as("a quoted '>' is an argument").containsExactly("echo", ">", "$@");
        assertThat(rules.get(3).stdoutToTarget()).isFalse();
    }

    @Test
    void otherRedirectionsPipesAndListsAreRefusedWithTheirLine() {
        for (String command : List.of("wc -l $< > other.txt", "wc -l $< >> $@", "wc -l < $< > $@", "cat $< | wc -l > $@",
                "wc -l $< > $@ extra", "true ; cp $< $@", "true && cp $< $@", "wc -l $< 2> err > $@")) {
            assertThatThrownBy(() -> ShellRulesParser.parse("# one\nx.out: x.in -> " + command + "\n"))
                    .as(command).hasMessageStartingWith("line 2: '").hasMessageContaining("not run by a shell");
        }
        assertThatThrownBy(() -> ShellRulesParser.parse("x.out: x.in -> wc -l $< > other.txt"))
                .hasMessageContaining("the only redirection the shell builder understands is '> $@' at the end");
    }

    @Test
    void theShippedDemoRulesSendStandardOutputToTheTarget() throws Exception {
        List<ShellRule> rules = ShellRulesParser.parse(java.nio.file.Files.readString(
                java.nio.file.Path.of("..", "deploy", "local", "demo-rules.txt")));

        assertThat(rules).extracting(rule -> rule.rule().pattern()).containsExactly("%.sha256", "%.lines");
        assertThat(rules).allMatch(ShellRule::stdoutToTarget);
    }
}
