package orrery.deps.domain;

/**
 * @param maxParallel how many build tasks may be out at once
 * @param maxRounds how many rounds a cycle gets to reach its fixed point before the build fails
 */
public record BuildSettings(int maxParallel, int maxRounds) {

    public BuildSettings {
        if (maxParallel < 1 || maxRounds < 1) {
            throw new IllegalArgumentException("maxParallel and maxRounds must be at least 1");
        }
    }
}
