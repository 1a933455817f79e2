package com.imageretrieval.web.api;

import com.imageretrieval.web.errors.ErrorCode;
import com.imageretrieval.engine.ImageNotFoundException;
import com.imageretrieval.engine.NotReadyException;
import com.imageretrieval.index.SimilarImages;
import com.imageretrieval.index.SearchFilter;
import com.imageretrieval.json.Json;
import com.imageretrieval.json.JsonAssembler;
import com.imageretrieval.web.EngineService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/** "More like this": the images most similar to an indexed one, searched with its stored vector. */
@Path("images")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ImagesResource {

    @Inject
    EngineService service;

    @Context
    HttpServletRequest request;

    @GET
    @Path("{id}/similar")
    public Json.Similar similar(@PathParam("id") String idText, @QueryParam("topK") String topKText,
            @QueryParam("label") String label, @QueryParam("minSimilarity") String minSimilarity)
            throws NotReadyException {
        long t0 = System.nanoTime();
        int topK = Params.intIn("topK", ErrorCode.BAD_TOP_K, topKText, service.config().topK(), 1, SearchResource.MAX_TOP_K);
        SearchFilter filter = Params.filter(label, minSimilarity);
        long id;
        try {
            id = Long.parseLong(idText.trim());
        } catch (NumberFormatException e) {
            throw notFound("no image with id '" + (idText.length() > 40 ? idText.substring(0, 40) + "..." : idText)
                    + "': ids are the numbers the search and gallery answers give");
        }
        SimilarImages similar;
        try {
            similar = service.engine().similar(id, topK, filter);
        } catch (ImageNotFoundException e) {
            throw notFound(e.getMessage());
        }
        String prefix = service.config().staticPrefix();
        String context = request.getContextPath();
        Json.GalleryImage self = JsonAssembler.image(similar.image(), Links.images(context, prefix));
        return new Json.Similar(self, SearchResource.results(similar.hits(), context, prefix), topK,
                (System.nanoTime() - t0) / 1_000_000);
    }

    private static ApiException notFound(String message) {
        return new ApiException(ErrorCode.IMAGE_NOT_FOUND, message);
    }
}
