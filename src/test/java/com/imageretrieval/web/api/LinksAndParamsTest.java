package com.imageretrieval.web.api;

import com.imageretrieval.web.errors.ErrorCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LinksAndParamsTest {

    @Test
    void imageUrlsEncodeEachSegment() {
        assertEquals("/dataset/daisy/a%20b%2B%23.jpg", Links.image("", "/dataset", "daisy/a b+#.jpg"));
        assertEquals("/app/img/x.png", Links.image("/app", "/img", "x.png"));
        assertEquals("/dataset/%E8%8F%8A/1.jpg", Links.image(null, "/dataset", "菊/1.jpg"));
    }

    @Test
    void integersWithinBoundsOrA400NamingTheParameter() {
        assertEquals(12, Params.intIn("topK", ErrorCode.BAD_TOP_K, null, 12, 1, 100));
        assertEquals(5, Params.intIn("topK", ErrorCode.BAD_TOP_K, " 5 ", 12, 1, 100));
        for (String bad : new String[] {"0", "101", "x", "1e3", "-1"}) {
            ApiException e = assertThrows(ApiException.class, () -> Params.intIn("topK", ErrorCode.BAD_TOP_K, bad, 12, 1, 100));
            assertEquals(400, e.status());
            assertEquals("bad_top_k", e.code());
            assertEquals(true, e.getMessage().startsWith("topK"), e.getMessage());
        }
    }
}
