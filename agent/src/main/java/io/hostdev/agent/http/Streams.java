package io.hostdev.agent.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open watch streams: a count bounded by the subscriber limit (a slot is reserved before a
 * stream starts and freed when it ends, however it ends), heartbeats for all, and shutdown.
 */
final class Streams {

    private final int max;
    private final AtomicInteger slots = new AtomicInteger();
    private final Set<EventStream> open = ConcurrentHashMap.newKeySet();

    Streams(int max) {
        this.max = max;
    }

    /** Takes a slot for a new stream; false when every slot is taken (429). */
    boolean reserve() {
        while (true) {
            int n = slots.get();
            if (n >= max) {
                return false;
            }
            if (slots.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Records a stream in a reserved slot. */
    EventStream register(EventStream s) {
        open.add(s);
        return s;
    }

    /** A stream has ended: its slot is free. */
    void closed(EventStream s) {
        if (open.remove(s)) {
            slots.decrementAndGet();
        }
    }

    /** Streams open now. */
    int count() {
        return slots.get();
    }

    void heartbeat() {
        open.forEach(EventStream::heartbeat);
    }

    /** Closes the connections of streams whose write has waited longer than the limit. */
    void closeStalled(long limitNanos) {
        long now = System.nanoTime();
        open.forEach(s -> s.closeIfStalled(now, limitNanos));
    }

    /**
     * Ends every stream with a last comment and waits up to {@code timeoutMillis} for them to be
     * written; true when all ended in time (a client that stopped reading may not).
     */
    boolean shutdown(long timeoutMillis) throws InterruptedException {
        open.forEach(EventStream::shutdown);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return open.isEmpty();
    }
}
