package com.imageretrieval.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The application's meters in one Micrometer registry, written in the Prometheus text format by {@link #scrape()}.
 * Names (as Prometheus shows them):
 * <ul>
 *   <li>{@code imageretrieval_search_stage_seconds{stage=upload|decode|preprocess|inference|scan}}: histogram per
 *       stage of a search ({@link SearchStage});</li>
 *   <li>{@code imageretrieval_search_seconds}: histogram of whole searches, request to answer;
 *       {@code imageretrieval_searches_total}: answered searches (rate() gives searches/s);</li>
 *   <li>{@code imageretrieval_search_overloaded_total}: searches refused with 503 because the gate was full;</li>
 *   <li>{@code imageretrieval_index_images}, {@code imageretrieval_build_running},
 *       {@code imageretrieval_build_done_images}, {@code imageretrieval_build_total_images},
 *       {@code imageretrieval_build_rate_images_per_second}: the index and the build in progress;</li>
 *   <li>{@code imageretrieval_model_info{model,device}}: always 1, the labels name the loaded model and device;</li>
 *   <li>{@code imageretrieval_model_runs_total{width=wide|narrow}}: model runs over every core and on one core
 *       ({@code features.Threading}); a rising share of narrow runs means searches are meeting each other.</li>
 * </ul>
 * Histogram buckets are fixed (1 ms to 10 s), so every server exposes the same series. Thread-safe.
 */
public final class AppMetrics implements AutoCloseable {

    /** Bucket bounds of every latency histogram: dense where searches fall (10 to 200 ms). */
    static final Duration[] BUCKETS = {ms(1), ms(2), ms(5), ms(10), ms(20), ms(30), ms(40), ms(50), ms(60), ms(80),
        ms(100), ms(150), ms(200), ms(300), ms(500), ms(1000), ms(2000), ms(5000), ms(10_000)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<SearchStage, Timer> stages = new EnumMap<>(SearchStage.class);
    private final Timer total;
    private final Counter searches;
    private Gauge modelInfo;

    public AppMetrics() {
        for (SearchStage s : SearchStage.values()) {
            stages.put(s, histogram("imageretrieval.search.stage", "Time per stage of POST /api/search")
                    .tag("stage", s.tag()).register(registry));
        }
        total = histogram("imageretrieval.search", "Whole POST /api/search, request to answer").register(registry);
        searches = Counter.builder("imageretrieval.searches").description("Searches answered (200)")
                .register(registry);
    }

    private static Timer.Builder histogram(String name, String help) {
        return Timer.builder(name).description(help).serviceLevelObjectives(BUCKETS)
                .minimumExpectedValue(BUCKETS[0]).maximumExpectedValue(BUCKETS[BUCKETS.length - 1]);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    /** Records one answered search: its timed stages and its total. */
    public void recordSearch(SearchTimings t) {
        for (SearchStage s : SearchStage.values()) {
            if (t.timed(s)) {
                stages.get(s).record(t.nanos(s), TimeUnit.NANOSECONDS);
            }
        }
        total.record(t.totalNanos(), TimeUnit.NANOSECONDS);
        searches.increment();
    }

    /** A monotonic count read from {@code source} at each scrape (e.g. the gate's refusals); tags as key, value. */
    public <T> void counter(String name, String help, T source, ToDoubleFunction<T> count, String... tags) {
        FunctionCounter.builder(name, source, count).description(help).tags(tags).register(registry);
    }

    /** A value read at each scrape; the supplier is held strongly and may return null (no value). */
    public void gauge(String name, String help, Supplier<Number> value) {
        Gauge.builder(name, value).description(help).strongReference(true).register(registry);
    }

    /** Replaces the model info series: {@code imageretrieval_model_info{model=..., device=...} 1}. */
    public synchronized void modelInfo(String model, String device) {
        if (modelInfo != null) {
            registry.remove(modelInfo);
        }
        modelInfo = Gauge.builder("imageretrieval.model.info", () -> 1).description("The loaded model and device")
                .tag("model", model).tag("device", device).strongReference(true).register(registry);
    }

    /** Every meter in the Prometheus text format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        registry.close();
    }
}
