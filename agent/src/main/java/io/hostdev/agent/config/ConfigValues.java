package io.hostdev.agent.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for the value forms of the config file. Each takes the scalar's text and answers the
 * value or an {@link IllegalArgumentException} whose message says what form is expected; the
 * loader adds where the value came from and its key.
 */
final class ConfigValues {

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,12})(ms|s|m|h|d)");
    private static final Pattern BYTES = Pattern.compile("([0-9]{1,19})(B|KiB|MiB|GiB)?");
    private static final Pattern NATURAL = Pattern.compile("[0-9]{1,10}");

    private ConfigValues() {
    }

    /** {@code 250ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 7d}: a whole number and one unit. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (a whole number and one of ms, s, m, h, d: "
                    + "250ms, 30s, 10m, 7d)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** A whole number of bytes, optionally with a binary unit: {@code 4096}, {@code 64KiB}, {@code 4MiB}, {@code 1GiB}. */
    static long bytes(String text) {
        Matcher m = BYTES.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (a whole number of bytes, optionally with "
                    + "KiB, MiB or GiB: 65536, 64KiB, 4MiB)");
        }
        int shift = m.group(2) == null ? 0 : switch (m.group(2)) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            default -> 0;
        };
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return n << shift;
    }

    /** A whole number from {@code min} to {@link Integer#MAX_VALUE}. */
    static int integer(String text, int min) {
        if (!NATURAL.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number");
        }
        long n = Long.parseLong(text);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("'" + text + "' is too large (at most " + Integer.MAX_VALUE + ")");
        }
        if (n < min) {
            throw new IllegalArgumentException("must be at least " + min + ", not " + text);
        }
        return (int) n;
    }

    /** {@code true} or {@code false}, nothing else: YAML 1.1's yes/no/on/off are too easy to write by accident. */
    static boolean bool(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("'" + text + "' is not true or false");
        };
    }

    /** How a duration is written back, in the largest unit that keeps it whole. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0 || ms == 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    /** How a size is written back, in the largest binary unit that keeps it whole. */
    static String formatBytes(long n) {
        String[] units = {"GiB", "MiB", "KiB"};
        int[] shifts = {30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            if (n != 0 && n % (1L << shifts[i]) == 0) {
                return (n >> shifts[i]) + units[i];
            }
        }
        return Long.toString(n);
    }
}
