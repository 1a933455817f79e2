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
 * files are named by their variable ({@code $MODEL_PATH}, {@code $DATASET_DIR/...}, {@code $ARTIFACTS_DIR/...}), the
 * OpenSearch nodes by {@code $OPENSEARCH_URL}, any other
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
        if (config.textModelPath() != null) {
            known.put(config.textModelPath().toString(), "TEXT_MODEL_PATH");
        }
        if (config.tokenizerPath() != null) {
            known.put(config.tokenizerPath().toString(), "TOKENIZER_PATH");
        }
        if (config.openSearch() != null) {
            // the cluster's addresses are internal too: a message names the setting, not the hosts
            for (java.net.URI url : config.openSearch().urls()) {
                String u = url.toString();
                known.put(u, "OPENSEARCH_URL");
                known.put(u.endsWith("/") ? u.substring(0, u.length() - 1) : u + "/", "OPENSEARCH_URL");
            }
        }
        List<Map.Entry<String, String>> longestFirst = new ArrayList<>(known.entrySet());
        longestFirst.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
        for (Map.Entry<String, String> e : longestFirst) {
            if (e.getKey().length() > 1) {
                m = m.replace(e.getKey(), "$" + e.getValue());
                m = m.replace(Path.of(e.getKey()).toUri().getPath(), "$" + e.getValue());
            }
        }
        m = m.replaceAll("\\[\\$OPENSEARCH_URL(, \\$OPENSEARCH_URL)*]", Matcher.quoteReplacement("$OPENSEARCH_URL"));
        m = LIBRARY.matcher(m).replaceAll(Matcher.quoteReplacement(": (details in the server log)"));
        m = ABSOLUTE.matcher(m).replaceAll(Matcher.quoteReplacement("<path>"));
        return m;
    }
}
