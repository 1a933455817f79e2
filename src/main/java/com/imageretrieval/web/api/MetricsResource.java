package com.imageretrieval.web.api;

import com.imageretrieval.web.EngineService;
import com.imageretrieval.web.errors.ErrorCode;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Prometheus scrape endpoint (text format 0.0.4; meters in {@link com.imageretrieval.metrics.AppMetrics}). Who may
 * read it is the METRICS setting: {@code admin} (default: Bearer ADMIN_TOKEN, like the admin API), {@code on}
 * (anyone; for a scraper inside a private network) or {@code off} (404).
 */
@Path("metrics")
@RequestScoped
public class MetricsResource {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    @Inject
    EngineService service;

    @GET
    @Produces(PROMETHEUS_TEXT)
    public String scrape(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        switch (service.config().metrics()) {
            case OFF -> throw new ApiException(ErrorCode.METRICS_OFF,
                    "the metrics endpoint is off: set METRICS=admin or METRICS=on on the server to enable it");
            case ADMIN -> AdminResource.authorize(service.config().adminToken(), authorization);
            case ON -> { }
        }
        return service.metrics().scrape();
    }
}
