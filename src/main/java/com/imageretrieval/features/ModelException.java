package com.imageretrieval.features;

/** The model file is missing, unreadable, not ONNX, of an unusable shape, or cannot run on the requested device. */
public class ModelException extends Exception {
    private static final long serialVersionUID = 1L;

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
