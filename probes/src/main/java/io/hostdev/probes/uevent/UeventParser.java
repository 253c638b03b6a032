package io.hostdev.probes.uevent;

import io.hostdev.probes.SysfsValues;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * Decodes the two message formats seen on a {@code NETLINK_KOBJECT_UEVENT} socket. Never throws:
 * anything that is not a well-formed uevent is {@code null}.
 *
 * <ul>
 * <li>The kernel's (group 1): a header {@code ACTION@DEVPATH}, then {@code KEY=VALUE} strings,
 * each ended by a NUL byte. The environment always carries ACTION, DEVPATH, SUBSYSTEM and SEQNUM
 * (the kernel's {@code kobject_uevent_env()}; {@code Documentation/ABI/testing/sysfs-uevent}).</li>
 * <li>libudev's monitor format (group 2, sent by udevd): the 8 bytes {@code "libudev\0"}, then a
 * binary header of 32-bit fields: magic {@code 0xfeedcafe} in network byte order, header size,
 * offset and length of the properties buffer (host byte order), then filter hashes this parser
 * does not need. The properties buffer holds {@code KEY=VALUE\0} strings, with no header line.
 * Documented in systemd's {@code sd-device} monitor description and its
 * {@code monitor_netlink_header} comment.</li>
 * </ul>
 */
final class UeventParser {

    static final byte[] LIBUDEV_PREFIX = {'l', 'i', 'b', 'u', 'd', 'e', 'v', 0};
    static final int LIBUDEV_MAGIC = 0xfeedcafe;
    /** prefix, magic, header size, properties offset and length, 4 filter words. */
    static final int LIBUDEV_HEADER_BYTES = 40;

    private UeventParser() {
    }

    /** {@link #parse(byte[], int, ByteOrder)} in this machine's byte order, the sender's too. */
    static Uevent parse(byte[] msg, int length) {
        return parse(msg, length, ByteOrder.nativeOrder());
    }

    /**
     * The uevent in {@code msg[0..length)}, or null when it is not one.
     *
     * @param hostOrder byte order of libudev's host-order header fields
     */
    static Uevent parse(byte[] msg, int length, ByteOrder hostOrder) {
        if (msg == null || length <= 0) {
            return null;
        }
        int len = Math.min(length, msg.length);
        if (startsWith(msg, len, LIBUDEV_PREFIX)) {
            return parseLibudev(msg, len, hostOrder);
        }
        return parseKernel(msg, len);
    }

    private static Uevent parseKernel(byte[] msg, int len) {
        int headerEnd = indexOfNul(msg, 0, len);
        String header = decode(msg, 0, headerEnd);
        int at = header.indexOf('@');
        if (at <= 0 || at == header.length() - 1) {
            return null;
        }
        TreeMap<String, String> props = properties(msg, Math.min(headerEnd + 1, len), len);
        props.putIfAbsent("ACTION", header.substring(0, at));
        props.putIfAbsent("DEVPATH", header.substring(at + 1));
        return build(props, Uevent.Source.KERNEL);
    }

    private static Uevent parseLibudev(byte[] msg, int len, ByteOrder hostOrder) {
        if (len < LIBUDEV_HEADER_BYTES) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(msg, 0, len);
        if (b.order(ByteOrder.BIG_ENDIAN).getInt(8) != LIBUDEV_MAGIC) {
            return null;
        }
        b.order(hostOrder);
        long headerSize = Integer.toUnsignedLong(b.getInt(12));
        long offset = Integer.toUnsignedLong(b.getInt(16));
        long size = Integer.toUnsignedLong(b.getInt(20));
        if (headerSize < LIBUDEV_HEADER_BYTES || offset < headerSize || offset + size > len || size == 0) {
            return null;
        }
        return build(properties(msg, (int) offset, (int) (offset + size)), Uevent.Source.UDEV);
    }

    private static Uevent build(TreeMap<String, String> props, Uevent.Source source) {
        String action = props.get("ACTION");
        String devpath = props.get("DEVPATH");
        if (action == null || action.isEmpty() || devpath == null || !devpath.startsWith("/")) {
            return null;
        }
        return new Uevent(action, devpath, nonEmpty(props.get("SUBSYSTEM")),
                SysfsValues.decimal(props.get("SEQNUM")), nonEmpty(props.get("DEVTYPE")), props, source);
    }

    /** {@code KEY=VALUE\0...} in {@code msg[from..to)}; a string without '=' or with an empty key is skipped. */
    private static TreeMap<String, String> properties(byte[] msg, int from, int to) {
        TreeMap<String, String> props = new TreeMap<>();
        int i = from;
        while (i < to) {
            int end = indexOfNul(msg, i, to);
            if (end > i) {
                String kv = decode(msg, i, end);
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    props.putIfAbsent(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            i = end + 1;
        }
        return props;
    }

    private static int indexOfNul(byte[] msg, int from, int to) {
        for (int i = from; i < to; i++) {
            if (msg[i] == 0) {
                return i;
            }
        }
        return to;
    }

    private static boolean startsWith(byte[] msg, int len, byte[] prefix) {
        if (len < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (msg[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String decode(byte[] msg, int from, int to) {
        return new String(msg, from, to - from, StandardCharsets.UTF_8);
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
