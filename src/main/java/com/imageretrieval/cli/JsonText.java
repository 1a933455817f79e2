package com.imageretrieval.cli;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

/**
 * Writes the {@link com.imageretrieval.json.Json} records as the servers do: JSON-B with its default configuration
 * (Yasson, bundled in the CLI jar), so that the CLI's JSON and the API's JSON of the same thing are the same.
 */
public final class JsonText {

    /** Thread-safe once built; built on first use (commands that print no JSON never load Yasson). */
    private static final class Holder {
        static final Jsonb JSONB = JsonbBuilder.create();
    }

    private JsonText() {
    }

    /** One line of compact JSON. */
    public static String write(Object body) {
        return Holder.JSONB.toJson(body);
    }
}
