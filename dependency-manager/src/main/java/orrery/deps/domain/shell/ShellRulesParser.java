package orrery.deps.domain.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import orrery.model.build.BuildRule;

/**
 * Reads the shell builder's rules file. One rule a line:
 *
 * <pre>
 * # comment
 * !priority 10
 * %.pdf: %.tex %.aux -> pdflatex -interaction=nonstopmode %.tex
 * a.txt: a.src b.txt -> bash mix.sh $&lt; b.txt $@
 * </pre>
 *
 * <p>Left of {@code :} the target pattern, then the input patterns (the first is the main one),
 * then {@code ->} and the command. The command is split into words like a shell would split
 * them ('single' and "double" quotes, backslash escapes) but is never run by a shell: no pipes,
 * globs or variables. One redirection is understood, by the builder itself: a trailing {@code > $@}
 * (or {@code >$@}) sends the command's standard output to the target, for commands such as
 * {@code wc -l $<} that print what they make. Any other unquoted {@code >}, {@code >>}, {@code <},
 * {@code |}, {@code ;}, {@code &&} or {@code ||} word is refused with its line (quote it to pass it
 * on as an argument). {@code !priority N} sets the priority of the rules after it;
 * {@code !env NAME=value} sets an environment variable for the commands of the rules after it (the
 * value is taken as it is, nothing is expanded; {@code !env NAME=} sets it empty). Commands see
 * nothing else of the service's environment ({@link CommandEnvironment}).
 */
public final class ShellRulesParser {

    private ShellRulesParser() {
    }

