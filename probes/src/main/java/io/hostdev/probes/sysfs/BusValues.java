package io.hostdev.probes.sysfs;

/**
 * Strict parsers for the attribute values that the bus and class readers (usb, scsi, drm, input,
 * sound, virtio) share. Only ASCII digits count: {@link Long#parseLong} would also accept other
 * scripts' digits and a leading '+', which no kernel prints. Every function returns {@code null}
 * for anything it does not recognise and never throws.
 */
final class BusValues {

    /** More hex digits than a 64-bit value has cannot be an id. */
    private static final int MAX_HEX_DIGITS = 16;

    private BusValues() {
    }

    /** A free-text attribute (a name, a serial, a padded INQUIRY string) without padding; blank is absent. */
    static String text(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip();
        return s.isEmpty() ? null : s;
    }

    /** A non-negative decimal number as the kernel prints {@code %u}/{@code %d}; {@code null} on overflow. */
    static Long decimal(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip();
        if (s.isEmpty() || s.length() > 19) {
            return null;
        }
        long value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            value = value * 10 + (c - '0');
            if (value < 0) {
                return null;
            }
        }
        return value;
    }

    /** {@link #decimal} narrowed to an int; {@code null} above {@link Integer#MAX_VALUE}. */
    static Integer decimalInt(String raw) {
        Long v = decimal(raw);
        return v == null || v > Integer.MAX_VALUE ? null : v.intValue();
    }

    /** A hex number with or without {@code 0x} (sysfs prints ids both ways); {@code null} for anything else. */
    static Long hex(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip();
        if (s.startsWith("0x") || s.startsWith("0X")) {
            s = s.substring(2);
        }
        if (s.isEmpty() || s.length() > MAX_HEX_DIGITS) {
            return null;
        }
        long value = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = hexDigit(s.charAt(i));
            if (d < 0) {
                return null;
            }
            value = (value << 4) | d;
        }
        return value;
    }

    /** {@link #hex} narrowed to an int; {@code null} above {@link Integer#MAX_VALUE}. */
    static Integer hexInt(String raw) {
        Long v = hex(raw);
        return v == null || v < 0 || v > Integer.MAX_VALUE ? null : v.intValue();
    }

    /**
     * An id in the model's form: {@code 0x}, lower case, at least {@code digits} digits. USB and input
     * ids come without a prefix ({@code 1d6b}), virtio ids with one ({@code 0x1af4}); both read the same.
     */
    static String hexId(String raw, int digits) {
        Long v = hex(raw);
        if (v == null) {
            return null;
        }
        String h = Long.toHexString(v);
        return "0x" + "0".repeat(Math.max(0, digits - h.length())) + h;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
