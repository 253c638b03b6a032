package io.hostdev.probes.uevent;

/**
 * What a {@link UeventMonitor} has seen since it was opened, for logs and metrics.
 *
 * @param received      datagrams received
 * @param parseFailures datagrams that were no well-formed uevent (or were cut at the buffer size)
 * @param rejected      well-formed uevents from an unexpected sender (a kernel-format message not
 *                      from port 0, or a udev message while the udev group is off), dropped
 * @param overflows     ENOBUFS results: the receive buffer overflowed and events were lost
 * @param batches       batches delivered
 */
public record UeventCounters(long received, long parseFailures, long rejected, long overflows, long batches) {
}
