package com.imageretrieval.engine;

/** No image with the given id is in the current index (the web layer answers 404). */
public class ImageNotFoundException extends Exception {
    private static final long serialVersionUID = 1L;

    private final long imageId;

    public ImageNotFoundException(long imageId) {
        super("no image with id " + imageId + " in the current index");
        this.imageId = imageId;
    }

    public long imageId() {
        return imageId;
    }
}
