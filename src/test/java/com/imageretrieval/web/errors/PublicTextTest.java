package com.imageretrieval.web.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.config.AppConfig;
import com.imageretrieval.engine.RetrievalEngine;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 10, class 11: public answers name the variable and the fix, never an absolute path or library text. */
class PublicTextTest {

    private final AppConfig cfg = AppConfig.of(Map.of("MODEL_PATH", "/srv/secret/models/r50.onnx",
            "DATASET_DIR", "/srv/secret/data/flowers", "ARTIFACTS_DIR", "/srv/secret/artifacts"));

    @Test
    void theEnginesMissingMessagesKeepTheVariableAndTheFixButLoseThePath() {
        String model = PublicText.redact(RetrievalEngine.modelMissingMessage(cfg), cfg);
        assertFalse(model.contains("/srv"), model);
        assertTrue(model.contains("MODEL_PATH") && model.contains("download-model"), model);
        assertTrue(model.contains("MODEL_URL=https://github.com/"), "URLs stay: " + model);
        String data = PublicText.redact(RetrievalEngine.datasetMissingMessage(cfg), cfg);
        assertFalse(data.contains("/srv"), data);
        assertTrue(data.contains("DATASET_DIR") && data.contains("download-data"), data);
    }

    @Test
    void libraryTextAndOtherPathsAreReplaced() {
        String ort = PublicText.redact("model could not be loaded from /srv/secret/models/r50.onnx: Error code - "
                + "ORT_INVALID_PROTOBUF - message: Load model from /srv/secret/models/r50.onnx failed:Protobuf "
                + "parsing failed.", cfg);
        assertEquals("model could not be loaded from $MODEL_PATH: (details in the server log)", ort);
        String h2 = PublicText.redact("index store at /srv/secret/artifacts/index cannot be opened: "
                + "org.h2.jdbc.JdbcSQLNonTransientConnectionException: Database may be already in use: "
                + "\"/srv/secret/artifacts/index/index.mv.db\" [90020-224]; set ARTIFACTS_DIR", cfg);
        assertFalse(h2.contains("/srv") || h2.contains("h2") || h2.contains("90020"), h2);
        assertTrue(h2.contains("ARTIFACTS_DIR"), h2);
        assertEquals("cannot read <path>: gone", PublicText.redact("cannot read /etc/other/file.jpg: gone", cfg));
        assertEquals("see C: drive? no: <path>", PublicText.redact("see C: drive? no: D:\\data\\x.jpg", cfg));
    }

    @Test
    void whatTheEngineSaysAfterTheLibraryTextStays() {
        String moved = PublicText.redact("the index file /srv/secret/artifacts/index/index.mv.db was unreadable (the "
                + "index database /srv/secret/artifacts/index/index.mv.db cannot be opened (corrupt or not an H2 "
                + "database): File corrupted while reading record: \"/srv/secret/artifacts/index/index.mv.db\". "
                + "Possible solution: use the recovery tool [90030-240]) and was moved to "
                + "/srv/secret/artifacts/index/index.mv.db.corrupt-1; the index is being rebuilt", cfg);
        assertFalse(moved.contains("/srv") || moved.contains("90030") || moved.contains("recovery tool"), moved);
        assertTrue(moved.contains("was moved to $ARTIFACTS_DIR/index/index.mv.db.corrupt-1"), moved);
        assertTrue(moved.endsWith("the index is being rebuilt"), moved);
    }

    @Test
    void theClustersAddressesAndTheTextModelsPathAreNamedByTheirVariables() {
        AppConfig os = AppConfig.of(Map.of("INDEX_BACKEND", "opensearch",
                "OPENSEARCH_URL", "http://10.1.2.3:9200,http://search-2.internal:9200",
                "TEXT_MODEL_PATH", "/srv/secret/clip/text.onnx", "TOKENIZER_PATH", "/srv/secret/clip/tokenizer.json"));
        String down = PublicText.redact("no OpenSearch node of [http://10.1.2.3:9200, http://search-2.internal:9200]"
                + " answered GET /_cluster/health: check OPENSEARCH_URL and that the cluster is running", os);
        assertFalse(down.contains("10.1.2.3") || down.contains("internal"), down);
        assertTrue(down.startsWith("no OpenSearch node of $OPENSEARCH_URL answered"), down);
        String text = PublicText.redact("text search is off: the text model /srv/secret/clip/text.onnx and the "
                + "tokenizer /srv/secret/clip/tokenizer.json disagree", os);
        assertEquals("text search is off: the text model $TEXT_MODEL_PATH and the tokenizer $TOKENIZER_PATH disagree",
                text);
    }
}
