package com.imageretrieval.web.api;

import com.imageretrieval.engine.EngineStatus;
import com.imageretrieval.json.Json;
import java.util.Optional;
import com.imageretrieval.web.EngineService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Always 200: the body says ok, building or degraded, and for degraded what to fix. */
@Path("health")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

    @Inject
    EngineService service;

    @GET
    public Json.Health health() {
        EngineStatus s = service.engine().status();
        Optional<String> downloading = service.downloading();
        if (downloading.isPresent()) {
            // First start: the model or dataset is being fetched, after which the index is built.
            return new Json.Health("building", s.modelLoaded(), s.indexReady(), s.images(), downloading.get());
        }
        return new Json.Health(s.state(), s.modelLoaded(), s.indexReady(), s.images(),
                s.message() == null ? "" : s.message());
    }
}
