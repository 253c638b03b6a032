package io.hostdev.probes.uevent;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds datagrams in the kernel's and libudev's uevent formats, as documented, for tests. */
final class UeventMessages {

    private UeventMessages() {
    }

    /** {@code header\0} then each {@code KEY=VALUE\0}, as the kernel sends. */
    static byte[] kernel(String header, String... keyValues) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        for (String kv : keyValues) {
            out.writeBytes(kv.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    /** A kernel uevent whose header agrees with its ACTION and DEVPATH. */
    static byte[] kernelEvent(String action, String devpath, String... more) {
        String[] kvs = new String[more.length + 2];
        kvs[0] = "ACTION=" + action;
        kvs[1] = "DEVPATH=" + devpath;
        System.arraycopy(more, 0, kvs, 2, more.length);
        return kernel(action + "@" + devpath, kvs);
    }

    /** libudev's monitor format: prefix, a 40-byte header, then the properties buffer. */
    static byte[] libudev(ByteOrder hostOrder, List<String> keyValues) {
        ByteArrayOutputStream props = new ByteArrayOutputStream();
        for (String kv : keyValues) {
            props.writeBytes(kv.getBytes(StandardCharsets.UTF_8));
            props.write(0);
        }
        return libudev(hostOrder, UeventParser.LIBUDEV_MAGIC, 40, 40, props.size(), props.toByteArray());
    }

    static byte[] libudev(ByteOrder hostOrder, int magic, int headerSize, int offset, int length, byte[] props) {
        ByteBuffer b = ByteBuffer.allocate(40 + props.length);
        b.put(UeventParser.LIBUDEV_PREFIX);
        b.order(ByteOrder.BIG_ENDIAN).putInt(magic);
        b.order(hostOrder).putInt(headerSize).putInt(offset).putInt(length);
        b.order(ByteOrder.BIG_ENDIAN).putInt(0x1234abcd).putInt(0);
        b.order(hostOrder).putInt(0).putInt(0);
        b.put(props);
        return b.array();
    }
}
