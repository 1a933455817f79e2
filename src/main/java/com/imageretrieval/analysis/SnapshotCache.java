package com.imageretrieval.analysis;

import com.imageretrieval.index.IndexSnapshot;
import java.util.Objects;

/**
 * The last result of an analysis and the snapshot it was computed on. A result is reused for the same snapshot and
 * for any snapshot with the same content: equal image records (ids, paths, labels, sizes, times, hashes) and
 * bit-identical vectors, which is all an analysis reads. That matters because every build swaps in a new snapshot
 * instance, even one that found nothing to change (a scheduled reindex every few seconds would otherwise throw the
 * cache away each time). Not thread-safe: the owner synchronises.
 *
 * @param <K> what else the result depends on (a threshold), compared with equals
 * @param <R> the result
 */
final class SnapshotCache<K, R> {

    /** Strong: comparing content needs the old snapshot; on a hit it is replaced by the newer, equal one. */
    private IndexSnapshot snapshot;
    private K key;
    private R result;

    /** The cached result for this snapshot and key, or null. */
    R get(IndexSnapshot current, K currentKey) {
        if (snapshot == null || !Objects.equals(key, currentKey)) {
            return null;
        }
        if (snapshot == current) {
            return result;
        }
        if (snapshot.size() == current.size() && snapshot.images().equals(current.images())
                && snapshot.vectors().contentEquals(current.vectors())) {
            snapshot = current;  // hold the current one, let the old one go
            return result;
        }
        return null;
    }

    void put(IndexSnapshot current, K currentKey, R value) {
        snapshot = current;
        key = currentKey;
        result = value;
    }
}
