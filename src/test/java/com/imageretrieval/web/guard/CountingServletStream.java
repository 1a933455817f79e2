package com.imageretrieval.web.guard;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A servlet stream over any InputStream, counting the bytes pulled from it (the guard tests' request body). */
class CountingServletStream extends ServletInputStream {
    final InputStream in;
    long pulled;

    CountingServletStream(InputStream in) {
        this.in = in;
    }

    /** An endless body of 'x' (a chunked upload that never stops, a client that keeps sending). */
    static CountingServletStream endless() {
        return new CountingServletStream(new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                return len;
            }
        });
    }

    /**
     * A client that stalls: every read blocks (like a container's read waiting for the next byte) until interrupted,
     * counting {@code blocked} down first so that a test knows the read is waiting.
     */
    static CountingServletStream stalled(java.util.concurrent.CountDownLatch blocked) {
        return new CountingServletStream(new InputStream() {
            @Override
            public int read() throws IOException {
                blocked.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException("interrupted");
                }
                return -1;
            }
        });
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        pulled += b >= 0 ? 1 : 0;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        pulled += Math.max(0, n);
        return n;
    }

    @Override
    public boolean isFinished() {
        return false;
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void setReadListener(ReadListener l) {
    }
}
