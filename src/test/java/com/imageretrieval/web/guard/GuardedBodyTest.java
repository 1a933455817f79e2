package com.imageretrieval.web.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.web.errors.ErrorCode;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The guarded body: parts counted while streaming (class 1) and the whole-request deadline (class 5). */
class GuardedBodyTest {

    private static final String B = "----b0undary";

    /** A multipart body of {@code parts} tiny parts, generated as it is read (never held in memory). */
    private static InputStream tinyParts(long parts) {
        byte[] part = ("--" + B + "\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\ny\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        return new InputStream() {
            long i;

            @Override
            public int read() {
                if (i >= parts * part.length) {
                    return -1;
                }
                return part[(int) (i++ % part.length)];
            }
        };
    }

    private static BoundedInputStream guarded(ServletInputStream in, long deadlineNanos) {
        return new BoundedInputStream(in, 10L * 1024 * 1024, "too large",
                MultipartPartCounter.forContentType("multipart/form-data; boundary=" + B, 8).orElseThrow(),
                deadlineNanos, "too slow");
    }

    @Test
    void aMillionTinyPartsAreRefusedAtTheNinthPartWhileStreaming() {
        CountingServletStream src = new CountingServletStream(tinyParts(1_000_000));
        BoundedInputStream in = guarded(src, Long.MAX_VALUE);
        UploadRefusedException e = assertThrows(UploadRefusedException.class, () -> in.transferTo(
                OutputStreamNull.INSTANCE));
        assertEquals(ErrorCode.TOO_MANY_PARTS, e.error());
        // 8 parts of 61 bytes and the ninth delimiter (plus one read buffer): nowhere near the 61 MB body.
        assertTrue(src.pulled < 16 * 1024, "pulled " + src.pulled);
    }

