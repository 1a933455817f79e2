package com.imageretrieval.web.api;

import com.imageretrieval.web.SearchGate;
import com.imageretrieval.web.errors.ErrorCode;

/** Runs work under a gate; a full gate or an interrupted wait is a 503 with Retry-After, never a 500. */
final class Overload {

    private Overload() {
    }

    static <T, E extends Exception> T bounded(SearchGate gate, SearchGate.Work<T, E> work) throws E {
        try {
            return gate.infer(work);
        } catch (SearchGate.OverloadedException e) {
            throw overloaded(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw overloaded("the server is shutting down or busy; try again shortly");
        }
    }

    /**
     * Admission and a turn in one step, for work that has no upload to guard (analyses): a full gate is a 503 at once,
     * and the wait for a turn is bounded like a search's.
     */
    static <T, E extends Exception> T admitted(SearchGate gate, SearchGate.Work<T, E> work) throws E {
        java.util.Optional<SearchGate.Ticket> ticket = gate.tryAdmit();
        if (ticket.isEmpty()) {
            throw overloaded(gate.overloadMessage());
        }
        try (SearchGate.Ticket t = ticket.get()) {
            return bounded(gate, work);
        }
    }

    static ApiException overloaded(String message) {
        return new ApiException(ErrorCode.OVERLOADED, message);
    }
}
