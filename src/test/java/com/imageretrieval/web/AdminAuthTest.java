package com.imageretrieval.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.imageretrieval.web.AdminAuth.Outcome;
import org.junit.jupiter.api.Test;

class AdminAuthTest {

    @Test
    void closedWhenNoTokenIsConfigured() {
        assertEquals(Outcome.DISABLED, AdminAuth.check(null, "Bearer anything"));
        assertEquals(Outcome.DISABLED, AdminAuth.check("", null));
    }

    @Test
    void onlyTheExactBearerTokenIsAllowed() {
        assertEquals(Outcome.ALLOWED, AdminAuth.check("s3cret", "Bearer s3cret"));
        assertEquals(Outcome.ALLOWED, AdminAuth.check("s3cret", "bearer  s3cret "));
        assertEquals(Outcome.UNAUTHORIZED, AdminAuth.check("s3cret", null));
        assertEquals(Outcome.UNAUTHORIZED, AdminAuth.check("s3cret", "Bearer "));
        assertEquals(Outcome.UNAUTHORIZED, AdminAuth.check("s3cret", "Bearer s3cre"));
        assertEquals(Outcome.UNAUTHORIZED, AdminAuth.check("s3cret", "Bearer s3cret2"));
        assertEquals(Outcome.UNAUTHORIZED, AdminAuth.check("s3cret", "Basic czNjcmV0"));
        assertEquals(Outcome.UNAUTHORIZED, AdminAuth.check("s3cret", "s3cret"));
    }
}