    public static List<ShellRule> parse(String text) {
        List<ShellRule> rules = new ArrayList<>();
        int priority = 0;
        Map<String, String> environment = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            String where = "line " + (n + 1) + ": ";
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("!priority")) {
                priority = priority(line, where);
            } else if (line.equals("!env") || line.startsWith("!env ") || line.startsWith("!env\t")) {
                setting(line, where, environment);
            } else if (line.startsWith("!")) {
                throw new IllegalArgumentException(where + "unknown directive '" + line.split("\\s+")[0]
                        + "' (known: !priority, !env)");
            } else {
                rules.add(rule(line, where, priority, environment));
            }
        }
        return rules;
    }

    /** {@code !priority N}: the priority of the rules after it. */
    private static int priority(String line, String where) {
        try {
            return Integer.parseInt(line.substring("!priority".length()).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + "!priority needs a whole number, as in '!priority 10'");
        }
    }

    /** {@code !env NAME=value}: a variable of the commands of the rules after it. */
    private static void setting(String line, String where, Map<String, String> environment) {
        String setting = line.substring("!env".length()).strip();
        int eq = setting.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(where + "!env needs NAME=value, as in '!env PATH=/usr/bin:/bin'");
        }
        String name = setting.substring(0, eq).strip();
        String refused = CommandEnvironment.refusal(name);
        if (refused != null) {
            throw new IllegalArgumentException(where + "!env " + refused);
        }
        environment.put(name, setting.substring(eq + 1).strip());
    }

    /** {@code target: inputs -> command}. */
    private static ShellRule rule(String line, String where, int priority, Map<String, String> environment) {
        int arrow = line.indexOf("->");
        int colon = line.indexOf(':');
        if (colon <= 0 || arrow < colon) {
            throw new IllegalArgumentException(where + "expected 'target: inputs -> command', got '" + line + "'");
        }
        String target = line.substring(0, colon).strip();
        List<String> inputs = List.of(line.substring(colon + 1, arrow).strip().split("\\s+"));
        if (inputs.size() == 1 && inputs.get(0).isEmpty()) {
            throw new IllegalArgumentException(where + target + " needs at least one input before '->'");
        }
        try {
            List<Word> words = words(line.substring(arrow + 2));
            int end = commandEnd(words);
            boolean stdoutToTarget = end < words.size();
            List<String> command = command(words.subList(0, end));
            String recipe = String.join(" ", command) + (stdoutToTarget ? " > $@" : "");
            return new ShellRule(new BuildRule(target, inputs, recipe, priority), command, environment, stdoutToTarget);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        }
    }

    /** Where the command ends: before a trailing {@code > $@} or {@code >$@}, else after its last word. */
    private static int commandEnd(List<Word> words) {
        int end = words.size();
        if (end >= 3 && words.get(end - 2).bare(">") && words.get(end - 1).text().equals("$@")) {
            return end - 2;
        }
        if (end >= 2 && words.get(end - 1).bare(">$@")) {
            return end - 1;
        }
        return end;
    }

    /** The command's words, refusing any unquoted shell operator. */
    private static List<String> command(List<Word> words) {
        List<String> command = new ArrayList<>();
        for (Word word : words) {
            if (word.plain() && SHELL_OPERATORS.stream().anyMatch(op -> word.text().startsWith(op))) {
                throw new IllegalArgumentException(operatorRefusal(word.text()));
            }
            command.add(word.text());
        }
        return command;
    }

    /** Unquoted words a shell would take as an operator; the builder runs no shell, so they are refused. */
    private static final List<String> SHELL_OPERATORS = List.of(">", "<", "|", ";", "&&", "2>", "&>", "1>");

    private static String operatorRefusal(String word) {
        if (word.startsWith(">") || word.startsWith("1>")) {
            return "'" + word + "': the only redirection the shell builder understands is '> $@' at the end of the "
                    + "command (its standard output becomes the target); commands are not run by a shell, so call a "
                    + "script (bash script.sh $< $@) for anything else, or quote the word to pass it as an argument";
        }
        return "'" + word + "': commands are not run by a shell, so pipes, redirections and command lists do nothing; "
                + "call a script (bash script.sh $< $@) instead, or quote the word to pass it as an argument";
    }

    /** A word of a command: its text, and whether it was written without any quote or backslash. */
    record Word(String text, boolean plain) {
        boolean bare(String expected) {
            return plain && text.equals(expected);
        }
    }

    /** Splits a command into words as a POSIX shell would, without expanding anything. */
    static List<String> split(String text) {
        return words(text).stream().map(Word::text).toList();
    }

    private static List<Word> words(String text) {
        Splitter splitter = new Splitter(text);
        for (int i = 0; i < text.length(); i++) {
            i = splitter.take(i);
        }
        return splitter.words();
    }

    /** The state of splitting a command into words: the word so far, and the quote it is in. */
    private static final class Splitter {
        private final String text;
        private final List<Word> words = new ArrayList<>();
        private final StringBuilder word = new StringBuilder();
        private boolean inWord;
        private boolean plain = true;
        private char quote;

        Splitter(String text) {
            this.text = text;
        }

        /** Takes the character at {@code i} (and the one it escapes); returns the index of the last one taken. */
        int take(int i) {
            char c = text.charAt(i);
            if (quote == '\'') {
                inSingleQuotes(c);
                return i;
            }
            if (quote == '"') {
                return inDoubleQuotes(c, i);
            }
            if (Character.isWhitespace(c)) {
                endWord();
                return i;
            }
            return unquoted(c, i);
        }

        private void inSingleQuotes(char c) {
            if (c == '\'') {
                quote = 0;
            } else {
                word.append(c);
            }
        }

        /** Inside "...": a backslash escapes only {@code "} and a backslash. */
        private int inDoubleQuotes(char c, int i) {
            if (c == '"') {
                quote = 0;
            } else if (c == '\\' && i + 1 < text.length() && "\"\\".indexOf(text.charAt(i + 1)) >= 0) {
                word.append(text.charAt(++i));
            } else {
                word.append(c);
            }
            return i;
        }

        private int unquoted(char c, int i) {
            inWord = true;
            if (c == '\'' || c == '"') {
                quote = c;
                plain = false;
            } else if (c == '\\' && i + 1 < text.length()) {
                word.append(text.charAt(++i));
                plain = false;
            } else {
                word.append(c);
            }
            return i;
        }

        private void endWord() {
            if (inWord) {
                words.add(new Word(word.toString(), plain));
                word.setLength(0);
                inWord = false;
                plain = true;
            }
        }

        List<Word> words() {
            if (quote != 0) {
                throw new IllegalArgumentException("unclosed " + quote + " quote in command");
            }
            endWord();
            if (words.isEmpty()) {
                throw new IllegalArgumentException("the command after '->' is empty");
            }
            return words;
        }
    }
}
