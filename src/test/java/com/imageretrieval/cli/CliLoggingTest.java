package com.imageretrieval.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class CliLoggingTest {

    private static LogRecord record(Level level, String message, Throwable thrown) {
        LogRecord r = new LogRecord(level, message);
        r.setThrown(thrown);
        return r;
    }

    @Test
    void oneLineWithoutTraceUnlessVerbose() {
        LogRecord r = record(Level.WARNING, "model not found at /m.onnx:\n  set MODEL_PATH", new IOException("x"));
        assertEquals("warning: model not found at /m.onnx: set MODEL_PATH" + System.lineSeparator(),
                new CliLogging.OneLine(false).format(r));
        String verbose = new CliLogging.OneLine(true).format(r);
        assertTrue(verbose.startsWith("warning: model not found"), verbose);
        assertTrue(verbose.contains("java.io.IOException: x") && verbose.contains("\tat "), verbose);
    }

    @Test
    void severeReadsAsError() {
        assertEquals("error: database locked" + System.lineSeparator(),
                new CliLogging.OneLine(false).format(record(Level.SEVERE, "database locked", null)));
    }
}
