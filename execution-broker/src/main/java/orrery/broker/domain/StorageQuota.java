package orrery.broker.domain;

import java.util.Optional;

/**
 * The space a session may have in its folder: what it asks for ({@code storage}, GiB) and the data
 * staged into it (the sizes known beforehand) must fit under the per-session quota, and the data
 * within the most the session said it would use. Checked before planning, so a NO says which.
 */
public final class StorageQuota {

    private static final double GIB = 1024.0 * 1024 * 1024;

    private StorageQuota() {
    }

    /**
     * Why the session cannot have its space, or empty when it can.
     *
     * @param minGib the least storage asked for, or null
     * @param maxGib the most storage the session will use, or null
     * @param dataBytes the sum of the staged items' known sizes
     * @param quotaGib the per-session quota
     */
    public static Optional<String> refusal(Integer minGib, Integer maxGib, long dataBytes, int quotaGib) {
        if (minGib != null && minGib > quotaGib) {
            return Optional.of("the session asks for at least " + minGib + " GiB of storage, and a session may have at most "
                    + quotaGib + " GiB in its folder here");
        }
        double data = dataBytes / GIB;
        if (data > quotaGib) {
            return Optional.of("the data to stage is " + round(data) + " GiB, more than the " + quotaGib
                    + " GiB a session may have in its folder here");
        }
        if (maxGib != null && data > maxGib) {
            return Optional.of("the data to stage is " + round(data) + " GiB, more than the " + maxGib
                    + " GiB of storage the session asked for at most");
        }
        return Optional.empty();
    }

    private static double round(double gib) {
        return Math.round(gib * 1000) / 1000.0;
    }
}
