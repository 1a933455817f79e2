package com.imageretrieval.engine;

/** TEMP stand-in (owned by the index helper). */
public record EngineStatus(boolean modelLoaded, boolean indexReady, boolean building, int images, String state,
        String message) {
}
