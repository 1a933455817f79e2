package com.imageretrieval.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * All configuration in one place. Each setting is read from a system property of the given name, else from the
 * environment variable of the same name, else its default (the seed's names and defaults). A bad value fails fast
 * with a {@link ConfigException} that names the variable.
 */
public final class AppConfig {

    public static final String DEFAULT_DATASET_URL =
            "https://storage.googleapis.com/download.tensorflow.org/example_images/flower_photos.tgz";
    /** ONNX Model Zoo ResNet50 v1 (opset 7); its graph output is the logits, the pooled layer is exposed on load. */
    public static final String DEFAULT_MODEL_URL =
            "https://github.com/onnx/models/raw/main/validated/vision/classification/resnet/model/resnet50-v1-7.onnx";

    /** Which execution provider ONNX Runtime uses. */
    public enum Device { AUTO, CPU, CUDA }

    /**
     * How images are turned into the image encoder's input: torchvision's ImageNet evaluation transform (ResNet and
     * other ImageNet classifiers) or CLIP's (bicubic, its own mean and std). Part of the index's model hash.
     */
    public enum Preprocessing { IMAGENET, CLIP }

    /** Who may read /api/metrics: everybody, the admin token's holder, or nobody (METRICS). */
    public enum MetricsAccess { ON, ADMIN, OFF }

    /** Where the index lives: an embedded H2 file searched in memory, or an OpenSearch k-NN index. */
    public enum IndexBackend { H2, OPENSEARCH }

    private final Path artifactsDir;
    private final Path datasetDir;
    private final Path modelPath;
    private final Device ortDevice;
    private final Preprocessing preprocessing;
    private final Path textModelPath;
    private final Path tokenizerPath;
    private final int topK;
    private final int maxUploadMb;
    private final long maxImagePixels;
    private final URI datasetUrl;
    private final URI modelUrl;
    private final String modelSha256;
    private final String staticPrefix;
    private final String reindexSchedule;
    private final String adminToken;
    private final boolean autoDownload;
    private final int maxConcurrentSearches;
    private final int maxQueuedSearches;
    private final int searchQueueTimeoutMs;
    private final MetricsAccess metrics;
    private final IndexBackend indexBackend;
    private final OpenSearchSettings openSearch;
    // Hardening, round 2 (docs/robustness.md)
    private final int uploadTimeoutSeconds;
    private final int maxFileMb;
    private final int maxProgressStreams;

    private AppConfig(Function<String, String> source) {
        artifactsDir = path(source, "ARTIFACTS_DIR", "data/artifacts");
        datasetDir = path(source, "DATASET_DIR", "data/dataset");
        modelPath = path(source, "MODEL_PATH", "data/models/resnet50.onnx");
        ortDevice = device(source.apply("ORT_DEVICE"));
        preprocessing = preprocessing(source.apply("MODEL_PREPROCESSING"));
        textModelPath = optionalPath(source, "TEXT_MODEL_PATH");
        tokenizerPath = optionalPath(source, "TOKENIZER_PATH");
        if ((textModelPath == null) != (tokenizerPath == null)) {
            throw new ConfigException(textModelPath == null
                    ? "TOKENIZER_PATH is set but TEXT_MODEL_PATH is not: text search needs both (the text encoder"
                            + " ONNX file and its tokenizer.json)"
                    : "TEXT_MODEL_PATH is set but TOKENIZER_PATH is not: text search needs both (the text encoder"
                            + " ONNX file and its tokenizer.json)");
        }
        topK = intIn(source, "TOP_K", 12, 1, 100);
        maxUploadMb = intIn(source, "MAX_UPLOAD_MB", 10, 1, 1024);
        maxImagePixels = intIn(source, "MAX_IMAGE_PIXELS", 40_000_000, 1, Integer.MAX_VALUE);
        datasetUrl = uri(source, "DATASET_URL", DEFAULT_DATASET_URL);
        modelUrl = uri(source, "MODEL_URL", DEFAULT_MODEL_URL);
        modelSha256 = sha256(source.apply("MODEL_SHA256"));
        staticPrefix = prefix(source.apply("STATIC_PREFIX"));
        reindexSchedule = text(source, "REINDEX_SCHEDULE", "10m");
        String token = source.apply("ADMIN_TOKEN");
        adminToken = token == null || token.isBlank() ? null : token;
        autoDownload = bool(source, "AUTO_DOWNLOAD", true);
        // Inference is CPU-bound: more parallel searches than cores only adds latency and memory.
        maxConcurrentSearches = intIn(source, "MAX_CONCURRENT_SEARCHES",
                Math.max(1, Runtime.getRuntime().availableProcessors()), 1, 1024);
        maxQueuedSearches = intIn(source, "MAX_QUEUED_SEARCHES", 16, 0, 10_000);
        searchQueueTimeoutMs = intIn(source, "SEARCH_QUEUE_TIMEOUT_MS", 10_000, 0, 600_000);
        metrics = metricsAccess(source.apply("METRICS"));
        indexBackend = indexBackend(source.apply("INDEX_BACKEND"));
        openSearch = indexBackend == IndexBackend.OPENSEARCH ? openSearch(source) : null;
        // Hardening, round 2 (docs/robustness.md)
        uploadTimeoutSeconds = intIn(source, "UPLOAD_TIMEOUT_S", 30, 1, 3600);
        maxFileMb = intIn(source, "MAX_FILE_MB", 50, 1, 1_000_000);
        maxProgressStreams = intIn(source, "MAX_PROGRESS_STREAMS", 32, 1, 10_000);
    }

    /** Reads system properties first, then environment variables. */
    public static AppConfig fromEnvironment() {
        return from(name -> {
            String v = System.getProperty(name);
            return v != null ? v : System.getenv(name);
        });
    }

    /** For tests and embedding: any lookup of variable name to value (null = unset). */
    public static AppConfig from(Function<String, String> source) {
        return new AppConfig(Objects.requireNonNull(source));
    }

    /** Convenience for tests: explicit values, everything else default. */
    public static AppConfig of(Map<String, String> values) {
        return from(values::get);
    }

    public Path artifactsDir() { return artifactsDir; }
    public Path datasetDir() { return datasetDir; }
    public Path modelPath() { return modelPath; }
    public Device ortDevice() { return ortDevice; }
    /** The image pre-processing profile (MODEL_PREPROCESSING). */
    public Preprocessing preprocessing() { return preprocessing; }
    /** The ONNX text encoder (TEXT_MODEL_PATH), or null: text search is off. */
    public Path textModelPath() { return textModelPath; }
    /** The text encoder's Hugging Face tokenizer.json (TOKENIZER_PATH); set exactly when textModelPath() is. */
    public Path tokenizerPath() { return tokenizerPath; }
    public int topK() { return topK; }
    public int maxUploadMb() { return maxUploadMb; }
    public long maxUploadBytes() { return maxUploadMb * 1024L * 1024L; }
    public long maxImagePixels() { return maxImagePixels; }
    public URI datasetUrl() { return datasetUrl; }
    public URI modelUrl() { return modelUrl; }
    /** Expected SHA-256 of the downloaded model (hex), or null to skip the check. */
    public String modelSha256() { return modelSha256; }
    public String staticPrefix() { return staticPrefix; }
    public String reindexSchedule() { return reindexSchedule; }
    /** Null when unset: admin endpoints then answer 403. */
    public String adminToken() { return adminToken; }

    /** Whether the server fetches an absent model file or dataset folder at first start (AUTO_DOWNLOAD). */
    public boolean autoDownload() { return autoDownload; }
    /** Searches that may decode and run the model at the same time. */
    public int maxConcurrentSearches() { return maxConcurrentSearches; }
    /** Searches that may wait (upload read, in line for the model) beyond those running; more get 503. */
    public int maxQueuedSearches() { return maxQueuedSearches; }
    /** How long an admitted search waits for the model before it gets 503. */
    public int searchQueueTimeoutMs() { return searchQueueTimeoutMs; }
    /** Who may scrape /api/metrics (default: the admin token's holder, like the admin API). */
    public MetricsAccess metrics() { return metrics; }

    /** INDEX_BACKEND: h2 (default) or opensearch. */
    public IndexBackend indexBackend() { return indexBackend; }
    /** The OPENSEARCH_* settings; null unless INDEX_BACKEND=opensearch. */
    public OpenSearchSettings openSearch() { return openSearch; }
    // Hardening, round 2 (docs/robustness.md)
    /** Whole-request deadline of an upload: a body not complete by then is dropped (408) and its place freed. */
    public int uploadTimeoutSeconds() { return uploadTimeoutSeconds; }
    /** Largest dataset file the index build reads; larger files are counted failed, never read. */
    public int maxFileMb() { return maxFileMb; }
    public long maxFileBytes() { return maxFileMb * 1024L * 1024L; }
    /** Open /api/index/progress streams at most; one more gets 503. */
    public int maxProgressStreams() { return maxProgressStreams; }

    /** Effective settings for the start-up log (absolute paths, no secrets). */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ARTIFACTS_DIR", artifactsDir.toString());
        m.put("DATASET_DIR", datasetDir.toString());
        m.put("MODEL_PATH", modelPath.toString());
        m.put("ORT_DEVICE", ortDevice.name().toLowerCase(Locale.ROOT));
        m.put("MODEL_PREPROCESSING", preprocessing.name().toLowerCase(Locale.ROOT));
        m.put("TEXT_MODEL_PATH", textModelPath == null ? "(unset: text search off)" : textModelPath.toString());
        m.put("TOKENIZER_PATH", tokenizerPath == null ? "(unset)" : tokenizerPath.toString());
        m.put("TOP_K", Integer.toString(topK));
        m.put("MAX_UPLOAD_MB", Integer.toString(maxUploadMb));
        m.put("MAX_IMAGE_PIXELS", Long.toString(maxImagePixels));
        m.put("DATASET_URL", datasetUrl.toString());
        m.put("MODEL_URL", modelUrl.toString());
        m.put("STATIC_PREFIX", staticPrefix);
        m.put("REINDEX_SCHEDULE", reindexSchedule);
        m.put("AUTO_DOWNLOAD", Boolean.toString(autoDownload));
        m.put("MAX_CONCURRENT_SEARCHES", Integer.toString(maxConcurrentSearches));
        m.put("MAX_QUEUED_SEARCHES", Integer.toString(maxQueuedSearches));
        m.put("SEARCH_QUEUE_TIMEOUT_MS", Integer.toString(searchQueueTimeoutMs));
        m.put("METRICS", metrics.name().toLowerCase(Locale.ROOT));
        m.put("UPLOAD_TIMEOUT_S", Integer.toString(uploadTimeoutSeconds));
        m.put("MAX_FILE_MB", Integer.toString(maxFileMb));
        m.put("MAX_PROGRESS_STREAMS", Integer.toString(maxProgressStreams));
        m.put("ADMIN_TOKEN", adminToken == null ? "(unset: admin API disabled)" : "(set)");
        m.put("INDEX_BACKEND", indexBackend.name().toLowerCase(Locale.ROOT));
        if (openSearch != null) {
            m.put("OPENSEARCH", openSearch.toString());
        }
        return m;
    }

    private static String text(Function<String, String> source, String name, String def) {
        String v = source.apply(name);
        return v == null || v.isBlank() ? def : v.trim();
    }

    private static boolean bool(Function<String, String> source, String name, boolean def) {
        String v = source.apply(name);
        if (v == null || v.isBlank()) {
            return def;
        }
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "on": case "1":
                return true;
            case "false": case "no": case "off": case "0":
                return false;
            default:
                throw new ConfigException(name + ": expected true or false, got '" + v + "'");
        }
    }

    private static Path path(Function<String, String> source, String name, String def) {
        String v = text(source, name, def);
        try {
            return Path.of(v).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            throw new ConfigException(name + ": not a valid path: '" + v + "'");
        }
    }

    private static Path optionalPath(Function<String, String> source, String name) {
        String v = source.apply(name);
        return v == null || v.isBlank() ? null : path(source, name, v);
    }

    private static Preprocessing preprocessing(String v) {
        if (v == null || v.isBlank()) {
            return Preprocessing.IMAGENET;
        }
        try {
            return Preprocessing.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("MODEL_PREPROCESSING: expected imagenet or clip, got '" + v + "'");
        }
    }

    private static int intIn(Function<String, String> source, String name, int def, int min, int max) {
        String v = source.apply(name);
        if (v == null || v.isBlank()) {
            return def;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(name + ": expected an integer, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw new ConfigException(name + ": " + n + " is outside " + min + ".." + max);
        }
        return n;
    }

    private static Device device(String v) {
        if (v == null || v.isBlank()) {
            return Device.AUTO;
        }
        try {
            return Device.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("ORT_DEVICE: expected auto, cpu or cuda, got '" + v + "'");
        }
    }

    private static MetricsAccess metricsAccess(String v) {
        if (v == null || v.isBlank()) {
            return MetricsAccess.ADMIN;
        }
        try {
            return MetricsAccess.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("METRICS: expected on, admin or off, got '" + v + "'");
        }
    }

    private static IndexBackend indexBackend(String v) {
        if (v == null || v.isBlank()) {
            return IndexBackend.H2;
        }
        try {
            return IndexBackend.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("INDEX_BACKEND: expected h2 or opensearch, got '" + v + "'");
        }
    }

    private static OpenSearchSettings openSearch(Function<String, String> source) {
        String urlText = source.apply("OPENSEARCH_URL");
        if (urlText == null || urlText.isBlank()) {
            throw new ConfigException("OPENSEARCH_URL: required with INDEX_BACKEND=opensearch (one or more"
                    + " comma-separated base URLs, e.g. http://localhost:9200)");
        }
        List<URI> urls = new ArrayList<>();
        for (String part : urlText.split(",")) {
            String u = part.trim();
            if (u.isEmpty()) {
                continue;
            }
            try {
                URI uri = new URI(u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                        || uri.getQuery() != null || uri.getUserInfo() != null) {
                    throw new ConfigException("OPENSEARCH_URL: expected http(s)://host:port base URLs (credentials"
                            + " go in OPENSEARCH_USERNAME/OPENSEARCH_PASSWORD), got '" + u + "'");
                }
                urls.add(uri);
            } catch (URISyntaxException e) {
                throw new ConfigException("OPENSEARCH_URL: not a valid URL: '" + u + "'");
            }
        }
        if (urls.isEmpty()) {
            throw new ConfigException("OPENSEARCH_URL: no URL in '" + urlText + "'");
        }
        String index = text(source, "OPENSEARCH_INDEX", "image-retrieval");
        // OpenSearch's rules for index names: lowercase, no leading - _ +, none of \ / * ? " < > | space , #
        if (!index.matches("[a-z0-9][a-z0-9._-]{0,180}")) {
            throw new ConfigException("OPENSEARCH_INDEX: expected a lowercase index name of letters, digits, '.',"
                    + " '_' and '-', got '" + index + "'");
        }
        String user = source.apply("OPENSEARCH_USERNAME");
        String password = source.apply("OPENSEARCH_PASSWORD");
        user = user == null || user.isBlank() ? null : user.trim();
        password = password == null || password.isEmpty() ? null : password;
        if ((user == null) != (password == null)) {
            throw new ConfigException((user == null ? "OPENSEARCH_USERNAME" : "OPENSEARCH_PASSWORD")
                    + ": set both OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD, or neither");
        }
        String trustText = source.apply("OPENSEARCH_TRUSTSTORE");
        Path trustStore = trustText == null || trustText.isBlank() ? null : path(source, "OPENSEARCH_TRUSTSTORE", "");
        if (trustStore != null && !Files.isReadable(trustStore)) {
            throw new ConfigException("OPENSEARCH_TRUSTSTORE: no readable file at " + trustStore);
        }
        String trustPassword = source.apply("OPENSEARCH_TRUSTSTORE_PASSWORD");
        return new OpenSearchSettings(urls, index, intIn(source, "OPENSEARCH_SHARDS", 1, 1, 1024),
                intIn(source, "OPENSEARCH_REPLICAS", 1, 0, 64), user, password, trustStore,
                trustPassword == null || trustPassword.isEmpty() ? null : trustPassword,
                intIn(source, "OPENSEARCH_HNSW_M", 16, 2, 100),
                intIn(source, "OPENSEARCH_HNSW_EF_CONSTRUCTION", 128, 2, 4096),
                intIn(source, "OPENSEARCH_EF_SEARCH", 100, 1, 10_000),
                intIn(source, "OPENSEARCH_LEASE_SECONDS", 60, 5, 3600),
                intIn(source, "OPENSEARCH_TIMEOUT_SECONDS", 10, 1, 600));
    }

    private static URI uri(Function<String, String> source, String name, String def) {
        String v = text(source, name, def);
        try {
            URI u = new URI(v);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
                throw new ConfigException(name + ": expected an http, https or file URL, got '" + v + "'");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new ConfigException(name + ": not a valid URL: '" + v + "'");
        }
    }

    private static String sha256(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        String hex = v.trim().toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new ConfigException("MODEL_SHA256: expected 64 hex digits, got '" + v + "'");
        }
        return hex;
    }

    private static String prefix(String v) {
        String p = v == null || v.isBlank() ? "/dataset" : v.trim();
        // Plain segments only: no "." or ".." segment may make the prefix point elsewhere.
        if (!p.matches("/[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*") || p.matches(".*/\\.+(/.*)?")) {
            throw new ConfigException("STATIC_PREFIX: expected a path like /dataset, got '" + v + "'");
        }
        return p;
    }
}
