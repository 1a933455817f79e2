package com.imageretrieval.web.api;

import com.imageretrieval.web.errors.ErrorCode;
import com.imageretrieval.json.Json;
import com.imageretrieval.web.AdminAuth;
import com.imageretrieval.web.EngineService;
import com.imageretrieval.web.errors.PublicText;
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
            case ALREADY_RUNNING -> throw new ApiException(ErrorCode.BUILD_IN_PROGRESS,
                    "an index build is already running; GET /api/admin/reindex shows its progress");
            case NOT_READY -> throw new ApiException(ErrorCode.NOT_READY,
                    PublicText.redact(service.engine().status().message(), service.config()));
        };
    }

    @GET
    public Json.ReindexStatus status(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        authorize(authorization);
        var s = service.engine().status();
        // Admin only: the engine's full message (paths, library text) and the failed files with their reasons.
        return new Json.ReindexStatus(s.building(), s.images(), service.engine().progress().orElse(null),
                service.engine().lastBuild().orElse(null), s.message());
    }

    private void authorize(String authorization) {
        authorize(service.config().adminToken(), authorization);
    }

    /** 403 when no token is configured, 401 without the right Bearer token (also used by /api/metrics). */
    static void authorize(String configuredToken, String authorization) {
        switch (AdminAuth.check(configuredToken, authorization)) {
            case DISABLED -> throw new ApiException(ErrorCode.ADMIN_DISABLED,
                    "the admin API is disabled: set ADMIN_TOKEN on the server to enable it");
            case UNAUTHORIZED -> throw new ApiException(ErrorCode.UNAUTHORIZED,
                    "send the header 'Authorization: Bearer <ADMIN_TOKEN>'",
                    Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"image-retrieval\""));
            case ALLOWED -> { }
        }
    }
}
