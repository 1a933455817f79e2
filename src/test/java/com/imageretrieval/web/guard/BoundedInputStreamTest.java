package com.imageretrieval.web.guard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.web.errors.ErrorCode;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class BoundedInputStreamTest {

    @Test
    void aBodyAtTheLimitIsReadWhole() throws IOException {
        byte[] body = new byte[1000];
        new java.util.Random(3).nextBytes(body);
        ServletInputStream src = new CountingServletStream(new java.io.ByteArrayInputStream(body));
        BoundedInputStream in = new BoundedInputStream(src, 1000, "too big");
        assertArrayEquals(body, in.readAllBytes());
        assertEquals(1000, in.count());
    }

    @Test
    void anEndlessBodyFailsOneBytePastTheLimitWithoutReadingOn() {
        CountingServletStream src = CountingServletStream.endless();
        BoundedInputStream in = new BoundedInputStream(src, 5 * 1024 * 1024, "the upload is larger than 5 MB");
        UploadRefusedException e = assertThrows(UploadRefusedException.class, () -> {
            byte[] buf = new byte[64 * 1024];
            while (in.read(buf, 0, buf.length) >= 0) {
                // keep reading, like a multipart parser would
            }
        });
        assertEquals("the upload is larger than 5 MB", e.getMessage());
        assertEquals(5 * 1024 * 1024 + 1, src.pulled, "nothing beyond limit + 1 is pulled from the connection");
    }

    @Test
    void singleByteReadsAreCountedToo() throws IOException {
        BoundedInputStream in = new BoundedInputStream(CountingServletStream.endless(), 3, "too big");
        for (int i = 0; i < 3; i++) {
            assertEquals('x', in.read());
        }
        assertEquals(ErrorCode.TOO_LARGE, assertThrows(UploadRefusedException.class, in::read).error());
    }

    @Test
    void theCauseIsFoundWhereFrameworksWrapIt() {
        UploadRefusedException cause = new UploadRefusedException(ErrorCode.TOO_LARGE, "too big");
        RuntimeException wrapped = new RuntimeException("multipart failed", new IOException("read", cause));
        assertTrue(UploadRefusedException.in(wrapped).isPresent());
        assertTrue(UploadRefusedException.in(new RuntimeException("other")).isEmpty());
        assertTrue(UploadRefusedException.in(null).isEmpty());
    }
}
