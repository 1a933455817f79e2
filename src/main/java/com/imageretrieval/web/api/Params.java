package com.imageretrieval.web.api;

import com.imageretrieval.web.errors.ErrorCode;
import com.imageretrieval.index.SearchFilter;

/** Query and form parameters: integers within bounds, else a 400 naming the parameter. */
final class Params {

    private Params() {
    }

    static int intIn(String name, ErrorCode code, String value, int def, int min, int max) {
        if (value == null || value.isBlank()) {
            return def;
        }
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ApiException(code, name + " must be an integer from " + min + " to " + max + ", got '"
                    + abbreviate(value) + "'");
        }
        if (n < min || n > max) {
            throw new ApiException(code, name + " must be from " + min + " to " + max + ", got " + n);
        }
        return n;
    }

    /** A decimal in min..max, or {@code def} when absent; else a 400 with {@code code}. */
    static double doubleIn(String name, ErrorCode code, String value, double def, double min, double max) {
        if (value == null || value.isBlank()) {
            return def;
        }
        double d;
        try {
            d = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!(d >= min && d <= max)) {
            throw new ApiException(code, name + " must be a number from " + min + " to " + max + ", got '"
                    + abbreviate(value) + "'");
        }
        return d;
    }

    /**
     * The search filter of the {@code label} and {@code minSimilarity} parameters; an absent or empty one does not
     * restrict (so an empty form field means "any label").
     */
    static SearchFilter filter(String label, String minSimilarity) {
        Float min = minSimilarity == null || minSimilarity.isBlank() ? null
                : (float) doubleIn("minSimilarity", ErrorCode.BAD_MIN_SIMILARITY, minSimilarity, 0, -1, 1);
        return new SearchFilter(label == null || label.isEmpty() ? null : label, min);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
