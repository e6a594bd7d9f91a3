package orrery.deps.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import orrery.model.build.BuildRule;
import orrery.model.build.HowToReply;
import orrery.model.build.RuleAnnouncement;
import orrery.model.build.StemPattern;

/**
 * The rules builders have offered. When several rules match an artefact, the choice is, in order:
 * the highest {@code priority}; then the most specific pattern (a literal path beats any
 * {@code %} pattern, and a longer fixed part beats a shorter one); then the builder name, then the
 * pattern, alphabetically, so the choice never depends on the order announcements arrived in.
 */
public final class RuleBook {

    /** One rule and who offers it. */
    public record Offer(String builder, String subject, BuildRule rule, StemPattern target, StemPattern mainInput) {

        static Offer of(String builder, String subject, BuildRule rule) {
            return new Offer(builder, subject, rule, rule.target(), StemPattern.parse(rule.inputs().get(0), "input"));
        }
    }

    /** The rule chosen for a path, with the path's inputs under it. */
    public record Match(Offer offer, List<String> inputs) {
    }

    private static final Comparator<Offer> PREFERENCE = Comparator
            .comparingInt((Offer o) -> o.rule().priority()).reversed()
            .thenComparing(Comparator.comparingInt((Offer o) -> o.target().specificity()).reversed())
            .thenComparing(Offer::builder)
            .thenComparing(o -> o.rule().pattern());

    private final Map<String, List<Offer>> byBuilder = new LinkedHashMap<>();

    /** Takes a builder's announcement, replacing what it offered before; true if anything changed. */
    public boolean announce(RuleAnnouncement announcement) {
        List<Offer> offers = announcement.rules().stream()
                .map(rule -> Offer.of(announcement.builder(), announcement.subject(), rule)).toList();
        List<Offer> before = byBuilder.put(announcement.builder(), offers);
        return !offers.equals(before);
    }

    /** Learns the rule of a {@code rules.howto} answer, keeping what the builder announced; true if new. */
    public boolean learn(HowToReply reply) {
        Offer offer = Offer.of(reply.builder(), reply.subject(), reply.rule());
        List<Offer> offers = new ArrayList<>(byBuilder.getOrDefault(reply.builder(), List.of()));
        if (offers.contains(offer)) {
            return false;
        }
        offers.add(offer);
        byBuilder.put(reply.builder(), List.copyOf(offers));
        return true;
    }

    public boolean isEmpty() {
        return byBuilder.values().stream().allMatch(List::isEmpty);
    }

    public List<Offer> offers() {
        return byBuilder.values().stream().flatMap(List::stream).toList();
    }

    /** The preferred rule that builds {@code path}, if any. */
    public Optional<Match> ruleFor(String path) {
        return offers().stream()
                .filter(offer -> offer.target().match(path).isPresent())
                .min(PREFERENCE)
                .map(offer -> new Match(offer, offer.rule().inputsFor(path)));
    }

    /** Artefacts whose main (first) input is {@code path} under the rule preferred for them. */
    public List<Match> targetsOf(String path) {
        List<Match> targets = new ArrayList<>();
        for (Offer offer : offers()) {
            Optional<String> stem = offer.mainInput().match(path);
            if (stem.isEmpty()) {
                continue;
            }
            String target = offer.target().expand(stem.get());
            if (target.length() > 1024) {
                continue;
            }
            ruleFor(target).filter(match -> match.offer().equals(offer))
                    .filter(match -> targets.stream().noneMatch(t -> t.offer().equals(offer)
                            && t.inputs().equals(match.inputs())))
                    .ifPresent(match -> targets.add(new Match(offer, List.of(target))));
        }
        return targets;
    }
}
