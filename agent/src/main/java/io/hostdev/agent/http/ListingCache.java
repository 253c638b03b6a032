package io.hostdev.agent.http;

import io.hostdev.agent.service.StateSnapshot;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rendered {@code GET /v1/devices} bodies of the current state, by selector and media type. Many
 * clients poll the same few selectors while the tree changes rarely; rendering a listing of
 * thousands of devices costs tens of milliseconds, copying it from here almost nothing.
 *
 * <p>Entries belong to one {@link StateSnapshot} (by identity): a new snapshot empties the cache,
 * so an answer is never older than the state it names in its cursor. Bounded by entry count and
 * total bytes, least recently used out first; a body larger than the byte bound is not kept.
 */
final class ListingCache {

    private record Key(String selector, String type) {
    }

    private final int maxEntries;
    private final long maxBytes;
    private final LinkedHashMap<Key, byte[]> entries = new LinkedHashMap<>(16, 0.75f, true);
    private StateSnapshot snapshot;
    private long bytes;

    ListingCache(int maxEntries, long maxBytes) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /** The body rendered for {@code snap}, {@code selector} (as written; null for none) and {@code type}; null if none is kept. */
    synchronized byte[] get(StateSnapshot snap, String selector, String type) {
        return snap == snapshot ? entries.get(new Key(selector, type)) : null;
    }

    /** Keeps a body rendered for {@code snap}; a snapshot other than the cached one replaces them all. */
    synchronized void put(StateSnapshot snap, String selector, String type, byte[] body) {
        if (snap != snapshot) {
            entries.clear();
            bytes = 0;
            snapshot = snap;
        }
        if (body.length > maxBytes) {
            return;
        }
        byte[] old = entries.put(new Key(selector, type), body);
        bytes += body.length - (old == null ? 0 : old.length);
        Iterator<Map.Entry<Key, byte[]>> eldest = entries.entrySet().iterator();
        while ((entries.size() > maxEntries || bytes > maxBytes) && eldest.hasNext()) {
            bytes -= eldest.next().getValue().length;
            eldest.remove();
        }
    }

    /** Entries kept now. */
    synchronized int size() {
        return entries.size();
    }
}
