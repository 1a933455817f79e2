/**
 * The image index: {@link com.imageretrieval.index.DatasetScanner} lists the dataset,
 * {@link com.imageretrieval.index.IndexBuilder} embeds what changed into the H2 file of
 * {@link com.imageretrieval.index.IndexStore} (one transaction per build), and
 * {@link com.imageretrieval.index.IndexStore#load()} reads it back as an immutable
 * {@link com.imageretrieval.index.IndexSnapshot} whose {@link com.imageretrieval.index.VectorMatrix} answers exact
 * cosine top-K queries. Plain Java: no jakarta.* here.
 */
package com.imageretrieval.index;
