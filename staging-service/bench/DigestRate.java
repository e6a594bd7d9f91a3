import java.security.MessageDigest;
import java.util.Random;

/**
 * The JDK's own MD5 and SHA-256 rates on one thread, as the staging service uses them (1 MiB
 * updates): the yardstick for staging's verified throughput. Run with the source launcher, no
 * build needed: {@code java staging-service/bench/DigestRate.java [MiB]}. Prints
 * {@code md5 <MB/s>} and {@code sha256 <MB/s>}, one per line.
 */
public final class DigestRate {

    private static final int CHUNK = 1 << 20;

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        byte[] data = new byte[64 * CHUNK]; // more than any cache: hashed from memory, as a transfer's buffers are
        new Random(18).nextBytes(data);
        for (String algorithm : new String[] {"MD5", "SHA-256"}) {
            hash(algorithm, data, 256); // warm-up: compiled, intrinsics in place
            double best = 0;
            for (int round = 0; round < 2; round++) {
                best = Math.max(best, hash(algorithm, data, mib));
            }
            System.out.printf("%s %.1f%n", algorithm.replace("-", "").toLowerCase(), best);
        }
    }

    /** MB/s (10^6 bytes per second) hashing {@code mib} MiB in 1 MiB updates. */
    private static double hash(String algorithm, byte[] data, long mib) throws Exception {
        MessageDigest digest = MessageDigest.getInstance(algorithm);
        int chunks = data.length / CHUNK;
        long start = System.nanoTime();
        for (long i = 0; i < mib; i++) {
            digest.update(data, (int) (i % chunks) * CHUNK, CHUNK);
        }
        digest.digest();
        double seconds = (System.nanoTime() - start) / 1e9;
        return mib * CHUNK / seconds / 1e6;
    }
}
