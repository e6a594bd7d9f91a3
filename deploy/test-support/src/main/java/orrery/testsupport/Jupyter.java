package orrery.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * For tests of notebook sessions, which need Jupyter's runner (Debian {@code jupyter-nbconvert},
 * {@code python3-ipykernel}; deploy/local/test.sh installs them when missing). Without it such a
 * test is skipped, unless {@code ORRERY_REQUIRE_JUPYTER=1} (as CI sets it): then it fails, so a
 * machine that lost Jupyter cannot pass by skipping.
 */
public final class Jupyter {

    private Jupyter() {
    }

    public static void assumeInstalled() {
        String path = System.getenv().getOrDefault("PATH", "");
        boolean installed = Arrays.stream(path.split(":")).anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "jupyter")));
        if (!installed && "1".equals(System.getenv("ORRERY_REQUIRE_JUPYTER"))) {
            Assertions.fail("ORRERY_REQUIRE_JUPYTER=1, but jupyter is not on the PATH (apt-get install -y --no-install-recommends "
                    + "jupyter-nbconvert python3-ipykernel)");
        }
        Assumptions.assumeTrue(installed, "Jupyter is not installed here");
    }
}
