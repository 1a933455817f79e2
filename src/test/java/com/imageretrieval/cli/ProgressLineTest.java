package com.imageretrieval.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong();

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void redrawsInPlaceAndThrottles() {
        ProgressLine line = new ProgressLine(err, true, 200, clock::get);
        line.update("one");
        clock.addAndGet(50_000_000); // 50 ms later: skipped
        line.update("two");
        clock.addAndGet(200_000_000);
        line.update("3");
        line.finish("done");
        // "3" is padded to cover "one"; finish ends the line.
        assertEquals("\rone\r3  \rdone\n", text());
    }

    @Test
    void messagesClearTheLineFirst() {
        ProgressLine line = new ProgressLine(err, true, 200, clock::get);
        line.update("12345");
        line.message("retrying");
        line.update("ab");
        assertEquals("\r12345\r     \rretrying\n\rab", text().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void writesPlainLinesWhenNotATerminal() {
        ProgressLine line = new ProgressLine(err, false, 5_000, clock::get);
        line.update("a");
        clock.addAndGet(1_000_000_000L);
        line.update("b"); // within 5 s: skipped
        clock.addAndGet(5_000_000_000L);
        line.update("c");
        line.finish("d");
        assertEquals("a\nc\nd\n", text().replace(System.lineSeparator(), "\n"));
        assertTrue(!text().contains("\r"));
    }

    @Test
    void formatsSizesDurationsAndLines() {
        assertEquals("512 B", ProgressLine.bytes(512));
        assertEquals("1.5 KiB", ProgressLine.bytes(1536));
        assertEquals("218.4 MiB", ProgressLine.bytes(229_000_000));
        assertEquals("0:07", ProgressLine.duration(7));
        assertEquals("1:10", ProgressLine.duration(70));
        assertEquals("1:01:01", ProgressLine.duration(3661));
        assertEquals("?", ProgressLine.duration(-1));
        assertEquals("f.tgz  1.0 MiB / 2.0 MiB   50.0%  512.0 KiB/s  ETA 0:02",
                ProgressLine.download("f.tgz", 1 << 20, 2 << 20, 512 * 1024, 2));
        assertEquals("f.tgz  1.0 MiB  1.0 KiB/s", ProgressLine.download("f.tgz", 1 << 20, -1, 1024, -1));
        assertEquals("indexing 1200/3670 (32.7%)  failed 2  35.1 images/s  ETA 1:10",
                ProgressLine.build(new IndexCommands.Progress(1200, 3670, 2, 35.08, 70)));
        assertEquals("indexed 3670 images in 1:35 (38.5 images/s): 3660 embedded, 5 reused, 1 removed, 5 failed",
                ProgressLine.summary(new IndexCommands.Summary(3670, 3660, 5, 1, 5, 95_200, 38.5)));
    }
}
