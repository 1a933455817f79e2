package com.imageretrieval.web.api;

import com.imageretrieval.web.EngineService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * Server-Sent Events: {@code progress} while a build runs, then {@code done}; {@code idle} when none runs. At most
 * MAX_PROGRESS_STREAMS at once: one more gets 503 {@code overloaded} with Retry-After.
 */
@Path("index/progress")
@RequestScoped
public class ProgressResource {

    @Inject
    EngineService service;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void progress(@Context SseEventSink sink, @Context Sse sse) {
        if (!service.openProgressStream(sink, sse)) {
            throw Overload.overloaded("too many progress streams are open (MAX_PROGRESS_STREAMS="
                    + service.config().maxProgressStreams() + "); try again shortly");
        }
    }
}
