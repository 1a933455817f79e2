package com.imageretrieval.engine;

import com.imageretrieval.config.AppConfig;
import com.imageretrieval.features.Embedder;
import com.imageretrieval.index.IndexBackend;
import com.imageretrieval.index.IndexStore;
import com.imageretrieval.index.IndexStoreException;
import com.imageretrieval.index.IndexView;
import com.imageretrieval.index.opensearch.OpenSearchIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the engine does with the index at start-up: open the backend, load what was committed, and decide whether
 * it can be searched. Never throws: a problem becomes a message for {@link EngineStatus}.
 * <ul>
 *   <li>{@code INDEX_BACKEND=h2}: {@link IndexStore}; {@code opensearch}: {@link OpenSearchIndex}, whose cluster may
 *       be unreachable at first (reported, and looked for again later).</li>
 *   <li>An unreadable H2 file is moved aside and replaced by an empty database (the dataset still has every image,
 *       so nothing is lost and the index is rebuilt); a file locked by another process is left alone.</li>
 *   <li>An index made by another model than the loaded one is not searched (its vectors are not comparable with the
 *       queries) and is rebuilt.</li>
 * </ul>
 */
final class StartupRecovery {

    private static final Logger LOG = Logger.getLogger(StartupRecovery.class.getName());

    /**
     * @param backend       the opened backend, or null if it cannot be opened ({@code problem} says why)
     * @param view          the committed index, if the loaded model made it; else null
     * @param problem       why the backend cannot be used, or null
     * @param rebuildReason why the index needs a rebuild nobody asked for (moved aside, other model), or null
     */
    record Outcome(IndexBackend backend, IndexView view, String problem, String rebuildReason) {
    }

    private StartupRecovery() {
    }

    /** @param embedder the loaded model, or null if it failed to load (then no index is made searchable) */
    static Outcome open(AppConfig config, Embedder embedder) {
        if (config.indexBackend() == AppConfig.IndexBackend.OPENSEARCH) {
            return openOpenSearch(config, embedder);
        }
        String reason = null;
        IndexBackend backend = null;
        Optional<? extends IndexView> loaded;
        try {
            try {
                backend = IndexStore.open(config.artifactsDir());
                loaded = backend.load();
            } catch (IndexStoreException ex) {
                if (backend != null) {
                    backend.close();
                    backend = null;
                }
                reason = moveCorruptFileAside(config, ex);
                backend = IndexStore.open(config.artifactsDir());
                loaded = Optional.empty();
            }
        } catch (IndexStoreException ex) {
            LOG.log(Level.SEVERE, ex.getMessage(), ex);
            return new Outcome(null, null, ex.getMessage(), reason);
        }
        return adopt(backend, loaded, embedder, reason);
    }

    /**
     * The cluster may start after the app, so an unreachable cluster is not fatal: the backend is kept, the problem
     * is reported, and the engine looks again later ({@link IndexBackend#shared()}).
     */
    private static Outcome openOpenSearch(AppConfig config, Embedder embedder) {
        IndexBackend backend;
        try {
            backend = OpenSearchIndex.open(config.openSearch());
        } catch (IndexStoreException ex) {
            LOG.log(Level.SEVERE, ex.getMessage(), ex);
            return new Outcome(null, null, ex.getMessage(), null);
        }
        try {
            return adopt(backend, backend.load(), embedder, null);
        } catch (IndexStoreException ex) {
            LOG.log(Level.SEVERE, ex.getMessage(), ex);
            return new Outcome(backend, null, ex.getMessage(), null);
        }
    }

    /** The loaded index is searched only if the loaded model made it. */
    static Outcome adopt(IndexBackend backend, Optional<? extends IndexView> loaded, Embedder embedder,
                         String reason) {
        IndexView view = null;
        if (loaded.isPresent() && embedder != null) {
            IndexView v = loaded.get();
            String hash = v.metadata().modelHash();
            if (embedder.modelHash().equals(hash) && embedder.dimension() == v.dimension()) {
                view = v;
            } else {
                reason = "the index was made by another model (" + v.metadata().modelName() + ", "
                        + abbreviate(hash) + ") than the loaded one (" + embedder.modelName() + ", "
                        + abbreviate(embedder.modelHash()) + "); the index is being rebuilt";
                LOG.warning(reason);
            }
        }
        return new Outcome(backend, view, null, reason);
    }

    /** Moves an unreadable H2 file aside and returns the reason to show; rethrows what moving cannot fix. */
    private static String moveCorruptFileAside(AppConfig config, IndexStoreException ex) throws IndexStoreException {
        Path file = IndexStore.databaseFile(config.artifactsDir());
        if (ex.inUse() || !Files.exists(file)) {
            throw ex;
        }
        Path aside;
        try {
            aside = IndexStore.moveAside(config.artifactsDir());
        } catch (IOException io) {
            throw new IndexStoreException(ex.getMessage() + "; moving it aside failed too: " + io, ex);
        }
        String reason = "the index file " + file + " was unreadable (" + ex.getMessage() + ") and was moved to "
                + aside + "; the index is being rebuilt";
        LOG.log(Level.WARNING, reason, ex);
        return reason;
    }

    private static String abbreviate(String hash) {
        return hash == null ? "unknown" : hash.length() > 12 ? hash.substring(0, 12) : hash;
    }
}
