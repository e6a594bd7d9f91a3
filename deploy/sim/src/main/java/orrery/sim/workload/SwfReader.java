package orrery.sim.workload;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Standard Workload Format of the Parallel Workloads Archive (D. Feitelson et al., "The
 * Standard Workload Format", https://www.cs.huji.ac.il/labs/parallel/workload/swf.html, version
 * 2.2): header comments start with {@code ;} ({@code ; MaxProcs: 128}); each job is one line of 18
 * whitespace-separated numbers, -1 where a value is unknown:
 *
 * <pre>
 *  1 job number         2 submit time (s)   3 wait time (s)        4 run time (s)      5 allocated processors
 *  6 average CPU time   7 used memory (KB)  8 requested processors 9 requested time (s) 10 requested memory (KB per processor)
 * 11 status (1 completed, 0 failed, 5 cancelled; 2, 3, 4 partial executions)  12 user   13 group   14 executable
 * 15 queue  16 partition  17 preceding job  18 think time
 * </pre>
 *
 * <p>Read as: submit time (2); cores = requested processors (8), else allocated (5); duration =
 * requested time (9), else run time (4), at least {@link Drafts#MIN_DURATION}; runtime = run time
 * (4) when known (a session that ran longer than it asked for overruns and is ended at its booked
 * end); memory = requested memory (10) × cores, in whole GB, when given; status 0 exits 1, status 1
 * exits 0, status 5 is cancelled by the user after its wait (3) plus run time (4); user
 * {@code swf-user-<12>}. Left out, and counted by reason: lines without a submit time, without a
 * processor count, without a requested or run time, partial-execution records (status 2, 3, 4:
 * the job's summary line is read instead), and lines that are not 18 numbers.
 */
public final class SwfReader {

    private static final int FIELDS = 18;
    private static final long KB_PER_GB = 1024L * 1024L;

    private SwfReader() {
    }

    public static Workload read(Path file, RequestShape shape, long seed) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, file.getFileName().toString(), shape, seed);
        }
    }

    public static Workload read(Reader source, String name, RequestShape shape, long seed) throws IOException {
        BufferedReader lines = new BufferedReader(source);
        List<Drafts.Draft> drafts = new ArrayList<>();
        Map<String, Integer> skipped = new LinkedHashMap<>();
        Integer maxProcs = null;
        int number = 0;
        int jobLines = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            number++;
            String text = line.strip();
            if (text.isEmpty()) {
                continue;
            }
            if (text.startsWith(";")) {
                maxProcs = header(text, maxProcs);
                continue;
            }
            jobLines++;
            String[] fields = text.split("\\s+");
            double[] f = new double[FIELDS + 1]; // 1-based, as the definition numbers them
            if (fields.length != FIELDS || !numbers(fields, f)) {
                count(skipped, "not 18 numbers (e.g. line " + number + ")", "not 18 numbers");
                continue;
            }
            long status = Math.round(f[11]);
            if (status == 2 || status == 3 || status == 4) {
                count(skipped, "partial-execution record (status 2, 3 or 4)", null);
                continue;
            }
            if (f[2] < 0) {
                count(skipped, "no submit time (field 2 is -1)", null);
                continue;
            }
            long cores = f[8] > 0 ? Math.round(f[8]) : f[5] > 0 ? Math.round(f[5]) : -1;
            if (cores < 1) {
                count(skipped, "no processor count (fields 8 and 5 are -1 or 0)", null);
                continue;
            }
            Duration runtime = f[4] >= 0 ? Drafts.seconds(f[4]) : null;
            Duration duration = f[9] > 0 ? Drafts.seconds(f[9]) : f[4] > 0 ? runtime : null;
            if (duration == null) {
                count(skipped, "no requested or run time (fields 9 and 4 are -1 or 0)", null);
                continue;
            }
            Integer memory = f[10] > 0 ? (int) Math.max(1, Math.min(Integer.MAX_VALUE,
                    (long) Math.ceil(f[10] * cores / KB_PER_GB))) : null;
            Integer exit = status == 1 ? Integer.valueOf(0) : status == 0 ? Integer.valueOf(1) : null;
            Duration cancelAfter = status == 5 ? Drafts.seconds(Math.max(0, f[3]) + Math.max(0, f[4])) : null;
            String user = f[12] >= 0 ? "swf-user-" + Math.round(f[12]) : "swf-user-unknown";
            drafts.add(new Drafts.Draft(Long.toString(Math.round(f[1])), user, Drafts.seconds(f[2]), (int) Math.min(cores, Integer.MAX_VALUE),
                    memory, duration, runtime, exit, cancelAfter));
        }
        if (jobLines > 0 && drafts.isEmpty() && skipped.keySet().stream().allMatch(k -> k.startsWith("not 18 numbers"))) {
            throw new WorkloadFormatException(name + " is not in the Standard Workload Format: no line of its " + jobLines
                    + " is 18 whitespace-separated numbers (https://www.cs.huji.ac.il/labs/parallel/workload/swf.html)");
        }
        return Drafts.workload(name + " (SWF)", drafts, skipped, maxProcs, shape, seed);
    }

    private static Integer header(String text, Integer maxProcs) {
        String body = text.substring(1).strip();
        int colon = body.indexOf(':');
        if (colon > 0 && body.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("maxprocs")) {
            try {
                long value = Long.parseLong(body.substring(colon + 1).strip());
                return value > 0 ? (int) Math.min(value, Integer.MAX_VALUE) : maxProcs;
            } catch (NumberFormatException e) {
                return maxProcs;
            }
        }
        return maxProcs;
    }

    private static boolean numbers(String[] fields, double[] into) {
        for (int i = 0; i < fields.length; i++) {
            try {
                into[i + 1] = Double.parseDouble(fields[i]);
            } catch (NumberFormatException e) {
                return false;
            }
            if (Double.isNaN(into[i + 1]) || Double.isInfinite(into[i + 1])) {
                return false;
            }
        }
        return true;
    }

    /** Counts a skip; reasons that name a first example keep the first example's wording. */
    private static void count(Map<String, Integer> skipped, String reason, String prefix) {
        if (prefix != null) {
            for (Map.Entry<String, Integer> e : skipped.entrySet()) {
                if (e.getKey().startsWith(prefix)) {
                    e.setValue(e.getValue() + 1);
                    return;
                }
            }
        }
        skipped.merge(reason, 1, Integer::sum);
    }
}
