package com.imageretrieval.web.api;

import com.imageretrieval.web.errors.ErrorCode;
import com.imageretrieval.config.AppConfig;
import com.imageretrieval.engine.NotReadyException;
import com.imageretrieval.engine.TextSearchUnavailableException;
import com.imageretrieval.image.DecodedImage;
import com.imageretrieval.image.ImageDecodeException;
import com.imageretrieval.index.SearchFilter;
import com.imageretrieval.index.SearchHit;
import com.imageretrieval.json.Json;
import com.imageretrieval.json.JsonAssembler;
import com.imageretrieval.metrics.SearchStage;
import com.imageretrieval.metrics.SearchTimings;
import com.imageretrieval.web.EngineService;
import com.imageretrieval.web.RequestClock;
import com.imageretrieval.web.guard.UploadGuardFilter;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityPart;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Upload an image (POST) or type a text (GET ?q=, with a text encoder configured), get the most similar indexed images
 * (optionally of one label, above a similarity). Both answer the same JSON.
 */
@Path("search")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class SearchResource {

    static final int MAX_TOP_K = 100;
    /** Also counted while the body streams (the upload guard); this check covers a framework that buffers first. */
    static final int MAX_PARTS = UploadGuardFilter.MAX_PARTS;
    /** Longer texts are refused rather than tokenised: CLIP reads 77 tokens, a few hundred characters at most. */
    static final int MAX_QUERY_CHARS = 1000;

    @Inject
    EngineService service;

    @Context
    HttpServletRequest request;

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Json.Search search(List<EntityPart> parts) throws NotReadyException, IOException {
        // From the request's arrival (RequestClock), so that "upload" includes the framework's multipart parsing.
        SearchTimings timings = new SearchTimings(RequestClock.start(request));
        AppConfig cfg = service.config();
        EntityPart image = null;
        String topKText = null;
        if (parts != null && parts.size() > MAX_PARTS) {
            throw new ApiException(ErrorCode.TOO_MANY_PARTS, "the form has " + parts.size()
                    + " parts; send at most " + MAX_PARTS + " (the field 'image' and optionally 'topK', 'label', 'minSimilarity')");
        }
        String label = null;
        String minSimilarityText = null;
        for (EntityPart p : parts == null ? List.<EntityPart>of() : parts) {
            if ("image".equals(p.getName()) && image == null) {
                image = p;
            } else if ("topK".equals(p.getName()) && topKText == null) {
                topKText = p.getContent(String.class);
            } else if ("label".equals(p.getName()) && label == null) {
                label = p.getContent(String.class);
            } else if ("minSimilarity".equals(p.getName()) && minSimilarityText == null) {
                minSimilarityText = p.getContent(String.class);
            }
        }
        // each also accepted as a query parameter
        if (topKText == null) {
            topKText = request.getParameter("topK");
        }
        if (label == null) {
            label = request.getParameter("label");
        }
        if (minSimilarityText == null) {
            minSimilarityText = request.getParameter("minSimilarity");
        }
        int topK = Params.intIn("topK", ErrorCode.BAD_TOP_K, topKText, cfg.topK(), 1, MAX_TOP_K);
        SearchFilter filter = Params.filter(label, minSimilarityText);
        if (image == null) {
            throw new ApiException(ErrorCode.MISSING_IMAGE,
                    "the multipart/form-data field 'image' with the query image is required");
        }
        byte[] bytes = Uploads.readAtMost(image.getContent(), cfg.maxUploadBytes(), cfg.maxUploadMb());
        MediaType declared = image.getMediaType();
        timings.lap(SearchStage.UPLOAD);
        // Decoding and the model are the CPU- and memory-heavy part: bounded by the gate (503 when it is full).
        // The wait for a permit, if any, is charged to "decode": it is time the client waits before decoding ends.
        List<SearchHit> hits = Overload.bounded(service.searchGate(), () -> {
            DecodedImage decoded = decode(bytes, declared);
            timings.lap(SearchStage.DECODE);
            return service.engine().search(decoded.image(), topK, filter, timings);
        });
        Json.Search answer = new Json.Search(results(hits, request.getContextPath(), cfg.staticPrefix()), topK,
                timings.totalNanos() / 1_000_000);
        service.metrics().recordSearch(timings);
        return answer;
    }

    /** Text to image: the text is embedded by the text encoder and searched like an image query. */
    @GET
    public Json.Search searchText(@QueryParam("q") String q, @QueryParam("topK") String topKText,
            @QueryParam("label") String label, @QueryParam("minSimilarity") String minSimilarityText)
            throws NotReadyException {
        long t0 = System.nanoTime();
        AppConfig cfg = service.config();
        int topK = Params.intIn("topK", ErrorCode.BAD_TOP_K, topKText, cfg.topK(), 1, MAX_TOP_K);
        SearchFilter filter = Params.filter(label, minSimilarityText);
        String text = validText(q);
        Optional<String> off = service.engine().textSearchProblem();
        if (off.isPresent()) {
            throw new ApiException(ErrorCode.TEXT_SEARCH_UNAVAILABLE, off.get());
        }
        // Bounded like an image query: one of the running + queued places (503 when none is free), then an
        // inference permit for the text model.
        List<SearchHit> hits = Overload.admitted(service.searchGate(), () -> {
            try {
                return service.engine().searchText(text, topK, filter);
            } catch (TextSearchUnavailableException e) {
                throw new ApiException(ErrorCode.TEXT_SEARCH_UNAVAILABLE, e.getMessage());
            }
        });
        return new Json.Search(results(hits, request.getContextPath(), cfg.staticPrefix()), topK,
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** The query text, trimmed; 400 when it is missing, blank or longer than {@link #MAX_QUERY_CHARS}. */
    static String validText(String q) {
        String text = q == null ? "" : q.strip();
        if (text.isEmpty()) {
            throw new ApiException(ErrorCode.MISSING_QUERY, "the query parameter 'q' with the text to search for is"
                    + " required (POST an image to search by image)");
        }
        if (text.codePointCount(0, text.length()) > MAX_QUERY_CHARS) {
            throw new ApiException(ErrorCode.QUERY_TOO_LONG, "the query has "
                    + text.codePointCount(0, text.length()) + " characters; at most " + MAX_QUERY_CHARS
                    + " are accepted");
        }
        return text;
    }

    /** Hits as the API writes them (also for "more like this"). */
    static List<Json.SearchResult> results(List<SearchHit> hits, String contextPath, String staticPrefix) {
        return JsonAssembler.results(hits, Links.images(contextPath, staticPrefix));
    }

    /**
     * The bytes decide, not the declared type (browsers label unknown files application/octet-stream); the declared
     * type only tells "not an image at all" (415) from "a broken image" (400).
     */
    private DecodedImage decode(byte[] bytes, MediaType declared) {
        try {
            return service.decoder().decode(bytes);
        } catch (ImageDecodeException e) {
            boolean declaredNonImage = declared != null && !declared.getType().equalsIgnoreCase("image")
                    && !declared.isCompatible(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                    && !declared.isWildcardType();
            switch (e.kind()) {
                case EMPTY:
                    throw new ApiException(ErrorCode.EMPTY_IMAGE, "the uploaded file is empty");
                case TOO_LARGE:
                    throw new ApiException(ErrorCode.TOO_MANY_PIXELS, e.getMessage());
                case UNSUPPORTED_TYPE:
                    throw unsupported(declared, e);
                default:
                    if (declaredNonImage) {
                        throw unsupported(declared, e);
                    }
                    throw new ApiException(ErrorCode.NOT_AN_IMAGE, "the upload is not a readable image: "
                            + e.getMessage());
            }
        }
    }

    private static ApiException unsupported(MediaType declared, ImageDecodeException e) {
        return new ApiException(ErrorCode.UNSUPPORTED_TYPE, "unsupported file type"
                + (declared == null ? "" : " (" + declared.getType() + "/" + declared.getSubtype() + ")")
                + ": upload a JPEG, PNG, GIF, BMP or WebP image (" + e.getMessage() + ")");
    }

    /** Bounded reading of the upload. */
    static final class Uploads {
        private Uploads() {
        }

        static byte[] readAtMost(InputStream in, long maxBytes, int maxMb) throws IOException {
            try (in) {
                byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
                if (bytes.length > maxBytes) {
                    throw new ApiException(ErrorCode.TOO_LARGE, "the upload is larger than MAX_UPLOAD_MB=" + maxMb
                            + " MB");
                }
                return bytes;
            }
        }
    }
}
