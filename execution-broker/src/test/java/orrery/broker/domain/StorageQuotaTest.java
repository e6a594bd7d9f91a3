package orrery.broker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StorageQuotaTest {

    private static final long GIB = 1L << 30;

    @Test
    void aSessionGetsItsSpaceWhenItsAskAndItsDataFitTheQuota() {
        assertThat(StorageQuota.refusal(10, 20, 5 * GIB, 100)).isEmpty();
        assertThat(StorageQuota.refusal(null, null, 0, 100)).isEmpty();
        assertThat(StorageQuota.refusal(100, null, 100 * GIB, 100)).isEmpty();
    }

    @Test
    void eachWayOfNotFittingIsSaid() {
        assertThat(StorageQuota.refusal(101, null, 0, 100)).get().asString().contains("at least 101 GiB")
                .contains("at most 100 GiB");
        assertThat(StorageQuota.refusal(null, null, 150 * GIB, 100)).get().asString().contains("150.0 GiB, more than the 100");
        assertThat(StorageQuota.refusal(1, 2, 3 * GIB, 100)).get().asString().contains("more than the 2 GiB of storage the "
                + "session asked for at most");
    }
}
