package orrery.canfar.domain;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.VolumeMount;
import org.junit.jupiter.api.Test;

class MountRulesTest {

    @Test
    void aContainerMayHaveAStagedFileAtAnAbsolutePath() {
        assertThatCode(() -> MountRules.check(SessionKind.container, List.of(new VolumeMount("obs.fits", "/input/obs.fits", true),
                new VolumeMount("cal/flat.fits", "/calibration/flat.fits", false)))).doesNotThrowAnyException();
        assertThatCode(() -> MountRules.check(SessionKind.headless, List.of())).doesNotThrowAnyException();
    }

    @Test
    void refusesMountsOutsideAContainerAndPathsThatAreNotTheirs() {
        assertThatThrownBy(() -> MountRules.check(SessionKind.notebook, List.of(new VolumeMount("a", "/input/a", true))))
                .hasMessageContaining("need a container session");
        for (String path : List.of("/", "input/a", "/in/../etc/passwd", "/session/a", "/proc/self", "/dev/sda", "/a:b")) {
            assertThatThrownBy(() -> MountRules.check(SessionKind.container, List.of(new VolumeMount("a", path, true))))
                    .as(path).hasMessageContaining("absolute, normalised path");
        }
        for (String item : List.of("../other/secret", "/etc/passwd", "")) {
            assertThatThrownBy(() -> MountRules.check(SessionKind.container, List.of(new VolumeMount(item, "/input/a", true))))
                    .as(item).hasMessageContaining("relative name");
        }
    }
}
