package com.imageretrieval.web.api;

import com.imageretrieval.engine.NotReadyException;
import com.imageretrieval.index.IndexSnapshot;
import com.imageretrieval.web.EngineService;

/** The current snapshot, or 503 carrying the engine's own explanation. */
final class Snapshots {

    private Snapshots() {
    }

    static IndexSnapshot current(EngineService service) throws NotReadyException {
        return service.engine().snapshot().orElseThrow(() -> {
            String why = service.engine().status().message();
            return new NotReadyException(why == null || why.isBlank() ? "the index is not ready yet" : why);
        });
    }
}
