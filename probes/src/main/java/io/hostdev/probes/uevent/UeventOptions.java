package io.hostdev.probes.uevent;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link UeventMonitor} listens and batches.
 *
 * @param udevGroup          also join udevd's multicast group (group 2): events arrive a second
 *                           time, after udev's rules created /dev nodes and symlinks. Off by
 *                           default: the kernel group needs no udevd and is first
 * @param window             a batch is delivered once no uevent came for this long
 * @param maxDelay           ...or this long after its first uevent, however busy the storm
 * @param receiveBufferBytes the socket receive buffer asked for; a burst larger than the kernel's
 *                           doubled grant overflows (ENOBUFS) and turns into a rescan. 0 keeps the
 *                           kernel's default ({@code net.core.rmem_default})
 * @param maxPaths           distinct devpaths in one batch beyond which it becomes a rescan
 */
public record UeventOptions(boolean udevGroup, Duration window, Duration maxDelay, int receiveBufferBytes,
                            int maxPaths) {

    /**
     * 4 ms: a hot-plug's uevents come within about a millisecond of each other (a veth pair's 20
     * in well under one here), and issue 6 aims at a p50 of 20 ms from the plug to the client, of
     * which the window is pure wait (10 ms left too little for the reprobe and the journal's fsync).
     * An event that misses the window comes in the next batch: a second, small reprobe.
     */
    public static final Duration DEFAULT_WINDOW = Duration.ofMillis(4);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMillis(250);
    /** 4 MiB (8 MiB after the kernel doubles it): some 10,000 queued uevents; udevd asks for 128 MiB. */
    public static final int DEFAULT_RECEIVE_BUFFER = 4 * 1024 * 1024;
    public static final int DEFAULT_MAX_PATHS = 4096;

    public UeventOptions {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (window.isNegative() || maxDelay.compareTo(window) < 0) {
            throw new IllegalArgumentException("need 0 <= window <= maxDelay, got " + window + " and " + maxDelay);
        }
        if (receiveBufferBytes < 0 || maxPaths < 1) {
            throw new IllegalArgumentException("receiveBufferBytes >= 0 and maxPaths >= 1");
        }
    }

    public static UeventOptions defaults() {
        return new UeventOptions(false, DEFAULT_WINDOW, DEFAULT_MAX_DELAY, DEFAULT_RECEIVE_BUFFER, DEFAULT_MAX_PATHS);
    }

    public UeventOptions withUdevGroup(boolean udev) {
        return new UeventOptions(udev, window, maxDelay, receiveBufferBytes, maxPaths);
    }

    public UeventOptions withWindow(Duration w, Duration max) {
        return new UeventOptions(udevGroup, w, max, receiveBufferBytes, maxPaths);
    }

    public UeventOptions withReceiveBuffer(int bytes) {
        return new UeventOptions(udevGroup, window, maxDelay, bytes, maxPaths);
    }

    public UeventOptions withMaxPaths(int n) {
        return new UeventOptions(udevGroup, window, maxDelay, receiveBufferBytes, n);
    }
}
