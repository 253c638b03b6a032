package io.hostdev.probes.oshi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns OSHI's stand-ins for "no value" into {@code null}. OSHI answers what it could not read with
 * {@code "unknown"} (its {@code Constants.UNKNOWN}), {@code ""}, {@code 0}, {@code -1} or {@code NaN}
 * depending on the getter and the platform, and passes firmware placeholders through as the vendor
 * wrote them into the SMBIOS tables ({@code "To be filled by O.E.M."}, {@code "Default string"},
 * {@code "Not Specified"}). The model has one way to say "absent": null. Never throws.
 */
final class OshiValues {

    /**
     * Text that means "no value", compared case-insensitively after trimming: OSHI's own "unknown",
     * dmidecode's "Not Specified", "Not Provided" and "None", and the placeholders BIOS vendors
     * leave in SMBIOS strings ("To be filled by O.E.M.", "Default string").
     */
    private static final Set<String> PLACEHOLDERS = Set.of(
            "unknown", "none", "n/a", "null", "not specified", "not provided", "not available",
            "not applicable", "to be filled by o.e.m.", "to be filled by oem", "default string", "undefined");

    private OshiValues() {
    }

    /** The trimmed text, or null for null, blank, a placeholder, or text with control characters only. */
    static String text(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        if (t.isEmpty() || PLACEHOLDERS.contains(t.toLowerCase(Locale.ROOT))) {
            return null;
        }
        for (int i = 0; i < t.length(); i++) {
            if (!Character.isISOControl(t.charAt(i))) {
                return t;
            }
        }
        return null;
    }

    /** The value when above zero; 0 and -1 are OSHI's "unknown". */
    static Long positive(long v) {
        return v > 0 ? v : null;
    }

    /** Hertz as OSHI reports a memory module's speed, back to the MT/s that SMBIOS holds (the same number). */
    static Long megaTransfers(long hertz) {
        long mts = Math.round(hertz / 1_000_000d);
        return hertz > 0 && mts > 0 ? mts : null;
    }

    /** Whole degrees Celsius; OSHI's 0 (no sensor), negatives and NaN are absent. */
    static Integer celsius(double degrees) {
        if (!Double.isFinite(degrees) || degrees <= 0 || degrees > 1000) {
            return null;
        }
        return (int) Math.round(degrees);
    }

    /** Volts to 0.01 V; OSHI's 0 (no sensor), negatives and NaN are absent. */
    static Double volts(double v) {
        if (!Double.isFinite(v) || v <= 0 || v > 1000) {
            return null;
        }
        double rounded = Math.round(v * 100) / 100d;
        return rounded > 0 ? rounded : null;
    }

    /**
     * Fan speeds in rpm, in the hardware's order, without the fans reading 0 or less: a header
     * reads 0 when nothing is plugged into it, and OSHI cannot tell that from a stopped fan.
     */
    static List<Integer> rpm(int[] speeds) {
        if (speeds == null) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>(speeds.length);
        for (int s : speeds) {
            if (s > 0) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Splits OSHI's computer model into the DMI product name and version: on Linux OSHI joins
     * {@code product_name} and {@code product_version} as {@code "NAME (version: VERSION)"}.
     *
     * @return {product, version}, each possibly null
     */
    static String[] productAndVersion(String model) {
        String m = text(model);
        if (m == null) {
            return new String[] {null, null};
        }
        String marker = " (version: ";
        int at = m.lastIndexOf(marker);
        if (at > 0 && m.endsWith(")")) {
            return new String[] {text(m.substring(0, at)), text(m.substring(at + marker.length(), m.length() - 1))};
        }
        return new String[] {m, null};
    }
}
