package orrery.fswatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256HasherTest {

    @TempDir
    Path dir;

    @Test
    void hashesTheKnownVectors() throws Exception {
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        Path abc = Files.writeString(dir.resolve("abc"), "abc");

        Sha256Hasher hasher = new Sha256Hasher();

        assertThat(hasher.hash(empty)).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(hasher.hash(abc)).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Sha256Hasher.hashOf("abc".getBytes(StandardCharsets.UTF_8))).isEqualTo(hasher.hash(abc));
    }

    @Test
    void streamsFilesMuchLargerThanItsBufferAndReusesIt() throws Exception {
        byte[] content = new byte[1_000_003];
        new Random(42).nextBytes(content);
        Path big = Files.write(dir.resolve("big.bin"), content);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));

        Sha256Hasher hasher = new Sha256Hasher(4096);

        assertThat(hasher.hash(big)).isEqualTo(expected);
        assertThat(hasher.hash(big)).as("second use of the same buffer and digest").isEqualTo(expected);
    }
}
