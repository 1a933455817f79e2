package com.imageretrieval.image;

import java.awt.image.BufferedImage;

/**
 * A decoded image, upright (EXIF orientation applied) and in 8-bit RGB without alpha.
 *
 * @param image  TYPE_INT_RGB or TYPE_3BYTE_BGR pixels
 * @param width  width after orientation
 * @param height height after orientation
 * @param format the detected format: jpeg, png, gif, bmp or webp
 */
public record DecodedImage(BufferedImage image, int width, int height, String format) {
}
