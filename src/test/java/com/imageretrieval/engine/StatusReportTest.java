package com.imageretrieval.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.index.BuildProgress;
import com.imageretrieval.index.IndexMetadata;
import com.imageretrieval.index.IndexSnapshot;
import com.imageretrieval.index.ImageRecord;
import com.imageretrieval.index.VectorMatrix;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wording of every state, without a model, a dataset or a database. */
class StatusReportTest {

    private static IndexSnapshot twoImages() {
        List<ImageRecord> records = List.of(new ImageRecord(1, "a/1.png", "a", 1, 1, "x", 1, 1),
                new ImageRecord(2, "b/2.png", "b", 1, 1, "y", 1, 1));
        return new IndexSnapshot(records, VectorMatrix.of(List.of(new float[] {1, 0}, new float[] {0, 1}), 2),
                new IndexMetadata("m", "h", 2, "cpu", Instant.EPOCH, 2));
    }

    @Test
    void okNamesTheCountModelAndDevice() {
        EngineStatus s = new StatusReport(null, null, null, twoImages(), false, false, null, null, null, "cpu")
                .status();
        assertEquals("ok", s.state());
        assertEquals("2 images indexed with m on cpu", s.message());
        assertTrue(s.modelLoaded() && s.indexReady());
    }

    @Test
    void everyProblemIsListedWithTheRebuildToCome() {
        EngineStatus s = new StatusReport("model not found at /m", "dataset not found at /d", null, null, false,
                false, null, "the index was made by another model; the index is being rebuilt", null, null).status();
        assertEquals("degraded", s.state());
        assertEquals("model not found at /m; dataset not found at /d; the index was made by another model; the index"
                + " will be rebuilt once the model and dataset are available", s.message());
        assertFalse(s.modelLoaded());
    }

    @Test
    void buildingSaysWhyHowFarAndWhatIsServed() {
        EngineStatus s = new StatusReport(null, null, null, twoImages(), true, true,
                new BuildProgress(3, 10, 1, 2.0, 4, false), "no index found at x: the index is being rebuilt", null,
                "cpu").status();
        assertEquals("building", s.state());
        assertEquals("no index found at x: the index is being rebuilt (3/10 images, 1 failed); searching the"
                + " previous index of 2 images", s.message());
        EngineStatus requested = new StatusReport(null, null, null, null, true, false, null, "ignored", null, "cpu")
                .status();
        assertEquals("building the index", requested.message());
    }

    @Test
    void aFailedBuildIsReportedWithOrWithoutAnIndex() {
        assertEquals("the index build failed: disk full", new StatusReport(null, null, null, null, false, false,
                null, null, "disk full", "cpu").status().message());
        assertEquals("2 images indexed with m on cpu; the last build failed: disk full", new StatusReport(null, null,
                null, twoImages(), false, false, null, null, "disk full", "cpu").status().message());
    }
}
