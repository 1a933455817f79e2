package com.imageretrieval.web.api;

import com.imageretrieval.json.Json;
import com.imageretrieval.web.AdminAuth;
import com.imageretrieval.web.EngineService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Reindex on demand and its status; Bearer ADMIN_TOKEN, and closed (403) when no token is configured. */
@Path("admin/reindex")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    @Inject
    EngineService service;

    @POST
    public Response reindex(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        authorize(authorization);
        return switch (service.startReindex("admin API")) {
            case STARTED -> Response.accepted(new Json.ReindexStarted("started", "/api/index/progress"))
                    .header(HttpHeaders.LOCATION, "/api/admin/reindex").build();
            case ALREADY_RUNNING -> throw new ApiException(409, "build_in_progress",
                    "an index build is already running; GET /api/admin/reindex shows its progress");
            case NOT_READY -> throw new ApiException(503, "not_ready", service.engine().status().message(),
                    Map.of(HttpHeaders.RETRY_AFTER, ErrorResponses.RETRY_AFTER_SECONDS));
        };
    }

    @GET
    public Json.ReindexStatus status(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        authorize(authorization);
        var s = service.engine().status();
        return new Json.ReindexStatus(s.building(), s.images(), service.engine().progress().orElse(null),
                service.engine().lastBuild().orElse(null));
    }

    private void authorize(String authorization) {
        authorize(service.config().adminToken(), authorization);
    }

    /** 403 when no token is configured, 401 without the right Bearer token (also used by /api/metrics). */
    static void authorize(String configuredToken, String authorization) {
        switch (AdminAuth.check(configuredToken, authorization)) {
            case DISABLED -> throw new ApiException(403, "admin_disabled",
                    "the admin API is disabled: set ADMIN_TOKEN on the server to enable it");
            case UNAUTHORIZED -> throw new ApiException(401, "unauthorized",
                    "send the header 'Authorization: Bearer <ADMIN_TOKEN>'",
                    Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"image-retrieval\""));
            case ALLOWED -> { }
        }
    }
}
