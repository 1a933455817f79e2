package com.imageretrieval.bench;

import com.imageretrieval.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the ResNet-50-shaped, random-weight ONNX model of the benchmark (cost identical to the real network). */
public final class MakeModel {

    private MakeModel() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        TestModels.resnet50Random(out, 50L);
        System.out.println("wrote " + out + " (" + Files.size(out) / (1 << 20) + " MiB)");
    }
}
