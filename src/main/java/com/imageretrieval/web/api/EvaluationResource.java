package com.imageretrieval.web.api;

import com.imageretrieval.web.errors.ErrorCode;
import com.imageretrieval.analysis.EvaluationException;
import com.imageretrieval.analysis.EvaluationResult;
import com.imageretrieval.engine.NotReadyException;
import com.imageretrieval.json.Json;
import com.imageretrieval.json.JsonAssembler;
import com.imageretrieval.web.EngineService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Leave-one-out retrieval quality of the index on its folder labels: computed on the first request after a build
 * that changed the index (seconds for a few thousand images), then served from the engine's cache.
 */
@Path("evaluation")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class EvaluationResource {

    @Inject
    EngineService service;

    @GET
    public Json.Evaluation evaluation() throws NotReadyException {
        // Leave-one-out over the index: bounded like searches (503 + Retry-After when busy).
        EvaluationResult r = Overload.admitted(service.analysisGate(), () -> {
            try {
                return service.engine().evaluation();
            } catch (EvaluationException e) {
                throw new ApiException(ErrorCode.NOT_EVALUABLE, e.getMessage());
            }
        });
        return JsonAssembler.evaluation(r);
    }
}
