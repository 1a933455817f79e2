package com.imageretrieval.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void parsesOptionsInBothSpellings() throws Exception {
        CommandLine a = CommandLine.parse(List.of("search", "--query", "q.jpg", "--topk=5"));
        assertEquals("search", a.command());
        assertEquals(Map.of("--query", "q.jpg", "--topk", "5"), a.options());
        assertEquals(5, a.intOption("--topk", 12, 1, 100));

        CommandLine b = CommandLine.parse(List.of("build-index"));
        assertNull(b.option("--dataset-root"));
        assertEquals(12, b.intOption("--topk", 12, 1, 100));
        assertEquals("/d", CommandLine.parse(List.of("build-index", "--dataset-root", "/d")).option("--dataset-root"));
    }

    @Test
    void helpIsRecognisedAnywhere() throws Exception {
        assertEquals("help", CommandLine.parse(List.of("--help")).command());
        assertEquals("help", CommandLine.parse(List.of("-h")).command());
        assertEquals("help", CommandLine.parse(List.of("search", "--help")).command());
    }

    @Test
    void rejectsWhatItDoesNotKnowNamingTheWord() {
        assertMessage(List.of(), "no command");
        assertMessage(List.of("serch"), "unknown command 'serch'");
        assertMessage(List.of("search", "--top", "3"), "unknown option '--top' for search");
        assertMessage(List.of("download-data", "extra"), "unexpected argument 'extra'");
        assertMessage(List.of("search", "--query"), "--query needs a value");
        assertMessage(List.of("search", "--query="), "--query needs a value");
        assertMessage(List.of("search", "--query", "a", "--query", "b"), "--query given twice");
        assertMessage(List.of("download-model", "--dataset-root", "x"), "unknown option '--dataset-root'");
    }

    @Test
    void checksIntegerOptions() throws Exception {
        CommandLine bad = CommandLine.parse(List.of("search", "--topk", "many"));
        UsageException e1 = assertThrows(UsageException.class, () -> bad.intOption("--topk", 12, 1, 100));
        assertTrue(e1.getMessage().contains("'many'"));
        CommandLine zero = CommandLine.parse(List.of("search", "--topk", "0"));
        UsageException e2 = assertThrows(UsageException.class, () -> zero.intOption("--topk", 12, 1, 100));
        assertTrue(e2.getMessage().contains("outside 1..100"));
    }

    private static void assertMessage(List<String> args, String expected) {
        UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse(args));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
