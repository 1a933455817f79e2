package com.imageretrieval.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * java.util.logging set up for a terminal: the engine and ONNX Runtime log through it, and the JDK default (two lines
 * per record, stack traces) would bury the CLI's one-line messages. Warnings and errors become one line on stderr;
 * {@code -Dverbose=true} adds INFO records and stack traces.
 */
final class CliLogging {

    private CliLogging() {
    }

    static void configure(boolean verbose) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        Handler console = new ConsoleHandler(); // writes to System.err
        console.setFormatter(new OneLine(verbose));
        Level level = verbose ? Level.INFO : Level.WARNING;
        console.setLevel(level);
        root.setLevel(level);
        root.addHandler(console);
    }

    /** "warning: message" on one line; with verbose, the stack trace follows. */
    static final class OneLine extends Formatter {
        private final boolean verbose;

        OneLine(boolean verbose) {
            this.verbose = verbose;
        }

        @Override
        public String format(LogRecord r) {
            String level = r.getLevel() == Level.SEVERE ? "error" : r.getLevel().getName().toLowerCase(Locale.ROOT);
            String message = formatMessage(r);
            message = message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
            StringBuilder sb = new StringBuilder(level).append(": ").append(message).append(System.lineSeparator());
            if (verbose && r.getThrown() != null) {
                StringWriter trace = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(trace));
                sb.append(trace);
            }
            return sb.toString();
        }
    }
}
