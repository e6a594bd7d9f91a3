package orrery.deps.domain.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
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
}
