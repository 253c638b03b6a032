package io.hostdev.model.select;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceContext;
import io.hostdev.model.cap.Capability;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One field, compiled: hands each of the field's values on a device to a test until the test answers true.
 * Values are {@code String}, {@code Integer}/{@code Long}, {@code Double}, {@code Boolean}, or
 * {@link Fields#OBJECT} for a JSON object; a device without the field hands over nothing.
 */
interface Accessor {

    /** Whether the test holds for at least one value; stops at the first that it holds for. */
    boolean any(Device device, DeviceContext context, ValueTest test);

    @FunctionalInterface
    interface ValueTest {
        boolean test(Object value);
    }

    /** A device-level key that ModelJson writes whenever it is not null (even when empty). */
    record DeviceText(Function<Device, String> getter) implements Accessor {
        @Override
        public boolean any(Device device, DeviceContext context, ValueTest test) {
            String v = getter.apply(device);
            return v != null && test.test(v);
        }
    }

    /** A device-level list of strings ({@code devnodes}, {@code aliases}). */
    record DeviceList(Function<Device, List<String>> getter) implements Accessor {
        @Override
        public boolean any(Device device, DeviceContext context, ValueTest test) {
            for (String v : getter.apply(device)) {
                if (test.test(v)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code stale}: always a value, false unless the device is stale (JSON leaves the false out). */
    enum Stale implements Accessor {
        INSTANCE;

        @Override
        public boolean any(Device device, DeviceContext context, ValueTest test) {
            return test.test(device.stale());
        }
    }

    /** {@code cap}: the device's capability types. */
    enum CapTypes implements Accessor {
        INSTANCE;

        @Override
        public boolean any(Device device, DeviceContext context, ValueTest test) {
            for (Capability c : device.capabilities()) {
                if (test.test(c.type())) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * {@code bus}: the buses on the device's path to the root, its own included. Without a context (a device
     * outside any tree) only its own bus is known.
     */
    enum Buses implements Accessor {
        INSTANCE;

        @Override
        public boolean any(Device device, DeviceContext context, ValueTest test) {
            if (context == null) {
                return device.bus() != null && test.test(device.bus());
            }
            for (String b : context.buses()) {
                if (test.test(b)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A path into one capability: finds the capability, then walks the steps. */
    record InCapability(Class<? extends Capability> type, Step first) implements Accessor {
        @Override
        public boolean any(Device device, DeviceContext context, ValueTest test) {
            List<Capability> caps = device.capabilities();
            for (int i = 0, n = caps.size(); i < n; i++) {
                Capability c = caps.get(i);
                if (c.getClass() == type) {
                    return first.any(c, test);
                }
            }
            return false;
        }
    }

    /** One step of a path below a capability. */
    abstract class Step {
        abstract boolean any(Object in, ValueTest test);
    }

    /** A record component: absent when null. */
    final class Get extends Step {
        private final Function<Object, Object> getter;
        private final Step next;

        Get(Function<Object, Object> getter, Step next) {
            this.getter = getter;
            this.next = next;
        }

        @Override
        boolean any(Object in, ValueTest test) {
            Object v = getter.apply(in);
            return v != null && next.any(v, test);
        }
    }

    /** Each element of a list (or set), which makes the field multi-valued. */
    final class Each extends Step {
        private final Step next;

        Each(Step next) {
            this.next = next;
        }

        @Override
        boolean any(Object in, ValueTest test) {
            if (in instanceof List<?> list) {
                for (int i = 0, n = list.size(); i < n; i++) {
                    Object e = list.get(i);
                    if (e != null && next.any(e, test)) {
                        return true;
                    }
                }
                return false;
            }
            for (Object e : (Collection<?>) in) {
                if (e != null && next.any(e, test)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One entry of a map by key ({@code generic.attributes.NAME}). */
    final class Key extends Step {
        private final String key;
        private final Step next;

        Key(String key, Step next) {
            this.key = key;
            this.next = next;
        }

        @Override
        boolean any(Object in, ValueTest test) {
            Object v = ((Map<?, ?>) in).get(key);
            return v != null && next.any(v, test);
        }
    }

    /**
     * The end of a path at an object: one {@link Fields#OBJECT} value. A map is there only when one of its values
     * is: Jackson drops empty-string values from maps and then the map itself if nothing is left.
     */
    final class EmitObject extends Step {
        @Override
        boolean any(Object in, ValueTest test) {
            if (in instanceof Map<?, ?> m && !hasValue(m)) {
                return false;
            }
            return test.test(Fields.OBJECT);
        }

        static boolean hasValue(Map<?, ?> m) {
            for (Object v : m.values()) {
                if (v != null && !"".equals(v)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The end of a path at a scalar, converted to what the JSON holds. */
    final class Emit extends Step {
        enum Kind { PLAIN, TEXT, ENUM, HEX }

        private final Kind kind;
        private final boolean omitEmpty;
        private final String[] enumText;

        Emit(Kind kind, boolean omitEmpty, String[] enumText) {
            this.kind = kind;
            this.omitEmpty = omitEmpty;
            this.enumText = enumText;
        }

        @Override
        boolean any(Object in, ValueTest test) {
            Object v = switch (kind) {
                case PLAIN -> in;
                case TEXT -> omitEmpty && ((String) in).isEmpty() ? null : in;
                case ENUM -> enumText[((Enum<?>) in).ordinal()];
                case HEX -> "0x" + Long.toHexString((Long) in);
            };
            return v != null && test.test(v);
        }
    }
}