    @Test
    void aRealFormIsCountedExactlyWhateverTheChunkingAndTheBinaryContent() throws IOException {
        byte[] image = new byte[200_000];
        new Random(5).nextBytes(image);
        // Bytes that look like parts of a delimiter inside the image must not count.
        System.arraycopy(("\r\n--" + B.substring(0, 6)).getBytes(StandardCharsets.US_ASCII), 0, image, 1000, 10);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("preamble\r\n--" + B + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\""
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(image);
        for (String f : new String[] {"topK", "label", "minSimilarity"}) {
            body.writeBytes(("\r\n--" + B + "\r\nContent-Disposition: form-data; name=\"" + f + "\"\r\n\r\n5")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes(("\r\n--" + B + "--\r\nepilogue\r\n--" + B + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (int chunk : new int[] {1, 3, 7, 8192}) {
            MultipartPartCounter c = new MultipartPartCounter(B, 4);
            byte[] all = body.toByteArray();
            for (int i = 0; i < all.length; i += chunk) {
                c.accept(all, i, Math.min(chunk, all.length - i));
            }
            assertEquals(4, c.parts(), "chunk " + chunk);
            assertTrue(c.closed());
        }
        MultipartPartCounter three = new MultipartPartCounter(B, 3);
        byte[] all = body.toByteArray();
        assertEquals(ErrorCode.TOO_MANY_PARTS,
                assertThrows(UploadRefusedException.class, () -> three.accept(all, 0, all.length)).error());
    }

    @Test
    void theBoundaryIsReadFromTheContentTypeQuotedOrNot() {
        assertTrue(MultipartPartCounter.forContentType("Multipart/Form-Data; charset=x; BOUNDARY=\"a b\"", 8)
                .isPresent());
        assertTrue(MultipartPartCounter.forContentType("application/json", 8).isEmpty());
        assertTrue(MultipartPartCounter.forContentType("multipart/form-data", 8).isEmpty());
        assertTrue(MultipartPartCounter.forContentType(null, 8).isEmpty());
    }

    @Test
    void aSlowDripFailsAtTheDeadline() {
        InputStream drip = new InputStream() {
            @Override
            public int read() throws IOException {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                b[off] = (byte) read();
                return 1;
            }
        };
        long t0 = System.nanoTime();
        BoundedInputStream in = guarded(new CountingServletStream(drip), t0 + 300_000_000L);
        UploadRefusedException e = assertThrows(UploadRefusedException.class, () -> in.transferTo(
                OutputStreamNull.INSTANCE));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(ErrorCode.UPLOAD_TIMEOUT, e.error());
        assertTrue(ms >= 290 && ms < 2000, ms + " ms");
    }

    @Test
    void expiringInterruptsAReadBlockedOnAStalledClientAndLeavesNoInterruptBehind() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        BoundedInputStream in = guarded(CountingServletStream.stalled(blocked), Long.MAX_VALUE);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean interruptLeft = new AtomicBoolean(true);
        Thread t = new Thread(() -> {
            try {
                in.read(new byte[10], 0, 10);
            } catch (Throwable e) {
                thrown.set(e);
            }
            interruptLeft.set(Thread.currentThread().isInterrupted());
        });
        long t0 = System.nanoTime();
        t.start();
        blocked.await();
        in.expire();
        t.join(5000);
        assertFalse(t.isAlive());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 5000);
        assertTrue(thrown.get() instanceof UploadRefusedException u && u.error() == ErrorCode.UPLOAD_TIMEOUT,
                String.valueOf(thrown.get()));
        assertFalse(interruptLeft.get(), "the container's thread must not keep our interrupt");
        assertEquals(ErrorCode.UPLOAD_TIMEOUT,
                assertThrows(UploadRefusedException.class, () -> in.read(new byte[1], 0, 1)).error());
    }

    @Test
    void afterARefusalTheRestIsDroppedUpToItsBudgetAndNoFurther() {
        CountingServletStream src = CountingServletStream.endless();
        BoundedInputStream in = new BoundedInputStream(src, 1000, "too large", null, Long.MAX_VALUE, "too slow");
        assertEquals(ErrorCode.TOO_LARGE, assertThrows(UploadRefusedException.class,
                () -> in.transferTo(OutputStreamNull.INSTANCE)).error());
        assertTrue(in.bodyLeft(), "a refused body that keeps coming is not over");
        long pulledAtRefusal = src.pulled;
        assertEquals(5_000_000, in.discard(5_000_000));
        assertEquals(pulledAtRefusal + 5_000_000, src.pulled, "dropped past its budget");
        assertFalse(in.bodyLeft(), "drained once: the rest is left to the container (it closes)");
    }

    @Test
    void aBodyReadToItsEndLeavesNothingToDrainAndDrainingStopsAtTheEnd() throws IOException {
        BoundedInputStream whole = new BoundedInputStream(new CountingServletStream(
                new java.io.ByteArrayInputStream(new byte[500])), 1000, "too large");
        whole.transferTo(OutputStreamNull.INSTANCE);
        assertFalse(whole.bodyLeft());
        // A body answered before it was read (a 404, a refused Content-Length): drained to its end, no further.
        BoundedInputStream unread = new BoundedInputStream(new CountingServletStream(
                new java.io.ByteArrayInputStream(new byte[300_000])), 1000, "too large");
        assertTrue(unread.bodyLeft());
        assertEquals(300_000, unread.discard(Long.MAX_VALUE));
        assertFalse(unread.bodyLeft());
    }

    @Test
    void drainingAStalledClientEndsWhenTheWatchdogExpiresItAndLeavesNoInterruptBehind() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        BoundedInputStream in = guarded(CountingServletStream.stalled(blocked), Long.MAX_VALUE);
        AtomicBoolean interruptLeft = new AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong(-1);
        Thread t = new Thread(() -> {
            dropped.set(in.discard(Long.MAX_VALUE));
            interruptLeft.set(Thread.currentThread().isInterrupted());
        });
        t.start();
        blocked.await();
        in.expire();
        t.join(5000);
        assertFalse(t.isAlive(), "the drain outlived its deadline");
        assertEquals(0, dropped.get());
        assertFalse(interruptLeft.get(), "the container's thread must not keep our interrupt");
        // Past its deadline a drain reads nothing at all.
        CountingServletStream src = CountingServletStream.endless();
        assertEquals(0, guarded(src, System.nanoTime() - 1).discard(1000));
        assertEquals(0, src.pulled);
    }

    /** Discards what it is given. */
    private static final class OutputStreamNull extends java.io.OutputStream {
        static final OutputStreamNull INSTANCE = new OutputStreamNull();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
