package com.imageretrieval.index.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import java.io.StringReader;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one JSON encoding of vectors sent to OpenSearch, for stored documents and k-NN queries alike. */
class VectorJsonTest {

    @Test
    void everyFloatReadsBackExactlyFromItsShortestDecimal() {
        Random random = new Random(11);
        float[] v = new float[2048];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian() / 45f;
        }
        v[0] = Float.MIN_VALUE;
        v[1] = -0.0f;
        v[2] = 1f;
        v[3] = 0.1f; // prints 0.10000000149011612 as a double
        String text = OpenSearchIndex.vectorJson(v).build().toString();
        JsonArray back = Json.createReader(new StringReader(text)).readArray();
        for (int i = 0; i < v.length; i++) {
            // exact (delta 0); -0 comes back as 0, the same number to every dot product
            assertEquals(v[i], (float) back.getJsonNumber(i).doubleValue(), 0f, "element " + i);
        }
        assertTrue(text.contains(",0.1,"), "0.1f as 0.1, not the double's 20 digits: " + text.substring(0, 80));
        // The double's text of the same numbers is about twice as long: that is what every query used to carry.
        StringBuilder doubles = new StringBuilder();
        for (float x : v) {
            doubles.append(Json.createValue((double) x)).append(',');
        }
        assertTrue(text.length() * 1.5 < doubles.length(), text.length() + " vs " + doubles.length());
    }
}
