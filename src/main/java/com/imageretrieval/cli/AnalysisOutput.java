package com.imageretrieval.cli;

import com.imageretrieval.analysis.DuplicateGroup;
import com.imageretrieval.analysis.DuplicateReport;
import com.imageretrieval.analysis.EvaluationResult;
import com.imageretrieval.analysis.RetrievalMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code evaluate} and {@code duplicates} print: the same JSON as the REST API, and a text table. */
final class AnalysisOutput {

    private AnalysisOutput() {
    }

    /**
     * {@code {"overall":{"p@1":..,"p@5":..,"p@10":..,"map":..},"perClass":{"daisy":{...}},
     * "confusion":{"daisy":{"daisy":120,"tulips":3}},"images":N,"queries":Q,"unlabelled":U,"tookMs":T,
     * "generatedAt":"ISO-8601"}}
     */
    static String evaluationJson(EvaluationResult r) {
        JsonWriter w = new JsonWriter().beginObject().name("overall");
        metrics(w, r.overall());
        w.name("perClass").beginObject();
        for (Map.Entry<String, RetrievalMetrics> e : r.perClass().entrySet()) {
            w.name(e.getKey());
            metrics(w, e.getValue());
        }
        w.endObject().name("confusion").beginObject();
        for (Map.Entry<String, Map<String, Integer>> row : r.confusion().entrySet()) {
            w.name(row.getKey()).beginObject();
            for (Map.Entry<String, Integer> cell : row.getValue().entrySet()) {
                w.name(cell.getKey()).value(cell.getValue());
            }
            w.endObject();
        }
        return w.endObject()
                .name("images").value(r.images())
                .name("queries").value(r.queries())
                .name("unlabelled").value(r.unlabelled())
                .name("tookMs").value(r.millis())
                .name("generatedAt").value(r.generatedAt().toString())
                .endObject().toString();
    }

    private static void metrics(JsonWriter w, RetrievalMetrics m) {
        w.beginObject().name("p@1").value(m.p1()).name("p@5").value(m.p5()).name("p@10").value(m.p10())
                .name("map").value(m.map()).endObject();
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
    static String evaluationTable(EvaluationResult r) {
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

    /**
     * {@code {"threshold":0.98,"images":N,"pairs":P,"groups":[{"exact":true,"sha256":"..","images":[{"id":1,
     * "path":"..","label":"..","similarity":1.0,"identical":true},...]},...],"tookMs":T,"generatedAt":".."}}
     */
    static String duplicatesJson(DuplicateReport r) {
        JsonWriter w = new JsonWriter().beginObject()
                .name("threshold").value(r.threshold())
                .name("images").value(r.images())
                .name("pairs").value(r.pairs())
                .name("groups").beginArray();
        for (DuplicateGroup g : r.groups()) {
            w.beginObject().name("exact").value(g.exact()).name("sha256").value(g.sha256()).name("images")
                    .beginArray();
            for (DuplicateGroup.Member m : g.members()) {
                w.beginObject()
                        .name("id").value(m.image().id())
                        .name("path").value(m.image().path())
                        .name("label").value(m.image().label())
                        .name("similarity").value(m.similarity())
                        .name("identical").value(m.identical())
                        .endObject();
            }
            w.endArray().endObject();
        }
        return w.endArray()
                .name("tookMs").value(r.millis())
                .name("generatedAt").value(r.generatedAt().toString())
                .endObject().toString();
    }
}
