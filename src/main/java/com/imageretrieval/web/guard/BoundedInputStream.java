package com.imageretrieval.web.guard;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;

/**
 * The request body, counted as it is read: the read that would pass {@code limit} bytes fails with
 * {@link UploadTooLargeException} instead, so an oversized upload is refused after at most limit + one buffer, never
 * buffered whole (also for chunked bodies, which declare no length).
 */
final class BoundedInputStream extends ServletInputStream {

    private final ServletInputStream in;
    private final long limit;
    private final String message;
    private long count;

    BoundedInputStream(ServletInputStream in, long limit, String message) {
        this.in = in;
        this.limit = limit;
        this.message = message;
    }

    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        // Never ask for more than one byte past the limit: the rest of an oversized body is not read at all.
        int n = in.read(b, off, (int) Math.max(1, Math.min(len, limit - count + 1)));
        if (n > 0) {
            add(n);
        }
        return n;
    }

    private void add(long n) throws UploadTooLargeException {
        count += n;
        if (count > limit) {
            throw new UploadTooLargeException(message);
        }
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
