package com.imageretrieval.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Fresh folders under target/test-work (fixtures stay inside the build folder). */
public final class TestDirs {
    private TestDirs() {
    }

    public static Path fresh(String name) {
        try {
            Path base = Path.of("target", "test-work").toAbsolutePath();
            Files.createDirectories(base);
            return Files.createTempDirectory(base, name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
