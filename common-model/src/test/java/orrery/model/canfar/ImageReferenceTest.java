package orrery.model.canfar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {

    private static final String DIGEST = "sha256:" + "0a1b".repeat(16);

    @Test
    void splitsAPinnedReferenceAtItsDigestAndJoinsItAgain() {
        ImageReference pinned = ImageReference.parse("images.canfar.net/skaha/terminal:1.1.2@" + DIGEST);

        assertThat(pinned.name()).isEqualTo("images.canfar.net/skaha/terminal:1.1.2");
        assertThat(pinned.digest()).contains(DIGEST);
        assertThat(pinned).hasToString("images.canfar.net/skaha/terminal:1.1.2@" + DIGEST);
        assertThat(ImageReference.parse("localhost:5000/x:1").digest()).isEmpty();
        assertThat(ImageReference.join("x:1", null)).isEqualTo("x:1");
        assertThat(new ImageReference("x:1", null).digest()).isEqualTo(Optional.empty());
    }

    @Test
    void aDigestIsSha256InLowerCaseHex() {
        assertThat(ImageReference.isDigest(DIGEST)).isTrue();
        assertThat(ImageReference.isDigest(DIGEST.toUpperCase())).isFalse();
        assertThat(ImageReference.isDigest("sha256:abc")).isFalse();
        assertThat(ImageReference.isDigest("md5:" + "0".repeat(64))).isFalse();
        assertThat(ImageReference.isDigest(null)).isFalse();
    }
}
