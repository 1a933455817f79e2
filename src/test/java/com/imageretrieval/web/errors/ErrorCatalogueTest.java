package com.imageretrieval.web.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ErrorCatalogueTest {

    @Test
    void everyCodeIsSpelledOnceAndOnlyTheComeBackLaterAnswersCarryRetryAfter() {
        assertEquals(ErrorCode.values().length,
                new HashSet<>(Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList()).size());
        for (ErrorCode e : ErrorCode.values()) {
            assertTrue(e.code().matches("[a-z_]+"), e.code());
            assertEquals(e.status() == 503, e.retryAfter().isPresent(), e.name());
        }
        assertEquals(Optional.of("10"), ErrorCode.NOT_READY.retryAfter());
        assertEquals(Optional.of("2"), ErrorCode.OVERLOADED.retryAfter());
    }

    @Test
    void containerStatusesMapToGenericCodes() {
        assertEquals(ErrorCode.NOT_FOUND, ErrorCode.forStatus(404));
        assertEquals(ErrorCode.TOO_LARGE, ErrorCode.forStatus(413));
        assertEquals(ErrorCode.INTERNAL, ErrorCode.forStatus(502));
        assertEquals(ErrorCode.BAD_REQUEST, ErrorCode.forStatus(418));
    }

    @Test
    void servletBodiesAreValidJsonWhateverTheMessageHolds() {
        String hostile = "a\"b\\c\n\r\t\u0000\u001f\u2028</script>\ud83d\ude00";
        JsonObject o = Json.createReader(new ByteArrayInputStream(JsonErrors.body(ErrorCode.NOT_FOUND, hostile)))
                .readObject();
        assertEquals("not_found", o.getString("error"));
        assertEquals(hostile, o.getString("message"));
        assertEquals(2, o.size());
    }
}
