package com.imageretrieval.index.compact;

import com.imageretrieval.config.ConfigException;
import java.util.Locale;

/**
 * How the in-memory index answers queries, chosen by the {@code INDEX_MODE} setting (environment variable or
 * system property, like every other setting).
 *
 * <ul>
 *   <li>{@code exact} (default): float32 matrix, full scan. Exact; 8 KiB per 2048-d image.</li>
 *   <li>{@code int8}: {@link Int8Index} codes (2 KiB per image) scanned, then the best
 *       {@code INDEX_RERANK} x k candidates re-ranked exactly against float32 vectors. For collections whose float
 *       matrix would not fit in RAM, or to cut the scan time at 100k+ images.</li>
 * </ul>
 */
public enum IndexMode {
    EXACT, INT8;

    /** Name of the setting. */
    public static final String VARIABLE = "INDEX_MODE";
    /** Candidate multiplier for the re-rank in int8 mode (candidates = multiplier x k, at least 50). */
    public static final String RERANK_VARIABLE = "INDEX_RERANK";
    public static final int DEFAULT_RERANK = 10;

    /** Parses the setting; null or blank means {@link #EXACT}. A bad value names the variable and the choices. */
    public static IndexMode parse(String value) {
        if (value == null || value.isBlank()) {
            return EXACT;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "exact":
                return EXACT;
            case "int8":
                return INT8;
            default:
                throw new ConfigException(VARIABLE + ": expected exact or int8, got '" + value + "'");
        }
    }

    /** Parses {@code INDEX_RERANK}: null or blank means {@value #DEFAULT_RERANK}; allowed 1..1000. */
    public static int parseRerank(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_RERANK;
        }
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(RERANK_VARIABLE + ": expected an integer, got '" + value + "'");
        }
        if (n < 1 || n > 1000) {
            throw new ConfigException(RERANK_VARIABLE + ": " + n + " is outside 1..1000");
        }
        return n;
    }

    /** Lower-case name as written in the setting. */
    public String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
