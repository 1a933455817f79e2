/**
 * The image index: {@link com.imageretrieval.index.DatasetScanner} lists the dataset and
 * {@link com.imageretrieval.index.IndexBuilder} embeds what changed into an
 * {@link com.imageretrieval.index.IndexBackend} through its {@link com.imageretrieval.index.IndexWriter}; the
 * backend's {@link com.imageretrieval.index.IndexView} answers searches, the gallery and the stats.
 * {@code INDEX_BACKEND=h2}: {@link com.imageretrieval.index.IndexStore} (one H2 file, one transaction per build)
 * loaded as an immutable {@link com.imageretrieval.index.IndexSnapshot} whose
 * {@link com.imageretrieval.index.VectorMatrix} answers exact cosine top-K queries. {@code INDEX_BACKEND=opensearch}:
 * {@link com.imageretrieval.index.opensearch}. Plain Java: no jakarta.* here (JSON-P only in the opensearch package).
 */
package com.imageretrieval.index;
