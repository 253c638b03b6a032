package io.hostdev.probes;

/**
 * Parsers for the values the kernel prints in sysfs attributes, uevent variables and the procfs
 * files next to them: free text, decimal and hex numbers, hex ids and 0/1 flags. Sysfs attributes
 * are ASCII text holding one value each (Documentation/filesystems/sysfs.rst); how each attribute
 * prints its value is in its ABI document (Documentation/ABI/testing/sysfs-*). These parsers are
 * strict and total: only what a kernel prints is accepted, anything else (including {@code null})
 * gives {@code null}, and no input makes them throw.
 *
 * <p>Strict means: ASCII digits only ({@link Long#parseLong} and {@link Character#digit} also take
 * other scripts' digits, such as U+0661 ARABIC-INDIC DIGIT ONE, which no kernel prints); no
 * {@code +}, which {@code %d}, {@code %u} and {@code %x} never print; no more digits than the
 * widest value has (19 decimal, 16 hex), even as leading zeros; and no overflow, so a value too
 * large for its type is absent, never wrapped. Surrounding white space is ignored, because
 * attributes end in a newline and some pad ({@code %2x}).
 *
 * <p>A value whose meaning depends on its attribute (-1 for "no NUMA node", a size in sectors)
 * is for the reader of that attribute to interpret, on top of these.
 */
public final class SysfsValues {

    /** Long.MAX_VALUE, 9223372036854775807, has 19 digits. */
    private static final int MAX_DECIMAL_DIGITS = 19;
    /** A 64-bit value has 16 hex digits. */
    private static final int MAX_HEX_DIGITS = 16;

    private SysfsValues() {
    }

    /**
     * A free-text value (a name, a serial, a model string padded with spaces) without its
     * surrounding white space; blank text is absent. Inner spaces are kept.
     */
    public static String text(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip();
        return s.isEmpty() ? null : s;
    }

    /**
     * A non-negative decimal number as the kernel prints it with {@code %u}, {@code %d},
     * {@code %llu}: {@code 42}. Refused: a sign, {@code 0x}, anything above
     * {@link Long#MAX_VALUE} (so an unsigned 64-bit value from 2^63 on).
     */
    public static Long decimal(String raw) {
        if (raw == null) {
            return null;
        }
        return decimalDigits(raw.strip(), 0, false);
    }

    /** {@link #decimal} narrowed to an int: above {@link Integer#MAX_VALUE} is absent, not wrapped. */
    public static Integer decimalInt(String raw) {
        Long v = decimal(raw);
        return v == null || v > Integer.MAX_VALUE ? null : v.intValue();
    }

    /**
     * A decimal number that may be negative, as the kernel prints it with {@code %d} or
     * {@code %lld}: {@code -1}, {@code 42}. Refused: {@code +}, a second sign, a space after the
     * sign, {@code 0x}, anything outside the range of a long.
     */
    public static Long signedDecimal(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip();
        boolean negative = s.startsWith("-");
        return decimalDigits(s, negative ? 1 : 0, negative);
    }

    /**
     * A hex number with or without {@code 0x} or {@code 0X}, in either case: sysfs prints ids both
     * as {@code 0x1af4} ({@code %#06x}) and as {@code 1d6b} ({@code %04x}). Up to 64 bits, returned
     * as their two's complement bit pattern: {@code ffffffffffffffff} is -1. Refused: a sign,
     * more than 16 digits, a bare {@code 0x}.
     */
    public static Long hex(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip();
        return hexDigits(s, hasHexPrefix(s) ? 2 : 0);
    }

    /** {@link #hex} as a non-negative int: above {@link Integer#MAX_VALUE} is absent, not negative. */
    public static Integer hexInt(String raw) {
        Long v = hex(raw);
        return v == null || v < 0 || v > Integer.MAX_VALUE ? null : v.intValue();
    }

