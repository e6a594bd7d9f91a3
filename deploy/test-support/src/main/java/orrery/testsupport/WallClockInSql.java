package orrery.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds SQL that asks the database for the time ({@code now()}, {@code CURRENT_TIMESTAMP}, ...)
 * in migrations and in the string literals of Java sources: times are parameters from the
 * {@code TimeSource}, or the same code would decide differently on the simulated clock
 * (DESIGN.md, "Time").
 */
public final class WallClockInSql {

    private static final Pattern CLOCK = Pattern.compile(
            "(?i)\\b(now\\s*\\(\\s*\\)|(current_timestamp|current_date|current_time|localtimestamp|localtime"
                    + "|clock_timestamp|statement_timestamp|transaction_timestamp|timeofday)\\b)");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"\"\"[\\s\\S]*?\"\"\"|\"(?:[^\"\\\\\\n]|\\\\.)*\"");
    private static final Pattern SQL_COMMENT = Pattern.compile("--[^\\n]*");

    private WallClockInSql() {
    }

    /** Every place under {@code root}'s {@code src/main} folders, as {@code path:line: text}. */
    public static List<String> findIn(Path root) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().contains("/src/main/") && !p.toString().contains("/target/"))
                    .filter(p -> p.toString().endsWith(".sql") || p.toString().endsWith(".java"))
                    // (this class spells the functions it looks for)
                    .filter(p -> !p.endsWith(Path.of("orrery", "testsupport", "WallClockInSql.java")))
                    .sorted()
                    .forEach(p -> found.addAll(findInFile(root, p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    static List<String> findInFile(Path root, Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file.toString().endsWith(".sql") ? inSql(root.relativize(file), text) : inJavaStrings(root.relativize(file), text);
    }

    static List<String> inSql(Path name, String sql) {
        return matches(name, SQL_COMMENT.matcher(sql).replaceAll(""));
    }

    static List<String> inJavaStrings(Path name, String java) {
        List<String> found = new ArrayList<>();
        Matcher literal = STRING_LITERAL.matcher(java);
        while (literal.find()) {
            if (CLOCK.matcher(literal.group()).find()) {
                found.add(name + ":" + lineOf(java, literal.start()) + ": " + literal.group());
            }
        }
        return found;
    }

    private static List<String> matches(Path name, String searched) {
        List<String> found = new ArrayList<>();
        Matcher clock = CLOCK.matcher(searched);
        while (clock.find()) {
            found.add(name + ":" + lineOf(searched, clock.start()) + ": " + clock.group());
        }
        return found;
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
