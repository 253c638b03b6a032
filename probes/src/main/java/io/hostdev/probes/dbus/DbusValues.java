package io.hostdev.probes.dbus;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.types.Variant;

import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Lenient conversions of D-Bus reply values (plain or wrapped in {@link Variant}s) into the
 * plain Java values of our records. A value of the wrong type, an empty string or a missing key is
 * absent ({@code null}); nothing here throws on what a service sends.
 */
final class DbusValues {

    private DbusValues() {
    }

    /** The value inside any number of variant wrappers. */
    static Object unwrap(Object value) {
        Object v = value;
        while (v instanceof Variant<?> variant) {
            v = variant.getValue();
        }
        return v;
    }

    static Object get(Map<String, ?> properties, String key) {
        return properties == null ? null : unwrap(properties.get(key));
    }

    /** A non-empty string; an object path counts as its text. */
    static String string(Object value) {
        Object v = unwrap(value);
        if (v instanceof DBusPath path) {
            v = path.getPath();
        }
        return v instanceof String s && !s.isEmpty() ? s : null;
    }

    /** An object path, where {@code /} is D-Bus's "none" (UDisks2's Block.Drive of a loop device). */
    static String objectPath(Object value) {
        String s = string(value);
        return s == null || s.equals("/") ? null : s;
    }

    static Boolean bool(Object value) {
        return unwrap(value) instanceof Boolean b ? b : null;
    }

    /** Any integer type, signed or unsigned (dbus-java's UInt16/32/64 are {@link Number}s). */
    static Long integer(Object value) {
        Object v = unwrap(value);
        if (v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)) {
            return n.longValue();
        }
        return null;
    }

    static Double real(Object value) {
        Object v = unwrap(value);
        if (v instanceof Double d && !d.isNaN() && !d.isInfinite()) {
            return d;
        }
        return null;
    }

    /**
     * A byte array holding a NUL-terminated string ({@code ay}: UDisks2's Block.Device), as a list of
     * bytes or a {@code byte[]}: the text before the first NUL, decoded as UTF-8; empty is absent.
     */
    static String bytesAsString(Object value) {
        Object v = unwrap(value);
        byte[] bytes;
        if (v instanceof byte[] b) {
            bytes = b;
        } else if (v instanceof Collection<?> list) {
            bytes = new byte[list.size()];
            int i = 0;
            for (Object o : list) {
                if (!(o instanceof Byte b)) {
                    return null;
                }
                bytes[i++] = b;
            }
        } else if (v != null && v.getClass().isArray() && v.getClass().getComponentType() == Byte.class) {
            bytes = new byte[Array.getLength(v)];
            for (int i = 0; i < bytes.length; i++) {
                Object o = Array.get(v, i);
                if (o == null) {
                    return null;
                }
                bytes[i] = (Byte) o;
            }
        } else {
            return null;
        }
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return end == 0 ? null : new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** A list or array of strings ({@code as}); null when any element is not a string. */
    static List<String> strings(Object value) {
        Object v = unwrap(value);
        List<String> out = new ArrayList<>();
        if (v instanceof Collection<?> list) {
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    return null;
                }
                out.add(s);
            }
            return out;
        }
        if (v != null && v.getClass().isArray() && !v.getClass().getComponentType().isPrimitive()) {
            for (int i = 0; i < Array.getLength(v); i++) {
                if (!(Array.get(v, i) instanceof String s)) {
                    return null;
                }
                out.add(s);
            }
            return out;
        }
        return null;
    }
}
