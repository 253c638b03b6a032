package io.hostdev.model.select;

/**
 * How selector values compare: numbers (decimal, or {@code 0x} hex as the model writes ids and addresses) by
 * value, versions ({@code 6.1.0}) part by part. Parsers here never throw; text that is not a number or a
 * version parses to {@code null}.
 */
final class Values {

    /** Longer digit strings are not numbers for a selector: no id or size in the model comes near. */
    private static final int MAX_NUMBER_LENGTH = 64;

    private Values() {
    }

    /** A number: exact when whole and within a signed 64-bit range, else a double. */
    record Num(boolean integral, long exact, double approx) {

        static Num of(long v) {
            return new Num(true, v, v);
        }

        static Num of(double v) {
            return new Num(false, 0, v);
        }

        /** Negative, zero or positive as this is below, equal to or above {@code o}. */
        int compareTo(Num o) {
            if (integral && o.integral) {
                return Long.compare(exact, o.exact);
            }
            return approx < o.approx ? -1 : approx > o.approx ? 1 : 0;
        }
    }

    /** A selector value (Integer, Long, Double, or text that {@link #parseNumber} reads) as a number; else null. */
    static Num number(Object value) {
        if (value instanceof Integer i) {
            return Num.of(i.longValue());
        }
        if (value instanceof Long l) {
            return Num.of(l.longValue());
        }
        if (value instanceof Double d) {
            // NaN is no number: it would compare equal to everything
            return d.isNaN() ? null : Num.of(d.doubleValue());
        }
        if (value instanceof String s) {
            return parseNumber(s);
        }
        return null;
    }

    /**
     * {@code [-]DIGITS[.DIGITS]} or {@code 0xHEX} (1 to 16 hex digits, read unsigned: {@code 0xffffffffffffffff}
     * is 2^64-1, held as a double); null for anything else, including {@code ""}, {@code "1e5"}, {@code "0x"}.
     */
    static Num parseNumber(String s) {
        int n = s.length();
        if (n == 0 || n > MAX_NUMBER_LENGTH) {
            return null;
        }
        if (n > 2 && s.charAt(0) == '0' && (s.charAt(1) == 'x' || s.charAt(1) == 'X')) {
            if (n - 2 > 16) {
                return null;
            }
            long v = 0;
            for (int i = 2; i < n; i++) {
                int d = hexDigit(s.charAt(i));
                if (d < 0) {
                    return null;
                }
                v = (v << 4) | d;
            }
            return v >= 0 ? Num.of(v) : Num.of(unsignedToDouble(v));
        }
        int i = s.charAt(0) == '-' ? 1 : 0;
        int digitsStart = i;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
        }
        if (i == digitsStart) {
            return null;
        }
        if (i == n) {
            try {
                return Num.of(Long.parseLong(s));
            } catch (NumberFormatException tooBig) {
                return Num.of(Double.parseDouble(s));
            }
        }
        if (s.charAt(i) != '.' || i + 1 == n) {
            return null;
        }
        for (int j = i + 1; j < n; j++) {
            if (!isDigit(s.charAt(j))) {
                return null;
            }
        }
        return Num.of(Double.parseDouble(s));
    }

    /**
     * {@code N(.N)*} optionally followed by a suffix that starts with {@code -}, {@code +} or {@code ~}
     * ({@code 6.1.0-18-amd64}); the numeric parts, or null. The suffix takes no part in comparisons.
     */
    static long[] parseVersion(String s) {
        int n = s.length();
        if (n == 0 || n > MAX_NUMBER_LENGTH || !isDigit(s.charAt(0))) {
            return null;
        }
        int parts = 1;
        int end = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '-' || c == '+' || c == '~') {
                end = i;
                break;
            }
            if (c == '.') {
                if (i + 1 >= n || !isDigit(s.charAt(i + 1))) {
                    return null;
                }
                parts++;
            } else if (!isDigit(c)) {
                return null;
            }
        }
        long[] out = new long[parts];
        int p = 0;
        long v = 0;
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                out[p++] = v;
                v = 0;
            } else {
                // saturate rather than overflow: no real version part comes near
                v = v > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : v * 10 + (c - '0');
            }
        }
        out[p] = v;
        return out;
    }

    /** Part by part; a missing part counts as 0, so {@code 6.1} equals {@code 6.1.0}. */
    static int compareVersions(long[] a, long[] b) {
        int n = Math.max(a.length, b.length);
        for (int i = 0; i < n; i++) {
            long x = i < a.length ? a[i] : 0;
            long y = i < b.length ? b[i] : 0;
            if (x != y) {
                return x < y ? -1 : 1;
            }
        }
        return 0;
    }

    /** The value as its JSON text (what a regex sees); null for an object. */
    static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Boolean || value instanceof Number) {
            return value.toString();
        }
        return null;
    }

    private static double unsignedToDouble(long v) {
        return (double) (v >>> 1) * 2.0 + (v & 1);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int hexDigit(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
