/**
 * The arithmetic of a scan, in one place: float dot products ({@link com.imageretrieval.index.kernel.DotProduct},
 * Vector API lanes or a scalar loop, chosen once by {@link com.imageretrieval.index.kernel.KernelProvider}, which
 * logs its choice and why) and the bounded top-K selection ({@link com.imageretrieval.index.kernel.TopK}). Modelled
 * on Lucene's {@code VectorizationProvider}: the index code asks the provider, never the JVM, which kernel to use.
 */
package com.imageretrieval.index.kernel;
