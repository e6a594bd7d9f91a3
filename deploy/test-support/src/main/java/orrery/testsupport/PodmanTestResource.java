package orrery.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * For tests of container sessions on the local backend, which need podman (Debian {@code podman},
 * {@code runc}, and {@code busybox-static} for the test image; .ci/run installs them). The resource
 * makes a tiny image of its own, {@link #IMAGE}: busybox and its applets, imported into podman
 * (no registry is reachable here, and the backend never pulls), and a containers.conf for this
 * machine: no default ulimits (this kernel refuses a container the raised limits podman asks for by
 * default) and runc where it is installed (crun refuses cgroups in hybrid mode). Without podman the
 * tests are skipped ({@link #assumeInstalled}), unless {@code ORRERY_REQUIRE_PODMAN=1} (as CI sets
 * it): then they fail.
 */
public class PodmanTestResource implements QuarkusTestResourceLifecycleManager {

    /** The test image, under the test profile's allow-listed {@code test.registry/orrery/}. */
    public static final String IMAGE = "test.registry/orrery/busybox:1";
    private static final List<String> APPLETS = List.of("sh", "echo", "cat", "ls", "sleep", "md5sum", "sha256sum",
            "id", "env", "pwd", "touch", "true", "false", "wc");
    private static volatile String digest;
    private static volatile Path conf;

    /** The test image's digest (sha256:...), once the resource started. */
    public static String digest() {
        return digest;
    }

    /** The containers.conf the adapter is given, once the resource started. */
    public static Path conf() {
        return conf;
    }

    public static boolean installed() {
        return onPath("podman").isPresent();
    }

    /** Whether the test image is ready; false without podman, unless {@code ORRERY_REQUIRE_PODMAN=1}, which fails instead. */
    public static boolean ready() {
        boolean ready = installed() && digest != null;
        if (!ready && "1".equals(System.getenv("ORRERY_REQUIRE_PODMAN"))) {
            Assertions.fail("ORRERY_REQUIRE_PODMAN=1, but podman or busybox is missing, or the test image was not made "
                    + "(apt-get install -y --no-install-recommends podman runc busybox-static)");
        }
        return ready;
    }

    public static void assumeInstalled() {
        Assumptions.assumeTrue(ready(), "podman is not installed here");
    }

    @Override
    public Map<String, String> start() {
        return prepare().map(path -> Map.of("orrery.canfar.local.containers.conf", path.toString())).orElse(Map.of());
    }

    /**
     * For a suite of service processes: the allow-list with the test image's registry and the
     * containers.conf, as environment variables; none without podman.
     */
    public static Map<String, String> suiteSettings() {
        return prepare().map(path -> Map.of("ORRERY_CANFAR_IMAGES", "images.canfar.net/,test.registry/orrery/",
                "ORRERY_CANFAR_LOCAL_CONTAINERS_CONF", path.toString())).orElse(Map.of());
    }

    /** Makes the containers.conf and the test image once per JVM; empty without podman or busybox. */
    static synchronized Optional<Path> prepare() {
        Optional<Path> podman = onPath("podman");
        Path busybox = Path.of("/bin/busybox");
        if (podman.isEmpty() || !Files.isExecutable(busybox)) {
            return Optional.empty();
        }
        if (conf != null && digest != null) {
            return Optional.of(conf);
        }
        try {
            Path dir = Files.createTempDirectory("orrery-podman-");
            dir.toFile().deleteOnExit();
            conf = dir.resolve("containers.conf");
            Files.writeString(conf, "[containers]\ndefault_ulimits = []\n"
                    + (onPath("runc").isPresent() ? "[engine]\nruntime = \"runc\"\n" : ""));
            run(List.of(podman.get().toString(), "import", rootfs(dir, busybox).toString(), IMAGE));
            digest = run(List.of(podman.get().toString(), "image", "inspect", "--format", "{{.Digest}}", IMAGE)).strip();
            run(List.of(podman.get().toString(), "run", "--rm", "--pull=never", IMAGE, "/bin/true"));
            return Optional.of(conf);
        } catch (IOException e) {
            digest = null;
            throw new UncheckedIOException("podman could not make the test image: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        // The image and the containers.conf serve every test of this JVM.
    }

    /** A tar of /bin/busybox (static: the image has no libc) and its applets as symbolic links, made with tar. */
    private static Path rootfs(Path dir, Path busybox) throws IOException {
        Path root = Files.createDirectories(dir.resolve("rootfs/bin"));
        Files.copy(busybox, root.resolve("busybox"));
        for (String applet : APPLETS) {
            Files.createSymbolicLink(root.resolve(applet), Path.of("busybox"));
        }
        Files.createDirectories(dir.resolve("rootfs/tmp"));
        Path tar = dir.resolve("rootfs.tar");
        run(List.of("tar", "-C", dir.resolve("rootfs").toString(), "-cf", tar.toString(), "."));
        run(List.of("rm", "-rf", dir.resolve("rootfs").toString()));
        return tar;
    }

    private static String run(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("CONTAINERS_CONF", conf.toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }

    private static Optional<Path> onPath(String program) {
        List<String> dirs = new ArrayList<>(Arrays.asList(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin"));
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, program)).filter(Files::isExecutable).findFirst();
    }
}
