package com.imageretrieval.web.api;

import com.imageretrieval.web.errors.ErrorCode;
import com.imageretrieval.analysis.DuplicateReport;
import com.imageretrieval.analysis.NearDuplicates;
import com.imageretrieval.engine.NotReadyException;
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

/** Groups of near-identical and byte-identical images in the index (cached per threshold until the index changes). */
@Path("duplicates")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class DuplicatesResource {

    @Inject
    EngineService service;

    @Context
    HttpServletRequest request;

    @GET
    public Json.Duplicates duplicates(@QueryParam("threshold") String thresholdText) throws NotReadyException {
        double threshold = Params.doubleIn("threshold", ErrorCode.BAD_THRESHOLD, thresholdText,
                NearDuplicates.DEFAULT_THRESHOLD, -1, 1);
        // All pairs of the index: CPU-heavy on a cache miss, so bounded like searches (503 + Retry-After when busy).
        DuplicateReport r = Overload.admitted(service.analysisGate(), () -> service.engine().duplicates(threshold));
        return JsonAssembler.duplicates(r, Links.images(request.getContextPath(), service.config().staticPrefix()));
    }
}
