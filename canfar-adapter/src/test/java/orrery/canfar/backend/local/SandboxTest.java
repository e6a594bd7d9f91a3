package orrery.canfar.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bwrap command line: what is hidden, how the way to the session folder is rebuilt, what is shared. */
class SandboxTest {

    private static final Path BWRAP = Path.of("/usr/bin/bwrap");

    @TempDir
    Path temp;

    @Test
    void hidesTheSuitesFoldersAndRebuildsATraversableWayToTheSessionFolder() throws Exception {
        Path checkout = Files.createDirectories(temp.resolve("checkout")).toRealPath();
        Path run = Files.createDirectories(checkout.resolve(".run"));
        Path storage = Files.createDirectories(run.resolve("storage"));
        Path folder = Files.createDirectories(storage.resolve("home/alice/broker/e1"));
        Path key = Files.writeString(Files.createDirectories(temp.resolve("keys")).resolve("private.pem"), "k").toRealPath();

        List<String> args = Sandbox.arguments(BWRAP, folder, List.of(storage, run, checkout, key, temp.resolve("gone")),
                dir -> true);

        assertThat(args.subList(0, 8)).containsExactly(BWRAP.toString(), "--ro-bind", "/", "/", "--dev", "/dev", "--proc",
                "/proc");
        String line = String.join(" ", args);
        // The checkout is hidden once, which hides the run folder and the storage root in it; the key file too.
        assertThat(line).contains("--perms 0755 --tmpfs " + checkout + " ")
                .contains("--ro-bind /dev/null " + key + " ")
                .doesNotContain("--tmpfs " + run + " ").doesNotContain("--tmpfs " + storage + " ")
                .doesNotContain(temp.resolve("gone").toString());
        assertThat(line).contains("--perms 0755 --dir " + run + " --perms 0755 --dir " + storage
                + " --perms 0755 --dir " + storage.resolve("home") + " --perms 0755 --dir " + storage.resolve("home/alice")
                + " --perms 0755 --dir " + storage.resolve("home/alice/broker") + " --bind " + folder + " " + folder
                + " --chdir " + folder + " ");
        assertThat(args.subList(args.size() - 4, args.size()))
                .containsExactly("--unshare-pid", "--unshare-ipc", "--die-with-parent", "--");
        assertThat(args).doesNotContain("--new-session", "--unshare-net", "--unshare-all");
        assertThat(Collections.frequency(args, "--bind")).isEqualTo(1);
    }

    @Test
    void aFolderOnTheWayThatTheSessionAccountCannotPassIsHiddenAndRebuilt() throws Exception {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path closed = Files.createDirectories(temp.resolve("closed")).toRealPath();
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        Path folder = Files.createDirectories(closed.resolve("storage/home/alice/s1"));
        Path storage = closed.resolve("storage");

        List<String> args = Sandbox.arguments(BWRAP, folder, List.of(storage),
                dir -> Sandbox.traversable(dir, 65534, 65534));

        String line = String.join(" ", args);
        // Everything above "closed" is open to all (the temporary folder was opened above, /tmp is 1777).
        assertThat(line).contains("--perms 0755 --tmpfs " + closed + " --perms 0755 --dir " + storage
                + " --perms 0755 --dir " + storage.resolve("home") + " --perms 0755 --dir " + storage.resolve("home/alice")
                + " --bind " + folder + " " + folder);
    }

    @Test
    void sharedScratchFoldersBecomePrivateButStayWritableForAll() throws Exception {
        Path folder = Files.createDirectories(temp.resolve("storage/s1")).toRealPath();

        List<String> args = Sandbox.arguments(BWRAP, folder, Sandbox.SCRATCH, dir -> true);

        String line = String.join(" ", args);
        assertThat(line).contains("--perms 1777 --tmpfs /tmp ").contains("--perms 1777 --tmpfs /var/tmp ");
        // The session folder lies under /tmp here, so the way to it is rebuilt inside the private /tmp.
        assertThat(line).contains("--dir " + folder.getParent() + " --bind " + folder + " " + folder);
    }

    @Test
    void traversableFollowsTheModeBitsForOwnerGroupAndOthers() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("d"));
        long owner = ((Number) Files.getAttribute(dir, "unix:uid")).longValue();
        long group = ((Number) Files.getAttribute(dir, "unix:gid")).longValue();

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x---"));
        assertThat(Sandbox.traversable(dir, owner == 0 ? 1 : owner, group)).isTrue();
        assertThat(Sandbox.traversable(dir, 4242, 4242)).isFalse();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx-----x"));
        assertThat(Sandbox.traversable(dir, 4242, 4242)).isTrue();
        assertThat(Sandbox.traversable(dir, 0, 0)).as("root passes anywhere").isTrue();
    }
}
