package com.imageretrieval.web.api;

import com.imageretrieval.engine.EngineStatus;
import com.imageretrieval.json.Json;
import java.util.Optional;
import com.imageretrieval.web.EngineService;
import com.imageretrieval.web.errors.PublicText;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Always 200: the body says ok, building or degraded, and for degraded what to fix (the variable to set; absolute
 * paths and library text only in the log and the admin API).
 */
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
            return new Json.Health("building", s.modelLoaded(), s.indexReady(), s.images(),
                    PublicText.redact(downloading.get(), service.config()));
        }
        return new Json.Health(s.state(), s.modelLoaded(), s.indexReady(), s.images(),
                s.message() == null ? "" : PublicText.redact(s.message(), service.config()));
    }
}
