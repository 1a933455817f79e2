/**
 * {@code INDEX_BACKEND=opensearch}: the index in an OpenSearch k-NN cluster shared by several app nodes.
 * {@link com.imageretrieval.index.opensearch.OpenSearchIndex} (documents, alias per model, writes),
 * {@link com.imageretrieval.index.opensearch.OpenSearchView} (k-NN search with the label filter inside, gallery,
 * counts), {@link com.imageretrieval.index.opensearch.OpenSearchWriter} (bulk requests, atomic alias switch),
 * {@link com.imageretrieval.index.opensearch.BuildLease} (one builder at a time) and
 * {@link com.imageretrieval.index.opensearch.ImageIds} (ids every node derives from the path). REST over the JDK's
 * HTTP client with JSON-P; see docs/scale-out.md.
 */
package com.imageretrieval.index.opensearch;
