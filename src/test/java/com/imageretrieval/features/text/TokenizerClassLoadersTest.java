package com.imageretrieval.features.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.imageretrieval.testing.TestDualEncoders;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an application server does on a redeploy: the same classes in a second class loader while the first one is
 * still alive. Each class loader must get its own copy of the tokenizer's native library (TokenizerNative); DJL's
 * default (one cache path for everyone) fails in the second class loader, which is why TokenizerNative exists.
 */
class TokenizerClassLoadersTest {

    @TempDir
    Path dir;

    /** The product's classes and the tokenizer's libraries, isolated from the test's class loader. */
    private static URLClassLoader isolated() throws Exception {
        List<Class<?>> from = List.of(TextTokenizer.class, HuggingFaceTokenizer.class, ai.djl.util.Platform.class,
                com.google.gson.Gson.class, com.sun.jna.Native.class, org.slf4j.LoggerFactory.class);
        URL[] urls = new URL[from.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = from.get(i).getProtectionDomain().getCodeSource().getLocation();
        }
        return new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
    }

    private static long[] idsThroughTextTokenizer(ClassLoader loader, Path tokenizer) throws Exception {
        Class<?> c = Class.forName(TextTokenizer.class.getName(), true, loader);
        Object t = c.getMethod("open", Path.class, int.class).invoke(null, tokenizer, 6);
        Object tokens = c.getMethod("encode", String.class).invoke(t, "red");
        return (long[]) tokens.getClass().getMethod("ids").invoke(tokens);
    }

    @Test
    void twoLiveClassLoadersBothTokenise() throws Exception {
        Path tokenizer = TestDualEncoders.wordTokenizer(dir.resolve("tokenizer.json"), List.of("red"), true);
        try (URLClassLoader first = isolated(); URLClassLoader second = isolated()) {
            assertArrayEquals(new long[] {2, 4, 3, 0, 0, 0}, idsThroughTextTokenizer(first, tokenizer));
            assertArrayEquals(new long[] {2, 4, 3, 0, 0, 0}, idsThroughTextTokenizer(second, tokenizer));
            // and the first one still works after the second loaded its copy
            assertArrayEquals(new long[] {2, 4, 3, 0, 0, 0}, idsThroughTextTokenizer(first, tokenizer));
        }
    }

    @Test
    void djlsSharedCachePathFailsInTheSecondClassLoader() throws Exception {
        Path tokenizer = TestDualEncoders.wordTokenizer(dir.resolve("tokenizer.json"), List.of("red"), true);
        String previous = System.getProperty("DJL_CACHE_DIR");
        System.setProperty("DJL_CACHE_DIR", dir.resolve("djl-cache").toString());
        try (URLClassLoader first = isolated(); URLClassLoader second = isolated()) {
            plainDjl(first, tokenizer);
            InvocationTargetException e = assertThrows(InvocationTargetException.class,
                    () -> plainDjl(second, tokenizer));
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            assertTrue(root instanceof UnsatisfiedLinkError,
                    "expected a native library failure, got " + root);
        } finally {
            if (previous == null) {
                System.clearProperty("DJL_CACHE_DIR");
            } else {
                System.setProperty("DJL_CACHE_DIR", previous);
            }
        }
    }

    /** HuggingFaceTokenizer.newInstance(path).encode("red"), with DJL loading its library its own way. */
    private static void plainDjl(ClassLoader loader, Path tokenizer) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            Class<?> c = Class.forName(HuggingFaceTokenizer.class.getName(), true, loader);
            Object tok = c.getMethod("newInstance", Path.class).invoke(null, tokenizer);
            Method encode = c.getMethod("encode", String.class);
            encode.invoke(tok, "red");
        } finally {
            t.setContextClassLoader(before);
        }
    }
}
