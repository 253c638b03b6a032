package io.hostdev.probes.uevent;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few libc calls the netlink uevent socket needs, bound with JNA's direct mapping (one JNI
 * stub per function, no reflection per call). A failing call returns -1 and leaves errno in
 * {@link Native#getLastError()}.
 *
 * <p>The constants are the Linux values shared by x86, x86-64, arm, arm64, riscv, powerpc and
 * s390 ({@code asm-generic/socket.h}, {@code asm-generic/errno.h}); MIPS, SPARC, PA-RISC and
 * Alpha number some of them differently, so {@link #supported()} turns them away.
 */
final class LibC {

    static final int AF_NETLINK = 16;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int NETLINK_KOBJECT_UEVENT = 15;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUF = 8;
    static final int SO_RCVBUFFORCE = 33;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_TRUNC = 0x20;
    static final short POLLIN = 0x1;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    static final int EPERM = 1;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EMFILE = 24;
    static final int EPROTONOSUPPORT = 93;
    static final int EAFNOSUPPORT = 97;
    static final int ENOBUFS = 105;

    private LibC() {
    }

    /** Linux on an architecture whose socket and errno numbers are the generic ones above. */
    static boolean supported() {
        return Platform.isLinux() && !Platform.isMIPS() && !Platform.isSPARC()
                && !"alpha".equals(Platform.ARCH) && !Platform.ARCH.startsWith("parisc");
    }

    /** Loads libc and binds the natives; throws a {@link LinkageError} where JNA cannot. */
    static void load() {
        Holder.init();
    }

    private static final class Holder {
        static {
            Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        }

        static void init() {
            // the static initializer above did the work
        }
    }

    static native int socket(int domain, int type, int protocol);

    static native int bind(int fd, byte[] addr, int addrLen);

    static native int setsockopt(int fd, int level, int name, int[] value, int len);

    static native int getsockopt(int fd, int level, int name, int[] value, int[] len);

    static native NativeLong recvfrom(int fd, Pointer buf, NativeLong len, int flags, Pointer addr, int[] addrLen);

    static native int poll(Pointer fds, NativeLong count, int timeoutMillis);

    static native int pipe2(int[] fds, int flags);

    static native NativeLong write(int fd, byte[] buf, NativeLong len);

    static native NativeLong read(int fd, byte[] buf, NativeLong len);

    static native int close(int fd);
}
