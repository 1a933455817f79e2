package com.imageretrieval.web.guard;

import com.imageretrieval.web.errors.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Counts the parts of a multipart body in the bytes as they stream past, before any parser sees them, and refuses
 * the part one over the limit as soon as its delimiter arrives. A body of a million tiny parts therefore costs a few
 * bytes of state here instead of a million part objects in the framework's parser.
 *
 * <p>RFC 2046: a part starts after a delimiter line {@code --boundary} (at the start of the body or after CRLF); the
 * delimiter followed by {@code --} closes the body. Any such byte sequence is a delimiter by definition (a boundary
 * must not occur inside a part), so the count here is never lower than the parser's. Matching is a streaming KMP over
 * {@code CRLF--boundary}, with the body's first line treated as if a CRLF preceded it.
 */
public final class MultipartPartCounter {

    private final byte[] delimiter; // CRLF "--" boundary
    private final int[] fallback;
    private final int maxParts;
    private int matched = 2; // as if the body began after a CRLF
    private int afterDelimiter = -1; // -1: not right after a delimiter; 0..1: bytes of "--" seen
    private int parts;
    private boolean closed;

    public MultipartPartCounter(String boundary, int maxParts) {
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.maxParts = maxParts;
        this.fallback = new int[delimiter.length];
        for (int i = 1, k = 0; i < delimiter.length; i++) {
            while (k > 0 && delimiter[i] != delimiter[k]) {
                k = fallback[k - 1];
            }
            if (delimiter[i] == delimiter[k]) {
                k++;
            }
            fallback[i] = k;
        }
    }

    /** The counter for a request's Content-Type, or empty when it is not multipart with a boundary. */
    public static Optional<MultipartPartCounter> forContentType(String contentType, int maxParts) {
        if (contentType == null || !contentType.trim().toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            return Optional.empty();
        }
        for (String param : contentType.split(";")) {
            String p = param.trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
                String b = p.substring(eq + 1).trim();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                // RFC 2046: 1 to 70 characters; anything else is left for the parser to refuse.
                return b.isEmpty() || b.length() > 70 ? Optional.empty() : Optional.of(new MultipartPartCounter(b, maxParts));
            }
        }
        return Optional.empty();
    }

    /** Parts begun so far. */
    public int parts() {
        return parts;
    }

    /** True once the closing delimiter has passed: the rest is epilogue. */
    public boolean closed() {
        return closed;
    }

    /** Feeds bytes that passed through the stream; throws at the delimiter of the first part over the limit. */
    public void accept(byte[] b, int off, int len) throws UploadRefusedException {
        for (int i = off; i < off + len && !closed; i++) {
            accept(b[i]);
        }
    }

    public void accept(int value) throws UploadRefusedException {
        byte c = (byte) value;
        if (afterDelimiter >= 0) {
            // Two bytes decide: "--" closes the body, anything else opens a part.
            if (c == '-' && afterDelimiter == 0) {
                afterDelimiter = 1;
                return;
            }
            boolean closing = c == '-' && afterDelimiter == 1;
            afterDelimiter = -1;
            if (closing) {
                closed = true;
                return;
            }
            if (++parts > maxParts) {
                throw new UploadRefusedException(ErrorCode.TOO_MANY_PARTS, "the form has more than " + maxParts
                        + " parts; send at most " + maxParts
                        + " (the field 'image' and optionally 'topK', 'label', 'minSimilarity')");
            }
        }
        while (matched > 0 && c != delimiter[matched]) {
            matched = fallback[matched - 1];
        }
        if (c == delimiter[matched]) {
            matched++;
        }
        if (matched == delimiter.length) {
            matched = fallback[matched - 1];
            afterDelimiter = 0;
        }
    }
}
