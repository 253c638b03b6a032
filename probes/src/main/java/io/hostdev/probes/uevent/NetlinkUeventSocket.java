package io.hostdev.probes.uevent;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

import java.nio.ByteOrder;

/**
 * A {@code NETLINK_KOBJECT_UEVENT} socket bound to the kernel's uevent multicast group, and
 * optionally udevd's, plus a wake-up pipe so a reader blocked in {@code poll(2)} can be told to
 * stop without a timeout (an idle listener makes no system call at all). See netlink(7),
 * socket(7) for {@code SO_RCVBUF}/{@code SO_RCVBUFFORCE}, and the kernel's
 * {@code lib/kobject_uevent.c} for who sends what.
 *
 * <p>Not thread-safe: one reader thread receives; {@link #wake()} may be called from any thread.
 */
final class NetlinkUeventSocket {

    /** The kernel's own multicast group: raw uevents, sent whether or not udevd runs. */
    static final int KERNEL_GROUP = 1;
    /** udevd re-broadcasts each event here after its rules ran (libudev's monitor format). */
    static final int UDEV_GROUP = 2;

    /** One uevent is at most a page of environment in the kernel; udevd's copies stay below 8 KiB. */
    static final int BUFFER_BYTES = 16 * 1024;

    private static final int SOCKADDR_NL_BYTES = 12;

    /** What one receive produced; see {@link NetlinkUeventSocket#receive}. */
    enum Status { MESSAGE, EMPTY, OVERFLOW, INTERRUPTED, FAILED }

    private final int fd;
    private final int wakeRead;
    private final int wakeWrite;
    private final int receiveBuffer;
    private final Memory buffer = new Memory(BUFFER_BYTES);
    private final Memory pollFds = new Memory(16);
    private final Memory sender = new Memory(SOCKADDR_NL_BYTES);
    private final int[] senderLength = new int[1];

    private int lastLength;
    private boolean lastTruncated;
    private int lastErrno;
    private volatile boolean closed;

    private NetlinkUeventSocket(int fd, int wakeRead, int wakeWrite, int receiveBuffer) {
        this.fd = fd;
        this.wakeRead = wakeRead;
        this.wakeWrite = wakeWrite;
        this.receiveBuffer = receiveBuffer;
    }

