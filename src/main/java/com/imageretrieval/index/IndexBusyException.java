package com.imageretrieval.index;

/**
 * Another process builds this index now (opensearch: another node holds the build lease), so this one does not:
 * the engine answers "already running" to whoever asked, and a scheduled build simply tries again next time.
 */
public class IndexBusyException extends IndexStoreException {
    private static final long serialVersionUID = 1L;

    public IndexBusyException(String message) {
        super(message);
    }
}
