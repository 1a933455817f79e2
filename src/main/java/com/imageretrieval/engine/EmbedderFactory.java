package com.imageretrieval.engine;

import com.imageretrieval.config.AppConfig;
import com.imageretrieval.features.Embedder;

/** Makes the embedder the engine uses; tests pass their own, production uses the ONNX model. */
@FunctionalInterface
public interface EmbedderFactory {
    /** @throws Exception if the model is missing or cannot be loaded; the message should name the path */
    Embedder create(AppConfig config) throws Exception;
}
