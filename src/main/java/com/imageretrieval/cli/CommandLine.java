package com.imageretrieval.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code <command> [--option value | --option=value | --flag]...}. Each command accepts a fixed set of options,
 * each taking one value, and of flags, taking none; anything else is a {@link UsageException} naming the offending
 * word.
 */
record CommandLine(String command, Map<String, String> options) {

    static final Map<String, Set<String>> COMMANDS = commands();

    /** Options that take no value (present or absent). */
    static final Map<String, Set<String>> FLAGS = Map.of("evaluate", Set.of("--table"));

    private static Map<String, Set<String>> commands() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("download-data", Set.of());
        m.put("download-model", Set.of());
        m.put("build-index", Set.of("--dataset-root"));
        m.put("search", Set.of("--query", "--text", "--topk"));
        m.put("duplicates", Set.of("--threshold"));
        m.put("evaluate", Set.of());
        m.put("help", Set.of());
        return Collections.unmodifiableMap(m);
    }

    static CommandLine parse(List<String> args) throws UsageException {
        if (args.isEmpty()) {
            throw new UsageException("no command given");
        }
        String command = args.get(0);
        if (command.equals("--help") || command.equals("-h")) {
            command = "help";
        }
        Set<String> allowed = COMMANDS.get(command);
        if (allowed == null) {
            throw new UsageException("unknown command '" + command + "'");
        }
        Set<String> flags = FLAGS.getOrDefault(command, Set.of());
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.size(); i++) {
            String word = args.get(i);
            if (word.equals("--help") || word.equals("-h")) {
                return new CommandLine("help", Map.of());
            }
            String name = word;
            String value = null;
            int eq = word.indexOf('=');
            if (word.startsWith("--") && eq > 0) {
                name = word.substring(0, eq);
                value = word.substring(eq + 1);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new UsageException(name + " takes no value");
                }
                if (options.put(name, "true") != null) {
                    throw new UsageException(name + " given twice");
                }
                continue;
            }
            if (!allowed.contains(name)) {
                throw new UsageException(word.startsWith("-")
                        ? "unknown option '" + name + "' for " + command
                        : "unexpected argument '" + word + "' for " + command);
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new UsageException(name + " needs a value");
                }
                value = args.get(++i);
            }
            if (value.isEmpty()) {
                throw new UsageException(name + " needs a value");
            }
            if (options.put(name, value) != null) {
                throw new UsageException(name + " given twice");
            }
        }
        return new CommandLine(command, Collections.unmodifiableMap(options));
    }

    String option(String name) {
        return options.get(name);
    }

    /** True if the flag was given. */
    boolean flag(String name) {
        return options.containsKey(name);
    }

    /** A decimal option in min..max, or {@code def} when absent. */
    double doubleOption(String name, double def, double min, double max) throws UsageException {
        String v = options.get(name);
        if (v == null) {
            return def;
        }
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + ": expected a number, got '" + v + "'");
        }
        if (!(d >= min && d <= max)) {
            throw new UsageException(name + ": " + v.trim() + " is outside " + min + ".." + max);
        }
        return d;
    }

    /** An integer option in min..max, or {@code def} when absent. */
    int intOption(String name, int def, int min, int max) throws UsageException {
        String v = options.get(name);
        if (v == null) {
            return def;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + ": expected an integer, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw new UsageException(name + ": " + n + " is outside " + min + ".." + max);
        }
        return n;
    }
}
