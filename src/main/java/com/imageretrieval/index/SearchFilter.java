package com.imageretrieval.index;

/**
 * Restrictions on a search, applied inside the scan (so a filtered search still returns the best {@code topK} of the
 * images that pass, not a filtered cut of the unfiltered top K).
 *
 * @param label         only images with exactly this label (first folder; "" = images at the dataset root); null
 *                      for any label
 * @param minSimilarity only images whose cosine similarity, as the float the search reports, is {@code >=} this;
 *                      null for no lower bound
 */
public record SearchFilter(String label, Float minSimilarity) {

    /** No restriction. */
    public static final SearchFilter NONE = new SearchFilter(null, null);

    /**
     * @throws IllegalArgumentException if {@code minSimilarity} is NaN or outside [-1, 1] (no cosine can reach it, so
     *                                  it is a mistake rather than a wish for an empty answer)
     */
    public SearchFilter {
        if (minSimilarity != null && !(minSimilarity >= -1f && minSimilarity <= 1f)) {
            throw new IllegalArgumentException("minSimilarity must be between -1 and 1, got " + minSimilarity);
        }
    }

    public static SearchFilter label(String label) {
        return new SearchFilter(label, null);
    }

    public static SearchFilter minSimilarity(float min) {
        return new SearchFilter(null, min);
    }

    /** True if nothing is restricted. */
    public boolean isEmpty() {
        return label == null && minSimilarity == null;
    }

    /** The bound for {@link VectorMatrix#topK(float[], int, java.util.function.IntPredicate, float)}. */
    float minScore() {
        return minSimilarity == null ? Float.NEGATIVE_INFINITY : minSimilarity;
    }

    /** The same test the scan applies, for one record and its similarity. */
    public boolean accepts(ImageRecord image, float similarity) {
        return (label == null || label.equals(image.label())) && (minSimilarity == null || similarity >= minSimilarity);
    }
}
