package com.imageretrieval.web.api;

import com.imageretrieval.engine.IndexStats;
import com.imageretrieval.engine.NotReadyException;
import com.imageretrieval.index.IndexMetadata;
import com.imageretrieval.json.Json;
import com.imageretrieval.web.EngineService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Figures of the current index. */
@Path("stats")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {

    @Inject
    EngineService service;

    @GET
    public Json.Stats stats() throws NotReadyException {
        IndexStats stats = service.engine().stats();
        IndexMetadata meta = stats.metadata();
        String device = meta != null && meta.device() != null ? meta.device()
                : service.engine().embedder().map(e -> e.device()).orElse("cpu");
        return new Json.Stats(stats.images(), stats.dimension(),
                meta == null || meta.builtAt() == null ? null : meta.builtAt().toString(), device,
                meta == null ? null : meta.modelName(), stats.classCounts(), service.engine().textSearchAvailable());
    }
}
