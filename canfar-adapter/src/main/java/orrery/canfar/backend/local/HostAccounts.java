package orrery.canfar.backend.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Unix accounts of this machine: who the adapter runs as, and the account sessions run under.
 * Accounts are looked up with {@code getent} (so NSS sources such as LDAP count) where it is
 * installed, else in {@code /etc/passwd} and {@code /etc/group}.
 */
class HostAccounts {

    /** An account: its name, user id and the group id sessions run with. */
    record Account(String name, long uid, long gid) {
        boolean isRoot() {
            return uid == 0;
        }
    }

    private final Optional<Path> getent;

    HostAccounts(String hostPath) {
        this.getent = HostTools.which("getent", hostPath);
    }

    /** The adapter's effective user id (the owner of {@code /proc/self}), or -1 where that cannot be read. */
    long adapterUid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | RuntimeException e) {
            return "root".equals(System.getProperty("user.name")) ? 0 : -1;
        }
    }

    /**
     * The account {@code user} with group {@code group} (its primary group when empty), or empty when
     * either does not exist. Numeric ids are taken as they are.
     */
    Optional<Account> lookup(String user, Optional<String> group) throws IOException {
        Optional<String[]> passwd = entry("passwd", user, Path.of("/etc/passwd"));
        if (passwd.isEmpty() || passwd.get().length < 4) {
            return Optional.empty();
        }
        long uid;
        long gid;
        try {
            uid = Long.parseLong(passwd.get()[2]);
            gid = Long.parseLong(passwd.get()[3]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (group.isPresent() && !group.get().isBlank()) {
            Optional<String[]> entry = entry("group", group.get().trim(), Path.of("/etc/group"));
            if (entry.isEmpty() || entry.get().length < 3) {
                return Optional.empty();
            }
            try {
                gid = Long.parseLong(entry.get()[2]);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.of(new Account(passwd.get()[0], uid, gid));
    }

    /** The {@code database} entry (passwd, group) named {@code key}, split at ':'. */
    private Optional<String[]> entry(String database, String key, Path file) throws IOException {
        if (key.isEmpty() || key.contains(":") || key.contains("\n")) {
            return Optional.empty();
        }
        return getent.isPresent() ? fromGetent(getent.get(), database, key) : fromFile(file, key);
    }

    /** {@code getent <database> <key>}: 0 found, 2 not found (getent(1)). */
    private static Optional<String[]> fromGetent(Path getent, String database, String key) throws IOException {
        Process process = new ProcessBuilder(getent.toString(), database, key).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("getent " + database + " " + key + " did not answer");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted looking up " + key, e);
        }
        return process.exitValue() == 0 && !out.isEmpty() ? Optional.of(out.lines().findFirst().orElse("").split(":", -1))
                : Optional.empty();
    }

    /** The line of {@code file} (/etc/passwd, /etc/group) whose name, or numeric id, is {@code key}. */
    private static Optional<String[]> fromFile(Path file, String key) throws IOException {
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        boolean numeric = key.chars().allMatch(Character::isDigit);
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] fields = line.split(":", -1);
            if (fields.length > 2 && (fields[0].equals(key) || numeric && fields[2].equals(key))) {
                return Optional.of(fields);
            }
        }
        return Optional.empty();
    }
}
