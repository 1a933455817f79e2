package com.imageretrieval.web.api;

import com.imageretrieval.json.JsonAssembler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** URLs of dataset images as the static servlet serves them, relative to the server root. */
final class Links {

    private Links() {
    }

    /** {@link #image} for every path, as the JSON assembler asks for it. */
    static JsonAssembler.ImageUrls images(String contextPath, String staticPrefix) {
        return path -> image(contextPath, staticPrefix, path);
    }

    /** contextPath + STATIC_PREFIX + each path segment percent-encoded ("daisy/a b.jpg" -> "/dataset/daisy/a%20b.jpg"). */
    static String image(String contextPath, String staticPrefix, String relativePath) {
        StringBuilder b = new StringBuilder(contextPath == null ? "" : contextPath).append(staticPrefix);
        for (String segment : relativePath.split("/")) {
            if (!segment.isEmpty()) {
                b.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        return b.toString();
    }
}
