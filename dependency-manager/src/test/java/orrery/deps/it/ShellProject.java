package orrery.deps.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import orrery.testsupport.Processes;

/**
 * A small project on disk for the shell builder: two pairs of files that each include a digest
 * of the other. {@code a.txt}/{@code b.txt} include a digest of the other's body (which does not
 * change), so they agree after a few rounds; {@code c.txt}/{@code d.txt} include a digest of the
 * whole other file, which includes a digest of themselves, so they never agree. The rules file
 * also holds the local suite's shipped rules ({@code deploy/local/demo-rules.txt}), read from the
 * repository.
 */
public class ShellProject implements QuarkusTestResourceLifecycleManager {

    public static final String ROOT = "proj";

    /** The rules the local suite ships (deploy/local/up.sh copies them to the builder's rules file), as they are. */
    static final Path DEMO_RULES = Path.of("..", "deploy", "local", "demo-rules.txt");

    static final String RULES = """
            # Two files that each carry a digest of the other's body: a fixed point after three rounds.
            a.txt: a.src b.txt -> bash mix.sh $< b.txt $@
            b.txt: b.src a.txt -> bash mix.sh $< a.txt $@
            # Two files that each carry a digest of the whole other: they never settle.
            c.txt: c.src d.txt -> bash chase.sh $< d.txt $@
            d.txt: d.src c.txt -> bash chase.sh $< c.txt $@
            # Plain chain, for early cutoff: words.txt keeps only the words of notes.src.
            %.words: %.src -> bash words.sh $< $@
            %.count: %.words -> bash count.sh $< $@
            # Waits for a gate file before copying: a task that stays out as long as a test needs.
            %.slow: %.gated -> bash slow.sh $< $@
            # Something that fails.
            %.broken: %.src -> bash -c "echo 'no such tool' >&2; exit 3"
            # What a command sees of the environment: the builder's PATH, HOME and LANG, this rule's settings,
            # the task's variables, and nothing of the service's.
            !env LANG=C
            !env ORRERY_RULE_SETTING=from-the-rules-file
            %.env: %.envsrc -> bash env.sh $@
            """;

    static final String ENV = """
            # env.sh OUT: the environment this command was given, one NAME=value a line.
            set -eu
            env > "$1"
            """;

    static final String MIX = """
            # mix.sh SRC PEER OUT: OUT is a header with the digest of PEER's body, then SRC.
            set -eu
            if [ -f "$2" ]; then d=$(tail -n +2 "$2" | sha256sum | cut -c1-16); else d=none; fi
            { printf 'peer-body-digest: %s\\n' "$d"; cat "$1"; } > "$3"
            """;

    static final String CHASE = """
            # chase.sh SRC PEER OUT: OUT is a header with the digest of all of PEER, then SRC.
            set -eu
            if [ -f "$2" ]; then d=$(sha256sum < "$2" | cut -c1-16); else d=none; fi
            { printf 'peer-digest: %s\\n' "$d"; cat "$1"; } > "$3"
            """;

    static final String WORDS = """
            # words.sh IN OUT: the words of IN, one a line, without punctuation.
            set -eu
            tr -cs '[:alnum:]' '\\n' < "$1" | sed '/^$/d' > "$2"
            """;

    static final String COUNT = """
            # count.sh IN OUT: how many lines IN has.
            set -eu
            wc -l < "$1" | tr -d ' ' > "$2"
            """;

    static final String SLOW = """
            # slow.sh IN OUT: copies IN to OUT once the file 'gate' exists.
            set -eu
            while [ ! -f gate ]; do sleep 0.05; done
            cp "$1" "$2"
            """;

    private static Path dir;
    private static Path home;
    private static Path rules;

    public static Path root() {
        return dir;
    }

    /** HOME of the builder's commands: a folder of its own, outside the root. */
    public static Path home() {
        return home;
    }

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("orrery-proj-");
            Files.writeString(dir.resolve("mix.sh"), MIX);
            Files.writeString(dir.resolve("chase.sh"), CHASE);
            Files.writeString(dir.resolve("words.sh"), WORDS);
            Files.writeString(dir.resolve("count.sh"), COUNT);
            Files.writeString(dir.resolve("slow.sh"), SLOW);
            Files.writeString(dir.resolve("env.sh"), ENV);
            // Outside the root, as the builder demands.
            rules = Files.createTempFile("orrery-rules-", ".rules");
            // The shipped demo rules first (%.sha256 and %.lines from %.txt), so they are tested as they are shipped.
            Files.writeString(rules, Files.readString(DEMO_RULES) + "\n" + RULES);
            home = Files.createTempDirectory("orrery-shell-home-");
            return Map.of(
                    "orrery.shell-builder.enabled", "true",
                    "orrery.shell-builder.rules-file", rules.toString(),
                    "orrery.shell-builder.roots", ROOT + "=" + dir,
                    "orrery.shell-builder.home", home.toString(),
                    // A secret in the service's configuration, beside the database password: never a command's.
                    "orrery.test.secret", "config-s3cret-no-build-command-may-see");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        Processes.deleteTree(dir);
        Processes.deleteTree(home);
        try {
            Files.deleteIfExists(rules);
        } catch (IOException e) {
            // a temporary file left behind is harmless
        }
    }
}
