package com.imageretrieval.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 13, target 2: index building timed as WHOLE processes, start-up included (JVM or Python start, model load,
 * H2 open), interleaved pass by pass so that all three see the same machine load:
 * <ul>
 *   <li>the product: {@code java [JVM options] -jar target/image-retrieval-cli.jar build-index} on a fresh
 *       ARTIFACTS_DIR (decode, preprocess, infer, H2 writes, commit);</li>
 *   <li>ONNX Runtime alone: {@link OrtAloneProcess} (JVM start, model load, N images on ready tensors, batch 8), minus
 *       the time it spends making its tensors;</li>
 *   <li>the seed's stack: {@code /usr/bin/python3 bench/seed_baseline.py --passes 1 --warmup 0} (interpreter start,
 *       torch import, model set-up, every image one by one), when {@code --seed} is given.</li>
 * </ul>
 * Prints the wall clock of each process and {@code PROCESS {json}} with the medians and the ratios (images/s of the
 * product over images/s of each reference, i.e. the reference's time over the product's).
 *
 * <p>Arguments: {@code --model FILE --images DIR --work DIR --cp CLASSPATH [--passes N] [--seed] [--cli JAR]
 * [--jvm "OPTIONS"]}.
 */
public final class ProcessBench {

    private static final Pattern PREP = Pattern.compile("\"prep_ms\":([0-9.]+)");

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        boolean seed = false;
        boolean cds = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--seed")) {
                seed = true;
            } else if (args[i].equals("--cds")) {
                cds = true;
            } else {
                a.put(args[i].replaceFirst("^--", ""), args[++i]);
            }
        }
        Path model = Path.of(a.get("model")).toAbsolutePath();
        Path images = Path.of(a.get("images")).toAbsolutePath();
        Path work = Path.of(a.get("work")).toAbsolutePath();
        String cli = a.getOrDefault("cli", "target/image-retrieval-cli.jar");
        String cp = a.get("cp");
        int passes = Integer.parseInt(a.getOrDefault("passes", "3"));
        List<String> jvm = a.getOrDefault("jvm", "").isBlank() ? List.of()
                : Arrays.asList(a.get("jvm").trim().split("\\s+"));
        int count = Tensors.images(images, 0).size();
        String java = ProcessHandle.current().info().command().orElse("java");

        // AppCDS (Java 17): one short build-index run on 8 images dumps the classes it loaded (ONNX protobuf, H2,
        // ONNX Runtime, ImageIO plug-ins, the product) into an archive; later runs map it instead of parsing and
        // verifying those classes again. Optional for users: documented, not required.
        List<String> cdsFlags = List.of();
        if (cds) {
            Path small = work.resolve("cds-images/x");
            deleteTree(small.getParent());
            Files.createDirectories(small);
            for (Path img : Tensors.images(images, 8)) {
                Files.copy(img, small.resolve(img.getFileName()));
            }
            Path archive = work.resolve("cli.jsa");
            Files.deleteIfExists(archive);
            Path cdsArtifacts = work.resolve("cds-artifacts");
            deleteTree(cdsArtifacts);
            List<String> dump = new ArrayList<>(List.of(java, "-XX:ArchiveClassesAtExit=" + archive));
            dump.addAll(jvm);
            dump.addAll(List.of("-jar", cli, "build-index"));
            double dumpS = run(dump, Map.of("DATASET_DIR", small.getParent().toString(), "MODEL_PATH",
                    model.toString(), "ARTIFACTS_DIR", cdsArtifacts.toString()), work.resolve("cds-dump.log"));
            System.out.printf(Locale.ROOT, "AppCDS archive %s: %d MiB, made in %.1f s%n", archive,
                    Files.size(archive) >> 20, dumpS);
            cdsFlags = List.of("-XX:SharedArchiveFile=" + archive);
        }
        double[] withCds = new double[passes];
        Arrays.fill(withCds, Double.NaN);
        double[] product = new double[passes];
        double[] ort = new double[passes];
        double[] seedS = new double[passes];
        Arrays.fill(seedS, Double.NaN);
        for (int p = 0; p < passes; p++) {
            Path artifacts = work.resolve("artifacts-" + p);
            deleteTree(artifacts);
            List<String> build = new ArrayList<>(List.of(java));
            build.addAll(jvm);
            build.addAll(List.of("-jar", cli, "build-index"));
            Map<String, String> env = Map.of("DATASET_DIR", images.toString(), "MODEL_PATH", model.toString(),
                    "ARTIFACTS_DIR", artifacts.toString());
            product[p] = run(build, env, work.resolve("build-" + p + ".log"));
            if (cds) {
                Path again = work.resolve("artifacts-cds-" + p);
                deleteTree(again);
                List<String> withArchive = new ArrayList<>(List.of(java));
                withArchive.addAll(cdsFlags);
                withArchive.addAll(jvm);
                withArchive.addAll(List.of("-jar", cli, "build-index"));
                withCds[p] = run(withArchive, Map.of("DATASET_DIR", images.toString(), "MODEL_PATH",
                        model.toString(), "ARTIFACTS_DIR", again.toString()), work.resolve("build-cds-" + p + ".log"));
                deleteTree(again);
            }

            List<String> alone = List.of(java, "-cp", cp, OrtAloneProcess.class.getName(), model.toString(),
                    images.toString(), Integer.toString(count), "8");
            Path log = work.resolve("ort-" + p + ".log");
            double wall = run(alone, Map.of(), log);
            Matcher m = PREP.matcher(Files.readString(log));
            ort[p] = wall - (m.find() ? Double.parseDouble(m.group(1)) / 1000 : 0);

            if (seed) {
                seedS[p] = run(List.of("/usr/bin/python3", "bench/seed_baseline.py", images.toString(), "--passes",
                        "1", "--warmup", "0"), Map.of(), work.resolve("seed-" + p + ".log"));
            }
            System.out.printf(Locale.ROOT, "process pass %d: build-index %.2f s%s, ORT alone %.2f s%s (%d images)%n",
                    p, product[p], cds ? String.format(Locale.ROOT, " (with AppCDS %.2f s)", withCds[p]) : "", ort[p],
                    seed ? String.format(Locale.ROOT, ", seed %.2f s", seedS[p]) : "", count);
        }
        double pm = median(product);
        double om = median(ort);
        double sm = seed ? median(seedS) : Double.NaN;
        System.out.printf(Locale.ROOT, "whole processes, %d images, medians: build-index %.2f s (%.2f images/s), ORT alone "
                + "%.2f s (%.2f/s), seed %s -> product/ORT %.3f, product/seed %s%n", count, pm, count / pm, om,
                count / om, seed ? String.format(Locale.ROOT, "%.2f s", sm) : "not run", om / pm,
                seed ? String.format(Locale.ROOT, "%.2f", sm / pm) : "n/a");
        System.out.printf(Locale.ROOT, "PROCESS {\"images\":%d,\"passes\":%d,\"build_s\":%.3f,\"ort_s\":%.3f,"
                + "\"seed_s\":%s,\"build_all\":\"%s\",\"ort_all\":\"%s\",\"seed_all\":\"%s\",\"jvm\":\"%s\","
                + "\"cds_s\":%s,\"cds_all\":\"%s\"}%n", count, passes, pm, om,
                seed ? String.format(Locale.ROOT, "%.3f", sm) : "\"n/a\"", list(product), list(ort), list(seedS),
                String.join(" ", jvm), cds ? String.format(Locale.ROOT, "%.3f", median(withCds)) : "\"n/a\"",
                list(withCds));
    }

    /** Runs a process to its end, output to {@code log}; returns its wall clock in seconds (fails on exit != 0). */
    static double run(List<String> command, Map<String, String> env, Path log) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        int rc = p.waitFor();
        double s = (System.nanoTime() - t0) / 1e9;
        if (rc != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + rc + "; see " + log);
        }
        return s;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String list(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double x : v) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", x));
        }
        return sb.toString();
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            Files.createDirectories(dir.getParent());
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private ProcessBench() {
    }
}
