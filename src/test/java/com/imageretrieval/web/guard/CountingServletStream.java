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
