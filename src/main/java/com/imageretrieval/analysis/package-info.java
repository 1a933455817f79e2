/**
 * Whole-index analyses built on all-pairs similarity: {@link com.imageretrieval.analysis.NearDuplicates} (groups of
 * near-identical and byte-identical images) and {@link com.imageretrieval.analysis.RetrievalEvaluation} (leave-one-out
 * retrieval quality on the folder labels). Both read an immutable {@link com.imageretrieval.index.IndexSnapshot} and
 * cache their last answer per index content, so a rebuild that changed an image or a vector invalidates them. Plain Java:
 * used by the CLI and the web layer alike.
 */
package com.imageretrieval.analysis;
