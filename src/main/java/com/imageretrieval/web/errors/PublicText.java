package com.imageretrieval.web.errors;

import com.imageretrieval.config.AppConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes an engine message fit for anonymous clients (health, 503 answers, error bodies): the configured folders and
 * files are named by their variable ({@code $MODEL_PATH}, {@code $DATASET_DIR/...}, {@code $ARTIFACTS_DIR/...}), any other
 * absolute path becomes {@code <path>}, and library text (ONNX Runtime, H2, exception names) after a colon is
 * replaced by a pointer to the server log. What to set and how to fix it stays; the full text goes to the log and
 * to the admin API.
 */
public final class PublicText {

    /** An absolute Unix path (not the "//host" of a URL) or a Windows drive path. */
    private static final Pattern ABSOLUTE = Pattern.compile("(?<![\\w:/.~-])(/[^\\s:;,'\"()<>]+)+|\\b[A-Za-z]:\\\\[^\\s;,'\"()<>]*");
    /** A clause after ": " that carries a library's own words, up to the end of its sentence or parenthesis. */
    private static final Pattern LIBRARY = Pattern.compile(
            ":\\s+[^;]*?(Exception|Error\\b|ORT_|onnxruntime|Ort\\w|org\\.h2|\\[\\d{5}-\\d+\\]|JdbcSQL|SQLState)[^;)]*");

    private PublicText() {
    }

    public static String redact(String message, AppConfig config) {
        if (message == null || message.isEmpty()) {
            return message;
        }
        String m = message;
        Map<String, String> known = new LinkedHashMap<>();
        known.put(config.modelPath().toString(), "MODEL_PATH");
        known.put(config.datasetDir().toString(), "DATASET_DIR");
        known.put(config.artifactsDir().toString(), "ARTIFACTS_DIR");
        List<Map.Entry<String, String>> longestFirst = new ArrayList<>(known.entrySet());
        longestFirst.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
        for (Map.Entry<String, String> e : longestFirst) {
            if (e.getKey().length() > 1) {
                m = m.replace(e.getKey(), "$" + e.getValue());
                m = m.replace(Path.of(e.getKey()).toUri().getPath(), "$" + e.getValue());
            }
        }
        m = LIBRARY.matcher(m).replaceAll(Matcher.quoteReplacement(": (details in the server log)"));
        m = ABSOLUTE.matcher(m).replaceAll(Matcher.quoteReplacement("<path>"));
        return m;
    }
}
