package orrery.deps.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import orrery.deps.domain.graph.Planner;
import orrery.model.build.BuildRule;
import orrery.model.build.RuleAnnouncement;
import org.junit.jupiter.api.Test;

class RuleBookTest {

    private final RuleBook rules = new RuleBook();
    private final ArtefactGraph graph = new ArtefactGraph();

    @Test
    void theHighestPriorityThenTheMostSpecificPatternWins() {
        rules.announce(RuleAnnouncement.of("generic", List.of(new BuildRule("%.pdf", List.of("%.tex"), "latex", 0))));
        rules.announce(RuleAnnouncement.of("special", List.of(new BuildRule("docs/%.pdf", List.of("docs/%.md"), "pandoc", 0))));
        assertThat(rules.ruleFor("docs/a.pdf").orElseThrow().offer().builder()).isEqualTo("special");
        assertThat(rules.ruleFor("a.pdf").orElseThrow().offer().builder()).isEqualTo("generic");

        rules.announce(RuleAnnouncement.of("urgent", List.of(new BuildRule("%.pdf", List.of("%.odt"), "soffice", 5))));
        assertThat(rules.ruleFor("docs/a.pdf").orElseThrow().inputs()).containsExactly("docs/a.odt");
    }

    @Test
    void aNewAnnouncementReplacesTheBuildersOldRules() {
        rules.announce(RuleAnnouncement.of("shell", List.of(new BuildRule("%.o", List.of("%.c"), "cc", 0))));
        boolean changed = rules.announce(RuleAnnouncement.of("shell", List.of(new BuildRule("%.x", List.of("%.y"), "x", 0))));

        assertThat(changed).isTrue();
        assertThat(rules.ruleFor("a.o")).isEmpty();
        assertThat(rules.announce(RuleAnnouncement.of("shell", List.of(new BuildRule("%.x", List.of("%.y"), "x", 0)))))
                .isFalse();
    }

    @Test
    void aNewFileBringsInWhatIsBuiltFromItAndTheCycleBetweenThem() {
        rules.announce(RuleAnnouncement.of("shell", List.of(
                new BuildRule("a.txt", List.of("a.src", "b.txt"), "mix a", 0),
                new BuildRule("b.txt", List.of("b.src", "a.txt"), "mix b", 0))));
        Artefact a = graph.ensure("p", "a.src");

        graph.expand(rules, List.of(a));

        Artefact aTxt = graph.find("p", "a.txt").orElseThrow();
        Artefact bTxt = graph.find("p", "b.txt").orElseThrow();
        assertThat(aTxt.inputs()).extracting(Artefact::path).containsExactly("a.src", "b.txt");
        assertThat(bTxt.inputs()).extracting(Artefact::path).containsExactly("b.src", "a.txt");
        assertThat(aTxt.state()).isEqualTo(ArtefactState.NEW);
        Planner planner = graph.planner();
        assertThat(planner.components().componentOf(aTxt.index())).isEqualTo(planner.components().componentOf(bTxt.index()));
        assertThat(planner.components().isCyclic(planner.components().componentOf(aTxt.index()))).isTrue();
    }

    @Test
    void aRuleThatFeedsItselfIsFollowedOnlySoFar() {
        rules.announce(RuleAnnouncement.of("shell", List.of(new BuildRule("%.b", List.of("%"), "grow", 0))));

        graph.expand(rules, List.of(graph.ensure("p", "x")));

        assertThat(graph.size()).isEqualTo(ArtefactGraph.MAX_EXPANSION_DEPTH + 1);
    }

    @Test
    void theWatchersEchoOfOurOwnOutputChangesNothingButAHandEditDoes() {
        rules.announce(RuleAnnouncement.of("shell", List.of(new BuildRule("%.out", List.of("%.in"), "copy", 0),
                new BuildRule("%.final", List.of("%.out"), "copy", 0))));
        Artefact in = graph.ensure("p", "x.in");
        graph.expand(rules, List.of(in));
        Artefact out = graph.find("p", "x.out").orElseThrow();
        out.built("1".repeat(64), "b1", "t1", "", out.staleVersion());

        assertThat(graph.observe("p", "x.out", "1".repeat(64))).isEmpty();
        assertThat(graph.observe("p", "x.out", "2".repeat(64))).containsExactly(out);
        assertThat(graph.find("p", "x.final").orElseThrow().state()).isEqualTo(ArtefactState.NEW);
    }

    @Test
    void anIdenticalHashChangesNothingAndADeletionMakesASourceMissing() {
        Artefact src = graph.ensure("p", "s");
        assertThat(graph.observe("p", "s", "a".repeat(64))).containsExactly(src);
        assertThat(src.state()).isEqualTo(ArtefactState.SOURCE);
        assertThat(graph.observe("p", "s", "a".repeat(64))).isEmpty();
        assertThat(graph.observe("p", "s", null)).containsExactly(src);
        assertThat(src.state()).isEqualTo(ArtefactState.MISSING);
    }
}
