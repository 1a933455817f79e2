package com.imageretrieval.index.kernel;

import java.util.logging.Logger;

/**
 * The one place that decides which {@link DotProduct} the JVM uses: the Vector API kernel when the incubator module
 * {@code jdk.incubator.vector} is usable, else the scalar loop. Decided once, at class initialisation, and logged with
 * the reason, so an operator who sees "scalar" in the start-up log also sees what to change.
 *
 * <p>Reasons for the scalar kernel: the system property {@code imageretrieval.noVectorApi=true} (to compare the two
 * kernels, or to rule the incubator module out); the module is not in the boot layer (the JVM was started without
 * {@code --add-modules jdk.incubator.vector}); or it is there but this class loader cannot link against it (a WildFly
 * deployment without a module dependency), which a smoke run detects.
 */
public final class KernelProvider {

    private static final Logger LOG = Logger.getLogger(KernelProvider.class.getName());

    private static final String MODULE = "jdk.incubator.vector";

    /** The choice: the kernel and why. */
    record Choice(DotProduct kernel, String reason) {
    }

    private static final Choice CHOICE = choose(Boolean.getBoolean("imageretrieval.noVectorApi"),
            ModuleLayer.boot().findModule(MODULE).isPresent());

    static {
        LOG.info(() -> "dot product kernel: " + CHOICE.kernel.name() + " (" + CHOICE.reason + ")");
    }

    private KernelProvider() {
    }

    /** The dot product kernel every scan uses. */
    public static DotProduct dotProduct() {
        return CHOICE.kernel;
    }

    /** Why {@link #dotProduct()} is the kernel it is, for logs and status lines. */
    public static String reason() {
        return CHOICE.reason;
    }

    /** The decision, apart from where its inputs come from (so that a test can ask every question). */
    static Choice choose(boolean disabled, boolean moduleInBootLayer) {
        if (disabled) {
            return new Choice(ScalarDotProduct.INSTANCE, "disabled by -Dimageretrieval.noVectorApi=true");
        }
        if (!moduleInBootLayer) {
            return new Choice(ScalarDotProduct.INSTANCE, MODULE + " is not in the boot layer: start java with "
                    + "--add-modules " + MODULE + " for the SIMD kernel");
        }
        try {
            // Smoke-run once: where the class loader cannot see the module, loading the SIMD class fails with a
            // LinkageError. The result must also be right, or the scalar loop serves.
            DotProduct simd = SimdDotProduct.INSTANCE;
            float[] v = {1, 2, 3};
            if (simd.dot(v, 0, v, 3, simd.newScratch()) != 14f) {
                return new Choice(ScalarDotProduct.INSTANCE, "the SIMD kernel gave a wrong result in its smoke run");
            }
            return new Choice(simd, MODULE + " is in the boot layer");
        } catch (LinkageError | RuntimeException e) {
            return new Choice(ScalarDotProduct.INSTANCE, MODULE + " cannot be linked from this class loader: " + e);
        }
    }
}
