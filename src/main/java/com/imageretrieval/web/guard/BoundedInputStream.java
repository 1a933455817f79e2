package com.imageretrieval.web.guard;

import com.imageretrieval.web.errors.ErrorCode;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;

/**
 * The request body, guarded as it is read, before any parser sees it:
 * <ul>
 *   <li>bytes are counted: the read that would pass {@code limit} fails (413 {@code too_large}), so an oversized
 *       upload is refused after at most limit + one byte, never buffered whole (chunked bodies too);</li>
 *   <li>multipart parts are counted ({@link MultipartPartCounter}): the part one over the limit fails (400
 *       {@code too_many_parts}) the moment its delimiter passes;</li>
 *   <li>the whole body has a deadline: a read after it fails (408 {@code upload_timeout}), and {@link #expire()}
 *       (called by a watchdog at the deadline) interrupts a read that is blocked waiting for a stalled client.</li>
 * </ul>
 * When the request is answered before its body was read to the end, {@link #discard} drops what the client still
 * sends, under the same deadline, so that the answer is not lost to a connection reset (see {@link UploadGuardFilter}).
 */
final class BoundedInputStream extends ServletInputStream {

    private final ServletInputStream in;
    private final long limit;
    private final String message;
    private final MultipartPartCounter parts;
    private final long deadlineNanos;
    private final String timeoutMessage;
    private long count;
    private boolean expired;
    private boolean ended; // the end of the body was read, or it can no longer be read (cut off)
    private Thread reader; // the thread inside in.read(), so that expire() can interrupt it

    BoundedInputStream(ServletInputStream in, long limit, String message) {
        this(in, limit, message, null, Long.MAX_VALUE, null);
    }

    /**
     * @param parts         counts multipart parts, or null for a body that is not multipart
     * @param deadlineNanos {@link System#nanoTime()} after which reading fails ({@code Long.MAX_VALUE}: none)
     */
    BoundedInputStream(ServletInputStream in, long limit, String message, MultipartPartCounter parts,
            long deadlineNanos, String timeoutMessage) {
        this.in = in;
        this.limit = limit;
        this.message = message;
        this.parts = parts;
        this.deadlineNanos = deadlineNanos;
        this.timeoutMessage = timeoutMessage;
    }

    long count() {
        return count;
    }

    /** True once a multipart body's closing delimiter has been read (the upload is complete). */
    boolean complete() {
        return parts != null && parts.closed();
    }

    /** The deadline passed: fail the read in progress (if any, by interrupting it) and every later one. */
    synchronized void expire() {
        expired = true;
        if (reader != null) {
            reader.interrupt();
        }
    }

    /** True while more of the body may still come: its end was not read, it was not cut off, the deadline holds. */
    synchronized boolean bodyLeft() {
        return !ended && !expired && !pastDeadline();
    }

    /**
     * Reads and drops the rest of the body, at most {@code max} bytes, ignoring the limit and the part count (the
     * request is already answered) but not the deadline or {@link #expire()}. Returns the bytes dropped; it stops
     * quietly at the end of the body, at the deadline, or when the client closes.
     */
    long discard(long max) {
        byte[] buf = new byte[8192];
        long dropped = 0;
        try {
            while (dropped < max) {
                enter();
                int n;
                try {
                    n = in.read(buf, 0, (int) Math.min(buf.length, max - dropped));
                } finally {
                    if (leave()) {
                        n = -1;
                    }
                }
                if (n < 0) {
                    break;
                }
                dropped += n;
            }
        } catch (IOException | RuntimeException e) {
            // the client closed or reset the connection, or the deadline passed: nothing more to drop
        }
        synchronized (this) {
            ended = true;
        }
        return dropped;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        // Never ask for more than one byte past the limit: the rest of an oversized body is not read at all.
        int ask = (int) Math.max(1, Math.min(len, limit - count + 1));
        int n;
        enter();
        try {
            n = in.read(b, off, ask);
        } catch (IOException | RuntimeException e) {
            if (leave()) {
                throw timedOut();
            }
            synchronized (this) {
                ended = true;
            }
            if (e instanceof IOException io && !(e instanceof UploadRefusedException)) {
                // The client closed or reset the connection mid-body: a client's fault, not a server error to log
                // with a stack trace (nobody is left to read the answer).
                throw new UploadRefusedException(ErrorCode.BAD_REQUEST, "the upload was cut off before it ended", io);
            }
            throw e;
        }
        if (leave()) {
            throw timedOut();
        }
        if (n < 0) {
            synchronized (this) {
                ended = true;
            }
        } else if (n > 0) {
            count += n;
            if (count > limit) {
                throw new UploadRefusedException(ErrorCode.TOO_LARGE, message);
            }
            if (parts != null) {
                parts.accept(b, off, n);
            }
        }
        return n;
    }

    private synchronized void enter() throws UploadRefusedException {
        if (expired || pastDeadline()) {
            expired = true;
            throw timedOut();
        }
        reader = Thread.currentThread();
    }

    /** Leaves the read; true when the deadline passed meanwhile (then the interrupt meant for us is cleared). */
    private synchronized boolean leave() {
        reader = null;
        if (expired || pastDeadline()) {
            expired = true;
            Thread.interrupted(); // the interrupt belonged to this read only, never to the container's next request
            return true;
        }
        return false;
    }

    private boolean pastDeadline() {
        return deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0;
    }

    private UploadRefusedException timedOut() {
        return new UploadRefusedException(ErrorCode.UPLOAD_TIMEOUT, timeoutMessage);
    }

    @Override
    public boolean isFinished() {
        return in.isFinished();
    }

    @Override
    public boolean isReady() {
        return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        in.setReadListener(listener);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
