package com.imageretrieval.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void escapesEverythingJsonRequires() {
        assertEquals("\"plain\"", JsonWriter.quote("plain"));
        assertEquals("\"a\\\"b\\\\c\"", JsonWriter.quote("a\"b\\c"));
        assertEquals("\"\\n\\r\\t\\b\\f\"", JsonWriter.quote("\n\r\t\b\f"));
        assertEquals("\"\\u0000\\u001f\\u007f\"", JsonWriter.quote("\u0000\u001f\u007f"));
        assertEquals("\"\\u2028\\u2029\"", JsonWriter.quote("\u2028\u2029"));
    }

    @Test
    void keepsUnicodeTextAndPairsButEscapesLoneSurrogates() {
        assertEquals("\"roses/été 🌹.jpg\"", JsonWriter.quote("roses/été 🌹.jpg"));
        assertEquals("\"x\\ud800y\"", JsonWriter.quote("x\ud800y"));
        assertEquals("\"\\udc00\"", JsonWriter.quote("\udc00"));
        assertEquals("\"/slash/is/fine\"", JsonWriter.quote("/slash/is/fine"));
    }

    @Test
    void writesNestedStructuresCompactly() {
        String json = new JsonWriter().beginObject()
                .name("a").value(1)
                .name("b").beginArray().value("x").value(true).value((String) null).beginObject().endObject().endArray()
                .name("c").beginArray().endArray()
                .endObject().toString();
        assertEquals("{\"a\":1,\"b\":[\"x\",true,null,{}],\"c\":[]}", json);
    }

    @Test
    void floatsUseTheirShortestForm() {
        assertEquals("[0.97,1.0,-0.25,1.0E-5]", new JsonWriter().beginArray()
                .value(0.97f).value(1.0f).value(-0.25f).value(1e-5f).endArray().toString());
    }

    @Test
    void refusesWhatJsonCannotSay() {
        assertThrows(IllegalArgumentException.class, () -> new JsonWriter().beginArray().value(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> new JsonWriter().beginArray().value(Double.POSITIVE_INFINITY));
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().value("no name"));
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginArray().name("x"));
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginArray().toString());
        assertThrows(IllegalStateException.class, () -> new JsonWriter().value(1).value(2));
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().endArray());
    }
}
