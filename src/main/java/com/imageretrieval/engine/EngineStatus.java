package com.imageretrieval.engine;

/**
 * What the engine can do right now, for /api/health, /api/stats and the CLI.
 *
 * @param modelLoaded true if the embedding model is loaded
 * @param indexReady  true if a snapshot made by the loaded model is searchable
 * @param building    true while an index build runs
 * @param images      images in the searchable snapshot (0 if none)
 * @param state       "ok", "building" or "degraded"
 * @param message     for people: what is missing and how to fix it, or a summary
 */
public record EngineStatus(boolean modelLoaded, boolean indexReady, boolean building, int images, String state,
                           String message) {

    public static final String OK = "ok";
    public static final String BUILDING = "building";
    public static final String DEGRADED = "degraded";
}
