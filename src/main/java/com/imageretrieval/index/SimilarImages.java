package com.imageretrieval.index;

import java.util.List;

/**
 * The answer of "more like this": the indexed image asked about and the images most similar to it. One value, so a
 * backend reads the image and its vector in one request (OpenSearch: one GET of the document, then the k-NN search).
 */
public record SimilarImages(ImageRecord image, List<SearchHit> hits) {

    public SimilarImages {
        hits = List.copyOf(hits);
    }
}
