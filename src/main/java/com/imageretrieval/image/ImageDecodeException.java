package com.imageretrieval.image;

/** An image could not be decoded; {@link #kind()} tells the caller which HTTP status or log line fits. */
public class ImageDecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why decoding failed. */
    public enum Kind {
        /** Zero bytes. */
        EMPTY,
        /** Not one of the accepted raster formats (jpeg, png, gif, bmp, webp). */
        UNSUPPORTED_TYPE,
        /** Recognised format, but truncated or corrupt. */
        CORRUPT,
        /** Width x height above the pixel cap; refused before any raster is allocated. */
        TOO_LARGE
    }

    private final Kind kind;

    public ImageDecodeException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ImageDecodeException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
