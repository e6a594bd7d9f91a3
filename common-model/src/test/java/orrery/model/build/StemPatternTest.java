package orrery.model.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StemPatternTest {

    @Test
    void aPercentMatchesANonEmptyStemAcrossFolders() {
        StemPattern pdf = StemPattern.parse("%.pdf", "pattern");

        assertThat(pdf.match("paper.pdf")).contains("paper");
        assertThat(pdf.match("docs/paper.pdf")).contains("docs/paper");
        assertThat(pdf.match(".pdf")).isEmpty();
        assertThat(pdf.match("paper.tex")).isEmpty();
        assertThat(pdf.expand("docs/paper")).isEqualTo("docs/paper.pdf");
    }

    @Test
    void aLiteralPatternMatchesOnlyItselfAndIsMostSpecific() {
        StemPattern literal = StemPattern.parse("out/a.txt", "pattern");

        assertThat(literal.match("out/a.txt")).contains("");
        assertThat(literal.match("out/b.txt")).isEmpty();
        assertThat(literal.specificity()).isGreaterThan(StemPattern.parse("out/%.txt", "p").specificity());
        assertThat(StemPattern.parse("out/%.txt", "p").specificity())
                .isGreaterThan(StemPattern.parse("%.txt", "p").specificity());
    }

    @Test
    void refusesPatternsThatCouldEscapeTheRoot() {
        assertThatThrownBy(() -> StemPattern.parse("../%.pdf", "pattern")).hasMessageContaining("'..'");
        assertThatThrownBy(() -> StemPattern.parse("/etc/%", "pattern")).hasMessageContaining("relative");
        assertThatThrownBy(() -> StemPattern.parse("%/%.pdf", "pattern")).hasMessageContaining("more than one '%'");
    }

    @Test
    void aRuleDerivesItsInputsFromTheTargetsStem() {
        BuildRule rule = new BuildRule("%.pdf", List.of("%.tex", "%.aux", "preamble.sty"), "pdflatex %.tex", 0);

        assertThat(rule.inputsFor("docs/paper.pdf")).containsExactly("docs/paper.tex", "docs/paper.aux", "preamble.sty");
        assertThat(rule.inputsFor("paper.tex")).isNull();
    }

    @Test
    void aLiteralRuleCannotUseAStemInItsInputs() {
        assertThatThrownBy(() -> new BuildRule("a.txt", List.of("%.src"), "x", 0))
                .hasMessageContaining("cannot use one");
        assertThatThrownBy(() -> new BuildRule("a.txt", List.of(), "x", 0))
                .hasMessageContaining("at least one input");
    }
}
