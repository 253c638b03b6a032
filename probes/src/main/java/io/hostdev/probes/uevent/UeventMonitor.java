package io.hostdev.probes.uevent;

import io.hostdev.probes.HostRoot;

import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Listens to the kernel's device events ({@code NETLINK_KOBJECT_UEVENT}, netlink(7)) and hands
 * them on in coalesced {@link UeventBatch}es, so the agent can reprobe exactly the devices that
 * changed instead of waiting for its next full scan. Needs no udevd: it joins the kernel's own
 * multicast group. See docs/uevents.md.
 *
 * <pre>{@code
 * UeventMonitor.Open open = UeventMonitor.open(root, UeventOptions.defaults());
 * if (open instanceof UeventMonitor.Absent a) {
 *     log.info("uevent: " + a);              // once; polling alone then
 * } else if (open instanceof UeventMonitor.Available a) {
 *     a.monitor().start(batch -> ...);       // on the monitor's own daemon thread
 * }
 * }</pre>
 *
 * <p>One reader thread blocks in {@code poll(2)} on the socket and a wake-up pipe: idle, it makes
 * no system call. Batches are delivered on that thread; a slow consumer delays reading, and the
 * kernel buffers meanwhile (then overflows into a rescan batch).
 */
public final class UeventMonitor implements AutoCloseable {

    /** The source id in config, logs, metrics and provenance. */
    public static final String ID = "uevent";

    private static final System.Logger LOG = System.getLogger(UeventMonitor.class.getName());
    /** Messages read per wake-up before the batch deadline is looked at again, so a storm still flushes. */
    private static final int DRAIN_LIMIT = 256;
    private static final long JOIN_MILLIS = 2000;

    /** What {@link #open} gives: a monitor, or why there is none here. */
    public sealed interface Open permits Available, Absent {
        default Optional<UeventMonitor> available() {
            return this instanceof Available a ? Optional.of(a.monitor()) : Optional.empty();
        }
    }

    public record Available(UeventMonitor monitor) implements Open {
    }

    /** The kernel or platform does not let us listen; {@code reason} is one sentence to log once. */
    public record Absent(String reason) implements Open {
        @Override
        public String toString() {
            return "absent: " + reason;
        }
    }

    private final HostRoot root;
    private final UeventOptions options;
    private final NetlinkUeventSocket socket;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong parseFailures = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong overflows = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();

    private Thread reader;
    private volatile boolean closing;
    private volatile String failure;

    private UeventMonitor(HostRoot root, UeventOptions options, NetlinkUeventSocket socket) {
        this.root = root;
        this.options = options;
        this.socket = socket;
    }

    /**
     * Opens the socket; not listening until {@link #start}. Events queue in the kernel meanwhile
     * (up to the receive buffer). Never throws for a refusal: not Linux, no JNA support, a
     * sandbox without netlink, EPERM... are an {@link Absent}.
     *
     * @param root where devpaths are mapped to ({@link UeventBatch#sysPaths}); the events come from
     *             the running kernel, so this is the live root or the host's mounted at, e.g.,
     *             {@code /host}
     */
    public static Open open(HostRoot root, UeventOptions options) {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(options, "options");
        NetlinkUeventSocket.Opening o = NetlinkUeventSocket.open(options.udevGroup(), options.receiveBufferBytes());
        return o.socket() == null ? new Absent(o.absentReason()) : new Available(new UeventMonitor(root, options, o.socket()));
    }

    public HostRoot root() {
        return root;
    }

    public UeventOptions options() {
        return options;
    }

    /** The receive buffer the kernel granted, in its doubled accounting; -1 when unknown. */
    public int receiveBuffer() {
        return socket.receiveBuffer();
    }

    /** {@link #start(Consumer, Consumer)} without a per-event tap. */
    public void start(Consumer<UeventBatch> batchSink) {
        start(batchSink, e -> { });
    }

    /**
     * Starts the reader thread. Both consumers run on it: {@code eventTap} for every accepted
     * uevent as it arrives (keep it cheap: logging, metrics, tests), {@code batchSink} for each
     * coalesced batch. An exception from either is logged and does not stop the monitor.
     */
    public synchronized void start(Consumer<UeventBatch> batchSink, Consumer<Uevent> eventTap) {
        Objects.requireNonNull(batchSink, "batchSink");
        Objects.requireNonNull(eventTap, "eventTap");
        if (closing) {
            throw new IllegalStateException("closed");
        }
        if (reader != null) {
            throw new IllegalStateException("already started");
        }
        reader = new Thread(() -> run(batchSink, eventTap), "hostdev-uevent");
        reader.setDaemon(true);
        reader.start();
    }

