package com.imageretrieval.features.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.util.Platform;
import com.imageretrieval.features.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Loads DJL's Hugging Face tokenizers native library ({@code libtokenizers.so}, bundled in the tokenizers jar) in a way
 * that works in the CLI and inside a WAR on Payara and WildFly, offline.
 *
 * <p>Why not let DJL do it: DJL extracts the library into one fixed cache folder ({@code ~/.djl.ai/tokenizers/...},
 * or {@code DJL_CACHE_DIR}/{@code ENGINE_CACHE_DIR}) and calls {@code System.load} on that path. In an application
 * server two things break. (1) The server's user may have no writable home. (2) A JNI library can belong to one
 * class loader only: after a redeploy the new WAR's class loader asks for the same path while the old one is not yet
 * collected, the JVM answers "already loaded in another classloader", DJL logs a warning and every tokenizer call of
 * the new deployment then fails with {@link UnsatisfiedLinkError}. So, unless the operator points
 * {@code RUST_LIBRARY_PATH} at a library of their own, this class copies the library out of the jar into a fresh
 * temporary folder per class loader (as ONNX Runtime does), hands that folder to DJL through the
 * {@code RUST_LIBRARY_PATH} system property for the one moment DJL reads it, and deletes the copy once it is mapped
 * (Linux and macOS keep a loaded library after its file is unlinked; elsewhere it goes at JVM exit). Nothing is
 * downloaded ({@code ai.djl.offline} is set for the same moment).
 */
final class TokenizerNative {

    private static final Logger LOG = Logger.getLogger(TokenizerNative.class.getName());
    private static final String OVERRIDE = "RUST_LIBRARY_PATH";
    private static final String OFFLINE = "ai.djl.offline";

    private static boolean loaded;

    private TokenizerNative() {
    }

    /**
     * Makes sure the native library is loaded for this class loader.
     *
     * @throws ModelException naming the cause when it cannot be loaded (unsupported platform, no temp space)
     */
    static synchronized void ensureLoaded() throws ModelException {
        if (loaded) {
            return;
        }
        ClassLoader own = HuggingFaceTokenizer.class.getClassLoader();
        Thread thread = Thread.currentThread();
        ClassLoader previousContext = thread.getContextClassLoader();
        // DJL finds native/lib/tokenizers.properties through the context class loader: on a server's timer or
        // request thread that may not be the WAR's.
        thread.setContextClassLoader(own);
        Path copy = null;
        String userOverride = System.getenv(OVERRIDE) != null ? System.getenv(OVERRIDE) : System.getProperty(OVERRIDE);
        String previousOffline = System.getProperty(OFFLINE);
        try {
            if (userOverride == null) {
                copy = extract(own);
                System.setProperty(OVERRIDE, copy.toString());
            }
            if (previousOffline == null) {
                System.setProperty(OFFLINE, "true");
            }
            // The first use of TokenizersLibrary runs DJL's LibUtils static initialiser, which System.load()s
            // RUST_LIBRARY_PATH/<lib> from LibUtils, i.e. for this class loader.
            Class.forName("ai.djl.huggingface.tokenizers.jni.LibUtils", true, own)
                    .getMethod("checkStatus").invoke(null);
            loaded = true;
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ModelException("cannot load the tokenizer's native library: " + describe(cause), cause);
        } catch (IOException | RuntimeException | LinkageError e) {
            throw new ModelException("cannot load the tokenizer's native library: " + describe(e), e);
        } finally {
            if (userOverride == null) {
                System.clearProperty(OVERRIDE);
            }
            if (previousOffline == null) {
                System.clearProperty(OFFLINE);
            }
            thread.setContextClassLoader(previousContext);
            if (copy != null) {
                deleteCopy(copy.getParent());
            }
        }
    }

    /**
     * Copies native/lib/&lt;platform&gt;/cpu/libtokenizers.* out of the jar into a new temporary folder and returns the
     * file: DJL 0.38 accepts RUST_LIBRARY_PATH as the library file or as its folder, but the folder form fails with a
     * NullPointerException on machines without CUDA (it appends the CUDA architecture, which is null there).
     */
    private static Path extract(ClassLoader loader) throws IOException, ModelException {
        Platform platform = Platform.detectPlatform("tokenizers");
        String lib = System.mapLibraryName("tokenizers");
        String resource = "native/lib/" + platform.getOsPrefix() + "-" + platform.getOsArch() + "/cpu/" + lib;
        Path dir = Files.createTempDirectory("tokenizers-jni");
        Path file = dir.resolve(lib);
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ModelException("the tokenizers jar has no native library for this platform (" + resource
                        + "); set RUST_LIBRARY_PATH to the path of " + lib + " built for it");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | ModelException | RuntimeException e) {
            deleteCopy(dir);
            throw e;
        }
        return file;
    }

    private static void deleteCopy(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    p.toFile().deleteOnExit();
                }
            });
        } catch (IOException e) {
            LOG.log(Level.FINE, "could not remove " + dir, e);
        }
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            sb.append(": ").append(c.getMessage());
        }
        return sb.toString();
    }
}