    /**
     * A number as sysfs prints integers when the reader does not know or care which format the
     * attribute uses: {@link #signedDecimal} ({@code -1}, {@code 1500}) or, after {@code 0x} or
     * {@code 0X}, {@link #hex} ({@code 0x1002}, up to 64 bits: {@code 0xffffffffffffffff} is -1).
     * Refused: {@code +}, a sign before {@code 0x} ({@code %#x} prints none), hex without its
     * prefix.
     */
    public static Long decimalOrHex(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip();
        if (hasHexPrefix(s)) {
            return hexDigits(s, 2);
        }
        boolean negative = s.startsWith("-");
        return decimalDigits(s, negative ? 1 : 0, negative);
    }

    /** {@link #decimalOrHex} narrowed to an int: outside the int range is absent, not wrapped. */
    public static Integer decimalOrHexInt(String raw) {
        Long v = decimalOrHex(raw);
        return v == null || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? null : v.intValue();
    }

    /**
     * An id in the model's form: {@code 0x}, lower-case hex, zero-padded to at least {@code width}
     * digits. Read as {@link #hex}, so {@code 1D6B}, {@code 0x1d6b} and {@code 0x00001d6b} all give
     * {@code 0x1d6b}; a value wider than {@code width} keeps all its digits ({@code 0x554d4551}).
     */
    public static String hexId(String raw, int width) {
        Long v = hex(raw);
        return v == null ? null : formatHexId(v, width);
    }

    /**
     * {@link #hexId(String, int)} for an id with a range, such as a 16-bit PCI vendor id
     * ({@code max} 0xffff): a value above {@code max} (compared unsigned) is absent.
     */
    public static String hexId(String raw, int width, long max) {
        Long v = hex(raw);
        return v == null || Long.compareUnsigned(v, max) > 0 ? null : formatHexId(v, width);
    }

    /**
     * A boolean attribute the kernel prints as {@code 0} or {@code 1} ({@code ro},
     * {@code removable}, {@code rotational}). Anything else, {@code 2} or {@code yes} included, is
     * absent.
     */
    public static Boolean flag(String raw) {
        if (raw == null) {
            return null;
        }
        return switch (raw.strip()) {
            case "0" -> Boolean.FALSE;
            case "1" -> Boolean.TRUE;
            default -> null;
        };
    }

    /**
     * The value of one ASCII hex digit ({@code 0-9}, {@code a-f}, {@code A-F}), or -1 for any
     * other character, full-width and other scripts' digits included; for scanners that walk
     * their input a character at a time.
     */
    public static int hexDigit(char c) {
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

    private static boolean hasHexPrefix(String s) {
        return s.startsWith("0x") || s.startsWith("0X");
    }

    /** The decimal digits of {@code s} from {@code from} to its end, with the sign already taken off. */
    private static Long decimalDigits(String s, int from, boolean negative) {
        int count = s.length() - from;
        if (count < 1 || count > MAX_DECIMAL_DIGITS) {
            return null;
        }
        // accumulated negatively, because Long.MIN_VALUE has no positive counterpart
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long value = 0;
        for (int i = from; i < s.length(); i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9 || value < (limit + d) / 10) {
                return null;
            }
            value = value * 10 - d;
        }
        return negative ? value : -value;
    }

    /** The hex digits of {@code s} from {@code from} to its end, prefix already taken off. */
    private static Long hexDigits(String s, int from) {
        int count = s.length() - from;
        if (count < 1 || count > MAX_HEX_DIGITS) {
            return null;
        }
        long value = 0;
        for (int i = from; i < s.length(); i++) {
            int d = hexDigit(s.charAt(i));
            if (d < 0) {
                return null;
            }
            value = value << 4 | d;
        }
        return value;
    }

    private static String formatHexId(long value, int width) {
        String digits = Long.toHexString(value);
        return "0x" + "0".repeat(Math.max(0, width - digits.length())) + digits;
    }
}
