package com.imageretrieval.engine;

/**
 * Text search was asked for but no usable text encoder is loaded (TEXT_MODEL_PATH unset, or the text model failed to
 * load or does not match the image model); the message says which. The web layer answers 409.
 */
public class TextSearchUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public TextSearchUnavailableException(String message) {
        super(message);
    }
}
