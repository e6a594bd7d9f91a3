package orrery.canfar.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import orrery.model.problem.ProblemException;
import org.junit.jupiter.api.Test;

class ImageAllowListTest {

    @Test
    void allowsImagesUnderAConfiguredPrefix() {
        ImageAllowList list = new ImageAllowList(List.of("images.canfar.net/skaha/", "registry.example.org/team/"));

        assertThat(list.isAllowed("images.canfar.net/skaha/terminal:1.1.2")).isTrue();
        assertThat(list.isAllowed("registry.example.org/team/tool@sha256:abc")).isTrue();
        assertThat(list.isAllowed("images.canfar.net/other/terminal:1")).isFalse();
    }

    @Test
    void aBareRegistryHostDoesNotLetALookalikeHostThrough() {
        ImageAllowList list = new ImageAllowList(List.of("images.canfar.net"));

        assertThat(list.prefixes()).containsExactly("images.canfar.net/");
        assertThat(list.isAllowed("images.canfar.net/skaha/terminal:1")).isTrue();
        assertThat(list.isAllowed("images.canfar.net.evil.org/skaha/terminal:1")).isFalse();
    }

    @Test
    void refusesMalformedReferences() {
        ImageAllowList list = new ImageAllowList(List.of("images.canfar.net/"));

        for (String bad : List.of("Images.canfar.net/x:1", "images.canfar.net/../x", "images.canfar.net//x", " x", "")) {
            assertThatThrownBy(() -> list.check(bad)).as(bad).isInstanceOf(ProblemException.class)
                    .hasMessageContaining("not a container image reference");
        }
    }
}
