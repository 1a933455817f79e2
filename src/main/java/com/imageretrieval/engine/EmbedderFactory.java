package com.imageretrieval.engine;

import com.imageretrieval.config.AppConfig;
import com.imageretrieval.features.Embedder;

/** TEMP stand-in (owned by the index helper). */
@FunctionalInterface
public interface EmbedderFactory {
    Embedder create(AppConfig config) throws Exception;
}
