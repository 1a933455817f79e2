package com.imageretrieval.web.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The API contract as OpenAPI 3 (the same file docs/api.md describes). */
@Path("openapi.yaml")
public class OpenApiResource {

    static final String RESOURCE = "/com/imageretrieval/web/openapi.yaml";

    @GET
    @Produces("application/yaml")
    public String openApi() throws IOException {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the WAR");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
