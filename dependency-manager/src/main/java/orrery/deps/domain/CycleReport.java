package orrery.deps.domain;

import java.util.List;
import java.util.Map;

/**
 * Why a strongly connected group did not reach a fixed point: which artefacts kept changing and
 * the hash each had after every round (first the hash before the build).
 */
public record CycleReport(List<String> members, int rounds, Map<String, List<String>> keptChanging) {

    public String describe() {
        StringBuilder text = new StringBuilder("cycle of ").append(String.join(", ", members))
                .append(" did not converge after ").append(rounds).append(rounds == 1 ? " round: " : " rounds: ");
        text.append(String.join(" and ", keptChanging.keySet())).append(keptChanging.size() == 1 ? " kept" : " kept")
                .append(" changing");
        keptChanging.forEach((artefact, hashes) -> {
            text.append("; ").append(artefact).append(": ");
            for (int i = 0; i < hashes.size(); i++) {
                text.append(i == 0 ? "" : " -> ").append(shortHash(hashes.get(i)));
            }
        });
        return text.toString();
    }

    private static String shortHash(String hash) {
        return hash == null ? "(none)" : hash.substring(0, Math.min(12, hash.length()));
    }
}
