package com.imageretrieval.features;

/**
 * Model runs made since the model was loaded: {@code wide} over every core (a search that found the machine idle),
 * {@code narrow} on one core each (runs that met others, and every run of a THROUGHPUT build). Many narrow runs in a
 * server mean its cores are busy: searches wait for each other.
 */
public record RunCount(long wide, long narrow) {

    public static final RunCount NONE = new RunCount(0, 0);
}
