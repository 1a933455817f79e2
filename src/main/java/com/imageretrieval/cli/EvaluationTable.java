package com.imageretrieval.cli;

import com.imageretrieval.analysis.EvaluationResult;
import com.imageretrieval.analysis.RetrievalMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code evaluate --table} prints: the figures and the confusion matrix as text tables. */
final class EvaluationTable {

    private EvaluationTable() {
    }

    /**
     * Per-class figures, then the confusion matrix (rows: query label, columns: label of the top-1 result).
     * <pre>
     * class       queries    P@1    P@5   P@10    mAP
     * daisy           633  0.930  0.901  0.880  0.801
     * ...
     * overall        3670  ...
     * </pre>
     */
    static String of(EvaluationResult r) {
        List<String> labels = new ArrayList<>(r.perClass().keySet());
        int width = Math.max("overall".length(), labels.stream().mapToInt(String::length).max().orElse(0));
        StringBuilder sb = new StringBuilder();
        String rowFormat = "%-" + width + "s  %7s  %6s  %6s  %6s  %6s%n";
        sb.append(String.format(Locale.ROOT, rowFormat, "class", "queries", "P@1", "P@5", "P@10", "mAP"));
        for (String label : labels) {
            metricsRow(sb, width, label, r.perClass().get(label));
        }
        metricsRow(sb, width, "overall", r.overall());
        sb.append(String.format(Locale.ROOT, "%n%d labelled images, %d queries (leave-one-out)%s, %d ms%n",
                r.images(), r.queries(), r.unlabelled() == 0 ? "" : ", " + r.unlabelled() + " unlabelled left out",
                r.millis()));

        sb.append(String.format(Locale.ROOT, "%nTop-1 confusion (rows: query class, columns: class of the first"
                + " result)%n"));
        int cell = Math.max(6, labels.stream().mapToInt(String::length).max().orElse(0));
        sb.append(String.format(Locale.ROOT, "%-" + width + "s", ""));
        for (String label : labels) {
            sb.append(String.format(Locale.ROOT, "  %" + cell + "s", label));
        }
        sb.append(System.lineSeparator());
        for (String row : labels) {
            sb.append(String.format(Locale.ROOT, "%-" + width + "s", row));
            Map<String, Integer> counts = r.confusion().getOrDefault(row, Map.of());
            for (String col : labels) {
                sb.append(String.format(Locale.ROOT, "  %" + cell + "d", counts.getOrDefault(col, 0)));
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static void metricsRow(StringBuilder sb, int width, String name, RetrievalMetrics m) {
        sb.append(String.format(Locale.ROOT, "%-" + width + "s  %7d  %6.3f  %6.3f  %6.3f  %6.3f%n", name, m.queries(),
                m.p1(), m.p5(), m.p10(), m.map()));
    }
}
