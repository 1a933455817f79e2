package com.imageretrieval.bench;

import com.imageretrieval.features.ImageNetPreprocessor;
import com.imageretrieval.image.ImageDecoder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * CPU cost per image of the product's decode + preprocessing, measured as THREAD CPU time (robust on a shared
 * machine, unlike wall time): the work an index build must fit beside inference on the same cores. Prints one
 * {@code PREPROCESS {json}} line. Usage: {@code PreprocessCost <imageDir> [reps]}.
 */
public final class PreprocessCost {

    private PreprocessCost() {
    }

    public static void main(String[] args) throws Exception {
        List<Path> files = Tensors.images(Path.of(args[0]), 0);
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        ImageDecoder decoder = new ImageDecoder(40_000_000L);
        ImageNetPreprocessor pre = new ImageNetPreprocessor();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double bestCpu = Double.MAX_VALUE;
        double bestDecode = Double.MAX_VALUE;
        double bestWall = Double.MAX_VALUE;
        float sink = 0;
        for (int r = 0; r < reps + 1; r++) {   // first round warms the JIT up
            long cpuDecode = 0;
            long c0 = mx.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            for (Path f : files) {
                long d0 = mx.getCurrentThreadCpuTime();
                var img = decoder.decode(f).image();
                cpuDecode += mx.getCurrentThreadCpuTime() - d0;
                sink += pre.apply(img)[0];
            }
            double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / files.size();
            double wall = (System.nanoTime() - w0) / 1e6 / files.size();
            if (r > 0) {
                bestCpu = Math.min(bestCpu, cpu);
                bestWall = Math.min(bestWall, wall);
                bestDecode = Math.min(bestDecode, cpuDecode / 1e6 / files.size());
            }
        }
        System.out.printf(Locale.ROOT, "decode + preprocess (product code, 1 thread): %.2f ms CPU/image "
                + "(decode %.2f), wall %.2f ms/image, %d images%n", bestCpu, bestDecode, bestWall, files.size());
        System.out.printf(Locale.ROOT, "PREPROCESS {\"cpu_ms\":%.3f,\"decode_cpu_ms\":%.3f,\"wall_ms\":%.3f,"
                + "\"images\":%d,\"sink\":%.1f}%n", bestCpu, bestDecode, bestWall, files.size(), sink);
    }
}
