/**
 * Measurements of the pipeline: {@link com.imageretrieval.metrics.SearchTimings} (a plain stopwatch over the stages of
 * one search, used by the engine and the web layer alike, no dependencies) and
 * {@link com.imageretrieval.metrics.AppMetrics} (Micrometer meters exposed in the Prometheus text format at
 * {@code /api/metrics}). No Jakarta EE types here: the CLI and embedders use the engine without any of it.
 */
package com.imageretrieval.metrics;
