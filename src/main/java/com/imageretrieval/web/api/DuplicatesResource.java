package com.imageretrieval.web.api;

import com.imageretrieval.web.errors.ErrorCode;
import com.imageretrieval.analysis.DuplicateGroup;
import com.imageretrieval.analysis.DuplicateReport;
import com.imageretrieval.analysis.NearDuplicates;
import com.imageretrieval.engine.NotReadyException;
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
        String prefix = service.config().staticPrefix();
        String context = request.getContextPath();
        List<Json.DuplicateGroup> groups = r.groups().stream().map(g -> new Json.DuplicateGroup(g.exact(),
                g.sha256(), g.members().stream().map(m -> image(m, context, prefix)).toList())).toList();
        return new Json.Duplicates(r.threshold(), r.images(), r.pairs(), groups, r.millis(),
                r.generatedAt().toString());
    }

    private static Json.DuplicateImage image(DuplicateGroup.Member m, String context, String prefix) {
        return new Json.DuplicateImage(m.image().id(), m.image().path(), Links.image(context, prefix,
                m.image().path()), m.image().label(), m.similarity(), m.identical());
    }
}
