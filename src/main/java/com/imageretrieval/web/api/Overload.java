package com.imageretrieval.web.api;

import com.imageretrieval.engine.NotReadyException;
import com.imageretrieval.web.SearchGate;
import com.imageretrieval.web.errors.ErrorCode;

/** Runs work under a gate; a full gate or an interrupted wait is a 503 with Retry-After, never a 500. */
final class Overload {

    private Overload() {
    }

    static <T> T bounded(SearchGate gate, SearchGate.Work<T, NotReadyException> work) throws NotReadyException {
        try {
            return gate.infer(work);
        } catch (SearchGate.OverloadedException e) {
            throw overloaded(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw overloaded("the server is shutting down or busy; try again shortly");
        }
    }

    static ApiException overloaded(String message) {
        return new ApiException(ErrorCode.OVERLOADED, message);
    }
}