    public UeventCounters counters() {
        return new UeventCounters(received.get(), parseFailures.get(), rejected.get(), overflows.get(), batches.get());
    }

    /** Why the reader stopped on its own (an unexpected errno), empty while it runs or after {@link #close}. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** The reader thread, null before {@link #start}: for CPU accounting in tests and benchmarks. */
    Thread readerThread() {
        return reader;
    }

    /** Stops the reader (a pending batch is dropped) and closes the socket. Idempotent. */
    @Override
    public synchronized void close() {
        if (closing) {
            return;
        }
        closing = true;
        if (reader == null) {
            socket.close();
            return;
        }
        socket.wake();
        if (reader != Thread.currentThread()) {
            try {
                reader.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run(Consumer<UeventBatch> batchSink, Consumer<Uevent> eventTap) {
        UeventCoalescer coalescer = new UeventCoalescer(options.window().toNanos(), options.maxDelay().toNanos(),
                options.maxPaths());
        boolean sinkFailed = false;
        try {
            while (!closing) {
                long deadline = coalescer.deadline();
                NetlinkUeventSocket.Status ready = socket.await(timeoutMillis(deadline, System.nanoTime()));
                if (closing) {
                    break;
                }
                if (ready == NetlinkUeventSocket.Status.FAILED) {
                    fail("poll");
                    break;
                }
                if (ready == NetlinkUeventSocket.Status.MESSAGE && !drain(coalescer, eventTap)) {
                    break;
                }
                UeventBatch batch = coalescer.poll(System.nanoTime());
                if (batch != null) {
                    batches.incrementAndGet();
                    try {
                        batchSink.accept(batch);
                    } catch (RuntimeException e) {
                        if (!sinkFailed) {
                            LOG.log(Level.WARNING, "uevent: the batch consumer failed (reported once): " + e, e);
                            sinkFailed = true;
                        }
                    }
                }
            }
        } finally {
            socket.close();
        }
    }

    /** Reads what is queued, at most {@link #DRAIN_LIMIT} messages; false when the socket failed. */
    private boolean drain(UeventCoalescer coalescer, Consumer<Uevent> eventTap) {
        for (int i = 0; i < DRAIN_LIMIT; i++) {
            switch (socket.receive()) {
                case EMPTY:
                    return true;
                case INTERRUPTED:
                    continue;
                case OVERFLOW:
                    overflows.incrementAndGet();
                    coalescer.overflow(System.nanoTime());
                    continue;
                case FAILED:
                    fail("recvfrom");
                    return false;
                case MESSAGE:
                default:
                    break;
            }
            received.incrementAndGet();
            if (socket.truncated()) {
                parseFailures.incrementAndGet();
                continue;
            }
            byte[] msg = socket.message();
            Uevent e = UeventParser.parse(msg, msg.length);
            if (e == null) {
                parseFailures.incrementAndGet();
                continue;
            }
            if (!accepted(e, socket.senderPort())) {
                rejected.incrementAndGet();
                continue;
            }
            try {
                eventTap.accept(e);
            } catch (RuntimeException ex) {
                LOG.log(Level.DEBUG, "uevent: event tap failed: " + ex);
            }
            coalescer.offer(e, System.nanoTime());
        }
        return true;
    }

    private void fail(String call) {
        failure = NetlinkUeventSocket.refusal(call, socket.lastErrno());
        LOG.log(Level.WARNING, "uevent: listener stopped, polling alone from now: " + failure);
    }

    /**
     * Only the kernel (netlink port 0) may send the kernel format; udevd's format only counts when
     * asked for, and never claims to be the kernel. Sending to these groups needs CAP_NET_ADMIN,
     * so this guards against confusion more than against attack.
     */
    private boolean accepted(Uevent e, int senderPort) {
        return e.source() == Uevent.Source.KERNEL ? senderPort == 0 : options.udevGroup() && senderPort != 0;
    }

    /** poll(2)'s timeout until {@code deadline}: -1 (none) when nothing is pending, rounded up to whole ms. */
    static int timeoutMillis(long deadline, long now) {
        if (deadline == Long.MAX_VALUE) {
            return -1;
        }
        long nanos = deadline - now;
        if (nanos <= 0) {
            return 0;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos) + (nanos % 1_000_000 == 0 ? 0 : 1);
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }
}
