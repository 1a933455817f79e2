package com.imageretrieval.engine;

import com.imageretrieval.index.BuildProgress;
import com.imageretrieval.index.IndexView;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns what the engine knows into the {@link EngineStatus} people read on /api/health and in the CLI: one state
 * and one sentence saying what is missing and how to fix it, or what is running. Pure: no I/O, so it is cheap to
 * poll and easy to test.
 *
 * @param modelProblem   why the model is not loaded, or null
 * @param datasetProblem why the dataset cannot be used, or null
 * @param storeProblem   why the index backend cannot be opened, or null
 * @param view           the searchable index, or null
 * @param building       true while a build runs
 * @param automatic      true if the running build was started by the engine itself (no index, other model)
 * @param progress       the running build's progress, or null
 * @param rebuildReason  why the index is being (or will be) rebuilt without anyone asking, or null
 * @param lastBuildError why the last build failed, or null
 * @param device         the model's device ("cpu", "cuda"), or null without a model
 */
record StatusReport(String modelProblem, String datasetProblem, String storeProblem, IndexView view,
                    boolean building, boolean automatic, BuildProgress progress, String rebuildReason,
                    String lastBuildError, String device) {

    EngineStatus status() {
        List<String> problems = new ArrayList<>();
        for (String p : new String[] {modelProblem, datasetProblem, storeProblem}) {
            if (p != null) {
                problems.add(p);
            }
        }
        int images = view == null ? 0 : view.size();
        String state;
        String message;
        if (building) {
            state = EngineStatus.BUILDING;
            String reason = automatic && rebuildReason != null ? rebuildReason : "building the index";
            message = reason + (progress == null ? "" : " (" + progress.done() + "/" + progress.total()
                    + " images, " + progress.failed() + " failed)")
                    + (view == null ? "" : "; searching the previous index of " + images + " images");
        } else if (!problems.isEmpty()) {
            state = EngineStatus.DEGRADED;
            if (rebuildReason != null && view == null) {
                problems.add(rebuildReason.replace("the index is being rebuilt",
                        "the index will be rebuilt once the model and dataset are available"));
            }
            message = String.join("; ", problems);
        } else if (view != null) {
            state = EngineStatus.OK;
            message = images + " images indexed with " + view.metadata().modelName() + " on " + device
                    + (lastBuildError == null ? "" : "; the last build failed: " + lastBuildError);
        } else {
            state = EngineStatus.DEGRADED;
            message = lastBuildError != null ? "the index build failed: " + lastBuildError
                    : "the index is not built yet: run `build-index` or start a rebuild";
        }
        return new EngineStatus(modelProblem == null, view != null, building, images, state, message);
    }
}
