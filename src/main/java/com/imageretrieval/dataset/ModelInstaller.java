package com.imageretrieval.dataset;

import com.imageretrieval.common.Checksums;
import com.imageretrieval.config.AppConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Puts the ONNX model at MODEL_PATH. A file already there is used as it is (the offline route: copy the model there);
 * it is only checked when MODEL_SHA256 is set. A download is verified against MODEL_SHA256, or, for the default URL,
 * against the known digest of the ONNX Model Zoo's resnet50-v1-7.onnx.
 */
public final class ModelInstaller {

    /**
     * SHA-256 of resnet50-v1-7.onnx (102,583,340 bytes) as published by the ONNX Model Zoo: the Git LFS pointer of
     * validated/vision/classification/resnet/model/resnet50-v1-7.onnx and the "model_sha" of ONNX_HUB_MANIFEST.json
     * in github.com/onnx/models agree on it.
     */
    public static final String RESNET50_V1_7_SHA256 =
            "af16a04a6ec48ac494065d4439fe9dea590d337b9ca6dc328160ccf04a217b9c";

    public enum Outcome {
        /** A file was already at MODEL_PATH. */
        ALREADY_PRESENT,
        /** The model was downloaded (and verified when a digest was known). */
        DOWNLOADED
    }

    /** @param sha256 the verified digest, or null when none was checked */
    public record Result(Outcome outcome, Path modelPath, String sha256) {
    }

    private final Downloader downloader;

    public ModelInstaller() {
        this(new Downloader());
    }

    public ModelInstaller(Downloader downloader) {
        this.downloader = Objects.requireNonNull(downloader);
    }

    /** The digest a download must have: MODEL_SHA256, else the built-in one for the default URL, else null. */
    public static String expectedSha256(AppConfig config) {
        if (config.modelSha256() != null) {
            return config.modelSha256();
        }
        if (config.modelUrl().toString().equals(AppConfig.DEFAULT_MODEL_URL)) {
            return RESNET50_V1_7_SHA256;
        }
        return null;
    }

    public Result install(AppConfig config, InstallListener listener) throws IOException {
        Path model = config.modelPath();
        if (Files.isRegularFile(model) && Files.size(model) > 0) {
            String sha = null;
            if (config.modelSha256() != null) {
                sha = Checksums.sha256Hex(model);
                if (!sha.equals(config.modelSha256())) {
                    throw new IOException("the model at " + model + " has SHA-256 " + sha + " but MODEL_SHA256 is "
                            + config.modelSha256() + "; delete the file to download it again, or fix MODEL_SHA256");
                }
            }
            listener.info("model already present at " + model);
            return new Result(Outcome.ALREADY_PRESENT, model, sha);
        }
        String expected = expectedSha256(config);
        listener.info("downloading " + config.modelUrl() + " to " + model
                + (expected == null ? " (no MODEL_SHA256 set: not verified)" : ""));
        try {
            downloader.download(config.modelUrl(), model, expected, listener);
        } catch (IOException e) {
            throw new IOException("the model is missing at " + model + " (MODEL_PATH) and could not be downloaded from "
                    + config.modelUrl() + " (MODEL_URL): " + e.getMessage()
                    + ". Offline: copy the ONNX file to " + model, e);
        }
        listener.info("model ready at " + model + (expected == null ? "" : " (SHA-256 verified)"));
        return new Result(Outcome.DOWNLOADED, model, expected);
    }
}
