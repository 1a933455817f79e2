package com.imageretrieval.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FloatDotTest {

    @Test
    void theTestJvmRunsTheSimdKernel() {
        // surefire's argLine adds jdk.incubator.vector, as the serve profile and the Docker image do
        assertTrue(FloatDot.VECTOR_API, FloatDot.kernel());
    }

    @Test
    void agreesWithAPlainDoubleSumForEveryLengthAndOffset() {
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
            float got = FloatDot.dot(a, 5, q, d, FloatDot.scratch());
            assertEquals(expected, got, 1e-4 * Math.sqrt(d), "d=" + d);
            assertEquals(FloatDot.scalar(a, 5, q, d), got, 1e-4 * Math.sqrt(d), "scalar and SIMD agree, d=" + d);
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
        float[] scratch = FloatDot.scratch();
        float first = FloatDot.dot(a, 0, q, a.length, scratch);
        for (int i = 0; i < 200_000; i++) {
            assertEquals(Float.floatToRawIntBits(first), Float.floatToRawIntBits(FloatDot.dot(a, 0, q, a.length,
                    scratch)), "call " + i);
        }
    }
}
