package com.imageretrieval.index.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DotProductTest {

    @Test
    void theTestJvmRunsTheSimdKernelAndSaysWhy() {
        // surefire's argLine adds jdk.incubator.vector, as the serve profile and the Docker image do
        assertSame(SimdDotProduct.INSTANCE, KernelProvider.dotProduct(), KernelProvider.reason());
        assertTrue(KernelProvider.dotProduct().name().startsWith("vector-api "), KernelProvider.dotProduct().name());
        assertEquals("jdk.incubator.vector is in the boot layer", KernelProvider.reason());
    }

    @Test
    void theScalarKernelServesWhenTheModuleIsAbsentOrDisabledAndTheReasonSaysWhatToDo() {
        KernelProvider.Choice absent = KernelProvider.choose(false, false);
        assertSame(ScalarDotProduct.INSTANCE, absent.kernel());
        assertTrue(absent.reason().contains("--add-modules jdk.incubator.vector"), absent.reason());
        KernelProvider.Choice disabled = KernelProvider.choose(true, true);
        assertSame(ScalarDotProduct.INSTANCE, disabled.kernel());
        assertTrue(disabled.reason().contains("imageretrieval.noVectorApi"), disabled.reason());
        assertSame(SimdDotProduct.INSTANCE, KernelProvider.choose(false, true).kernel());
    }

    @Test
    void bothKernelsAgreeWithAPlainDoubleSumForEveryLengthAndOffset() {
        Random rnd = new Random(3);
        for (int d : new int[] {1, 3, 7, 8, 15, 16, 17, 63, 64, 65, 100, 2048, 2049}) {
            float[] a = new float[d + 5];
            float[] q = new float[d];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rnd.nextGaussian();
            }
            for (int i = 0; i < d; i++) {
                q[i] = (float) rnd.nextGaussian();
            }
            double expected = 0;
            for (int i = 0; i < d; i++) {
                expected += (double) a[5 + i] * q[i];
            }
            for (DotProduct k : new DotProduct[] {SimdDotProduct.INSTANCE, ScalarDotProduct.INSTANCE}) {
                assertEquals(expected, k.dot(a, 5, q, d, k.newScratch()), 1e-4 * Math.sqrt(d), k.name() + " d=" + d);
            }
        }
    }

    @Test
    void theSameInputsGiveTheSameBitsBeforeAndAfterTheJitCompilesIt() {
        Random rnd = new Random(11);
        float[] a = new float[2048];
        float[] q = new float[2048];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextFloat() - 0.5f;
            q[i] = rnd.nextFloat() - 0.5f;
        }
        DotProduct k = KernelProvider.dotProduct();
        float[] scratch = k.newScratch();
        float first = k.dot(a, 0, q, a.length, scratch);
        for (int i = 0; i < 200_000; i++) {
            assertEquals(Float.floatToRawIntBits(first), Float.floatToRawIntBits(k.dot(a, 0, q, a.length, scratch)),
                    "call " + i);
        }
    }
}