    /** The socket, or why it cannot be had; never throws for a refusal by the kernel. */
    static Opening open(boolean udevGroup, int receiveBufferBytes) {
        if (!LibC.supported()) {
            return new Opening(null, "not Linux on a supported architecture (os.name="
                    + System.getProperty("os.name") + ", os.arch=" + System.getProperty("os.arch") + ")");
        }
        try {
            LibC.load();
        } catch (LinkageError e) {
            return new Opening(null, "JNA cannot bind libc here: " + e.getMessage());
        }
        int fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_KOBJECT_UEVENT);
        if (fd < 0) {
            return new Opening(null, refusal("socket(AF_NETLINK, NETLINK_KOBJECT_UEVENT)", Native.getLastError()));
        }
        int groups = KERNEL_GROUP | (udevGroup ? UDEV_GROUP : 0);
        if (LibC.bind(fd, sockaddrNl(0, groups), SOCKADDR_NL_BYTES) != 0) {
            int errno = Native.getLastError();
            LibC.close(fd);
            return new Opening(null, refusal("bind(groups=" + groups + ")", errno));
        }
        int granted = setReceiveBuffer(fd, receiveBufferBytes);
        int[] pipe = new int[2];
        if (LibC.pipe2(pipe, LibC.O_CLOEXEC | LibC.O_NONBLOCK) != 0) {
            int errno = Native.getLastError();
            LibC.close(fd);
            return new Opening(null, refusal("pipe2", errno));
        }
        return new Opening(new NetlinkUeventSocket(fd, pipe[0], pipe[1], granted), null);
    }

    /** An opened socket, or the reason there is none. */
    record Opening(NetlinkUeventSocket socket, String absentReason) {
    }

    /**
     * Asks for a receive buffer of {@code bytes}: {@code SO_RCVBUFFORCE} first, which root (or
     * CAP_NET_ADMIN) may use past {@code net.core.rmem_max}, then {@code SO_RCVBUF}, which the
     * kernel caps at that limit. The kernel doubles the value for its bookkeeping; the result is
     * what it reports back, or -1 when it would not say.
     */
    private static int setReceiveBuffer(int fd, int bytes) {
        if (bytes > 0) {
            int[] value = {bytes};
            if (LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, value, 4) != 0) {
                LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, value, 4);
            }
        }
        int[] out = new int[1];
        int[] len = {4};
        return LibC.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, out, len) == 0 ? out[0] : -1;
    }

    /** {@code struct sockaddr_nl}: family, pad, port id, group mask, in host byte order. */
    static byte[] sockaddrNl(int pid, int groups) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(SOCKADDR_NL_BYTES).order(ByteOrder.nativeOrder());
        b.putShort((short) LibC.AF_NETLINK).putShort((short) 0).putInt(pid).putInt(groups);
        return b.array();
    }

    /** The sentence a caller logs once when the kernel refuses. */
    static String refusal(String call, int errno) {
        String why = switch (errno) {
            case LibC.EPERM, LibC.EACCES -> "permission denied (EPERM/EACCES): a seccomp or LSM policy forbids netlink sockets here";
            case LibC.EAFNOSUPPORT -> "no netlink in this kernel or sandbox (EAFNOSUPPORT)";
            case LibC.EPROTONOSUPPORT -> "the kernel has no uevent netlink protocol (EPROTONOSUPPORT)";
            case LibC.EMFILE -> "out of file descriptors (EMFILE)";
            case LibC.ENOBUFS -> "out of kernel memory (ENOBUFS)";
            default -> "errno " + errno;
        };
        return call + " failed: " + why;
    }

    /** The receive buffer the kernel granted (already doubled by it), -1 when unknown. */
    int receiveBuffer() {
        return receiveBuffer;
    }

    /**
     * Blocks until a message is waiting, {@link #wake()} was called, or {@code timeoutMillis}
     * passed (negative: no timeout). {@link Status#MESSAGE} when the socket is readable (or has an
     * error to report, which the next {@link #receive()} returns); {@link Status#EMPTY} when
     * woken, timed out or interrupted, so the caller looks at its stop flag and deadline;
     * {@link Status#FAILED} when {@code poll(2)} itself failed ({@link #lastErrno()}).
     */
    Status await(int timeoutMillis) {
        pollFds.setInt(0, fd);
        pollFds.setShort(4, LibC.POLLIN);
        pollFds.setShort(6, (short) 0);
        pollFds.setInt(8, wakeRead);
        pollFds.setShort(12, LibC.POLLIN);
        pollFds.setShort(14, (short) 0);
        int n = LibC.poll(pollFds, new NativeLong(2), timeoutMillis);
        if (n < 0) {
            lastErrno = Native.getLastError();
            return lastErrno == LibC.EINTR ? Status.EMPTY : Status.FAILED;
        }
        if (pollFds.getShort(14) != 0) {
            byte[] drain = new byte[64];
            LibC.read(wakeRead, drain, new NativeLong(drain.length));
            return Status.EMPTY;
        }
        return pollFds.getShort(6) != 0 ? Status.MESSAGE : Status.EMPTY;
    }

    /** Makes a blocked {@link #await} return; safe from any thread, until {@link #close()}. */
    synchronized void wake() {
        if (!closed) {
            LibC.write(wakeWrite, new byte[] {1}, new NativeLong(1));
        }
    }

    /**
     * Receives one datagram without blocking. {@link Status#OVERFLOW} is ENOBUFS: the receive
     * buffer overflowed and messages were lost; the socket stays usable and the next receive
     * returns what is still queued.
     */
    Status receive() {
        senderLength[0] = SOCKADDR_NL_BYTES;
        long n = LibC.recvfrom(fd, buffer, new NativeLong(BUFFER_BYTES), LibC.MSG_DONTWAIT | LibC.MSG_TRUNC,
                sender, senderLength).longValue();
        if (n < 0) {
            int errno = Native.getLastError();
            lastErrno = errno;
            return switch (errno) {
                case LibC.EAGAIN -> Status.EMPTY;
                case LibC.ENOBUFS -> Status.OVERFLOW;
                case LibC.EINTR -> Status.INTERRUPTED;
                default -> Status.FAILED;
            };
        }
        lastTruncated = n > BUFFER_BYTES;
        lastLength = (int) Math.min(n, BUFFER_BYTES);
        return Status.MESSAGE;
    }

    /** The last message's bytes (a copy). */
    byte[] message() {
        return buffer.getByteArray(0, lastLength);
    }

    /** True when the last message was longer than the buffer and was cut. */
    boolean truncated() {
        return lastTruncated;
    }

    /** The sender's netlink port id: 0 is the kernel itself. */
    int senderPort() {
        return sender.getInt(4);
    }

    /** The multicast groups the last message was sent to. */
    int senderGroups() {
        return sender.getInt(8);
    }

    /** errno of the last failed call. */
    int lastErrno() {
        return lastErrno;
    }

    /** Closes the socket and the wake-up pipe; call once, after the reader stopped. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LibC.close(fd);
        LibC.close(wakeRead);
        LibC.close(wakeWrite);
    }
}
