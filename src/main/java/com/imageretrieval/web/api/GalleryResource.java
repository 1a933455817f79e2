package com.imageretrieval.web.api;

import com.imageretrieval.web.errors.ErrorCode;
import com.imageretrieval.engine.NotReadyException;
import com.imageretrieval.index.GalleryPage;
import com.imageretrieval.json.Json;
import com.imageretrieval.json.JsonAssembler;
import com.imageretrieval.web.EngineService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.stream.Stream;

/** Pages through the indexed images, optionally of one label. */
@Path("gallery")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class GalleryResource {

    static final int DEFAULT_LIMIT = 24;
    static final int MAX_LIMIT = 200;

    @Inject
    EngineService service;

    @Context
    HttpServletRequest request;

    @GET
    public Json.Gallery gallery(@QueryParam("limit") String limitText, @QueryParam("offset") String offsetText,
            @QueryParam("label") String label) throws NotReadyException {
        int limit = Params.intIn("limit", ErrorCode.BAD_LIMIT, limitText, DEFAULT_LIMIT, 1, MAX_LIMIT);
        int offset = Params.intIn("offset", ErrorCode.BAD_OFFSET, offsetText, 0, 0, Integer.MAX_VALUE);
        GalleryPage matching = service.engine().gallery(label, offset, limit);
        String prefix = service.config().staticPrefix();
        List<Json.GalleryImage> page = matching.images().stream()
                .map(r -> JsonAssembler.image(r, Links.images(request.getContextPath(), prefix)))
                .toList();
        List<Json.ClassCount> classes = service.engine().stats().classCounts().entrySet().stream()
                .flatMap(e -> Stream.of(new Json.ClassCount(e.getKey(), e.getValue()))).toList();
        return new Json.Gallery(page, classes, matching.total());
    }
}
