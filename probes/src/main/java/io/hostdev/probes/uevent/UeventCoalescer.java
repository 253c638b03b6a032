package io.hostdev.probes.uevent;

import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a burst of uevents into one {@link UeventBatch}: a batch is due once no event came for
 * {@code window}, or {@code maxDelay} after its first event even while events keep coming, so a
 * continuous storm still flushes. Pure logic over caller-supplied timestamps (nanoseconds, any
 * origin, as {@link System#nanoTime()}); not thread-safe.
 *
 * <p>Why paths and not events: one hot-plug is many uevents (a veth pair is 20: each interface
 * and its rx/tx queues), and all the agent needs is which subtrees to read again.
 */
final class UeventCoalescer {

    private final long windowNanos;
    private final long maxDelayNanos;
    private final int maxPaths;

    private final TreeSet<String> paths = new TreeSet<>();
    private int events;
    private boolean rescan;
    private long first;
    private long last;

    /**
     * @param maxPaths beyond this many distinct paths in one batch, it becomes a rescan: a full
     *                 probe is cheaper than that many targeted ones, and memory stays bounded
     */
    UeventCoalescer(long windowNanos, long maxDelayNanos, int maxPaths) {
        if (windowNanos < 0 || maxDelayNanos < windowNanos || maxPaths < 1) {
            throw new IllegalArgumentException("need 0 <= window <= maxDelay and maxPaths >= 1");
        }
        this.windowNanos = windowNanos;
        this.maxDelayNanos = maxDelayNanos;
        this.maxPaths = maxPaths;
    }

    /** Adds one event received at {@code now}. */
    void offer(Uevent e, long now) {
        touch(now);
        events++;
        if (rescan) {
            return;
        }
        add(e.devpath());
        if (e.kind() == Uevent.Kind.MOVE) {
            add(e.devpathOld());
        }
    }

    /** Events were lost at {@code now}: the batch becomes a rescan. */
    void overflow(long now) {
        touch(now);
        rescan = true;
        paths.clear();
    }

    /** True while something waits to be flushed. */
    boolean pending() {
        return events > 0 || rescan;
    }

    /** When the pending batch is due, {@link Long#MAX_VALUE} when nothing is pending. */
    long deadline() {
        if (!pending()) {
            return Long.MAX_VALUE;
        }
        return Math.min(last + windowNanos, first + maxDelayNanos);
    }

    /** The pending batch if it is due at {@code now} (it is then cleared), else null. */
    UeventBatch poll(long now) {
        return pending() && now - deadline() >= 0 ? flush() : null;
    }

    /** The pending batch whether due or not, null when there is none. */
    UeventBatch flush() {
        if (!pending()) {
            return null;
        }
        UeventBatch b = new UeventBatch(rescan, rescan ? new TreeSet<>() : topMost(paths), events);
        paths.clear();
        events = 0;
        rescan = false;
        return b;
    }

    private void touch(long now) {
        if (!pending()) {
            first = now;
        }
        last = now;
    }

    private void add(String devpath) {
        if (devpath == null || !devpath.startsWith("/")) {
            return;
        }
        String p = devpath.length() > 1 && devpath.endsWith("/") ? devpath.substring(0, devpath.length() - 1) : devpath;
        if (paths.add(p) && paths.size() > maxPaths) {
            rescan = true;
            paths.clear();
        }
    }

    /** The paths that have no ancestor in the set. */
    static TreeSet<String> topMost(Set<String> paths) {
        TreeSet<String> out = new TreeSet<>();
        for (String p : paths) {
            if (!hasAncestorIn(p, paths)) {
                out.add(p);
            }
        }
        return out;
    }

    private static boolean hasAncestorIn(String path, Set<String> set) {
        if (!"/".equals(path) && set.contains("/")) {
            return true;
        }
        for (int i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
            if (set.contains(path.substring(0, i))) {
                return true;
            }
        }
        return false;
    }
}
