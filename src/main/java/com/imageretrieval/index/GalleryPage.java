package com.imageretrieval.index;

import java.util.List;

/**
 * One page of the gallery.
 *
 * @param images  the page, ordered by path
 * @param total   images matching the label (all images without one)
 */
public record GalleryPage(List<ImageRecord> images, int total) {
    public GalleryPage {
        images = List.copyOf(images);
    }
}
