package com.imageretrieval.index.opensearch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The id of an image in OpenSearch: the first 53 bits of the SHA-1 of its relative path. Every node computes the
 * same id for the same file without asking anyone (no sequence to share), it stays while the file's path does, and
 * it is a number as the API promises ({@code /api/images/{id}}) that JavaScript reads exactly (at most 2^53 - 1).
 * Two paths share an id with probability about n^2 / 2^54: 5e-5 for a million images (the later one would replace
 * the earlier's document).
 */
public final class ImageIds {

    private static final long MASK = (1L << 53) - 1;

    private ImageIds() {
    }

    /** The id of a relative path ('/' separators), in 1 .. 2^53 - 1. */
    public static long of(String path) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(path.getBytes(StandardCharsets.UTF_8));
            long id = ByteBuffer.wrap(sha1).getLong() & MASK;
            return id == 0 ? 1 : id;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }
}
