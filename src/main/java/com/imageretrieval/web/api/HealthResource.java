package com.imageretrieval.web.api;

import com.imageretrieval.engine.EngineStatus;
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
        return new Json.Health(s.state(), s.modelLoaded(), s.indexReady(), s.images(),
                s.message() == null ? "" : s.message());
    }
}
