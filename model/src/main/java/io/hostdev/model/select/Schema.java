package io.hostdev.model.select;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceContext;
import io.hostdev.model.cap.Capability;

import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The device JSON's shape, read once from the model's classes: the device-level keys as ModelJson's device
 * serializer writes them (listed here by hand, as that serializer is), and below each capability key the
 * capability record's components, named and converted the way Jackson writes them (snake_case,
 * {@code @JsonProperty} names, {@code @JsonValue} enums, the hex serializer of 64-bit addresses,
 * {@code @JsonIgnore}). Omission follows ModelJson's NON_EMPTY rule: null, empty strings, empty lists and empty
 * maps are absent inside capabilities.
 */
final class Schema {

    /** The device-level keys that are plain text. */
    private static final Map<String, Function<Device, String>> DEVICE_TEXT = Map.of(
            "name", Device::name,
            "parent", Device::parent,
            "path", Device::path,
            "subsystem", Device::subsystem,
            "devtype", Device::devtype,
            "driver", Device::driver);

    private static final Map<String, Function<Device, List<String>>> DEVICE_LISTS = Map.of(
            "devnodes", Device::devnodes,
            "aliases", Device::aliases,
            "sources", Device::sources,
            "source", Device::sources);

    // after the maps above: the constructor reads them
    static final Schema INSTANCE = new Schema();

    sealed interface Shape permits Scalar, Obj, ListOf, MapOf {
    }

    /** A leaf: its selector type and how its Java value becomes the JSON value. */
    record Scalar(Fields.Type type, Accessor.Emit.Kind kind, boolean omitEmpty, String[] enumText)
            implements Shape {
    }

    record Obj(Class<?> type, Map<String, Member> members) implements Shape {
    }

    record Member(String name, Function<Object, Object> getter, Shape shape) {
    }

    record ListOf(Shape element) implements Shape {
    }

    /** A map with open-ended keys (generic attributes). */
    record MapOf(Shape value) implements Shape {
    }

    private final Map<String, Obj> capabilities = new TreeMap<>();
    private final Map<String, Class<? extends Capability>> capabilityClasses = new TreeMap<>();
    private final SortedMap<String, Fields.Field> fields = new TreeMap<>();

    private Schema() {
        for (Map.Entry<String, Class<? extends Capability>> e : Capability.TYPES.entrySet()) {
            capabilityClasses.put(e.getKey(), e.getValue());
            capabilities.put(e.getKey(), record(e.getValue()));
        }
        DEVICE_TEXT.keySet().forEach(k -> add(k, Fields.Type.STRING, false));
        DEVICE_LISTS.keySet().forEach(k -> add(k, Fields.Type.STRING, true));
        add("stale", Fields.Type.BOOLEAN, false);
        add("cap", Fields.Type.STRING, true);
        add("caps", Fields.Type.STRING, true);
        add("bus", Fields.Type.STRING, true);
        capabilities.forEach((type, shape) -> list(type, shape, false));
    }

    List<Fields.Field> fields() {
        return List.copyOf(fields.values());
    }

    Fields.Field field(String path) {
        Fields.Field f = fields.get(path);
        if (f != null) {
            return f;
        }
        String prefix = Fields.ATTRIBUTES + ".";
        if (path.startsWith(prefix) && path.length() > prefix.length()) {
            return new Fields.Field(path, Fields.Type.STRING, false);
        }
        return null;
    }

    private void add(String path, Fields.Type type, boolean multi) {
        fields.put(path, new Fields.Field(path, type, multi));
    }

    private void list(String path, Shape shape, boolean multi) {
        if (shape instanceof Scalar s) {
            add(path, s.type(), multi);
        } else if (shape instanceof ListOf l) {
            list(path, l.element(), true);
        } else if (shape instanceof Obj o) {
            add(path, Fields.Type.OBJECT, multi);
            o.members().forEach((name, m) -> list(path + "." + name, m.shape(), multi));
        } else if (shape instanceof MapOf m) {
            add(path, Fields.Type.OBJECT, multi);
            list(path + ".*", m.value(), multi);
        }
    }

    /** Compiles a path; null when it names no field. */
    Accessor compile(String path) {
        if (path.isEmpty()) {
            return null;
        }
        Function<Device, String> text = DEVICE_TEXT.get(path);
        if (text != null) {
            return new Accessor.DeviceText(text);
        }
        Function<Device, List<String>> list = DEVICE_LISTS.get(path);
        if (list != null) {
            return new Accessor.DeviceList(list);
        }
        switch (path) {
            case "stale":
                return Accessor.Stale.INSTANCE;
            case "cap", "caps":
                return Accessor.CapTypes.INSTANCE;
            case "bus":
                return Accessor.Buses.INSTANCE;
            default:
                break;
        }
        int dot = path.indexOf('.');
        String type = dot < 0 ? path : path.substring(0, dot);
        Obj shape = capabilities.get(type);
        if (shape == null) {
            return null;
        }
        String rest = dot < 0 ? "" : path.substring(dot + 1);
        if (dot >= 0 && rest.isEmpty()) {
            return null;
        }
        Accessor.Step first = steps(shape, rest);
        return first == null ? null : new Accessor.InCapability(capabilityClasses.get(type), first);
    }

    /** The steps from a value of this shape along the rest of a path ("" = here). */
    private static Accessor.Step steps(Shape shape, String rest) {
        if (shape instanceof ListOf l) {
            Accessor.Step next = steps(l.element(), rest);
            return next == null ? null : new Accessor.Each(next);
        }
        if (rest.isEmpty()) {
            if (shape instanceof Scalar s) {
                return new Accessor.Emit(s.kind(), s.omitEmpty(), s.enumText());
            }
            return new Accessor.EmitObject();
        }
        if (shape instanceof MapOf m) {
            // the key is the whole rest: an attribute's name may itself contain a dot
            Accessor.Step next = steps(m.value(), "");
            return new Accessor.Key(rest, next);
        }
        if (shape instanceof Obj o) {
            int dot = rest.indexOf('.');
            String name = dot < 0 ? rest : rest.substring(0, dot);
            String after = dot < 0 ? "" : rest.substring(dot + 1);
            if (dot >= 0 && after.isEmpty()) {
                return null;
            }
            Member m = o.members().get(name);
            if (m == null) {
                return null;
            }
            Accessor.Step next = steps(m.shape(), after);
            return next == null ? null : new Accessor.Get(m.getter(), next);
        }
        return null;
    }

    /** Adds every path that has a value on this device. */
    void presentPaths(Device d, DeviceContext context, Collection<String> out) {
        out.add("name");
        DEVICE_TEXT.forEach((k, g) -> {
            if (g.apply(d) != null) {
                out.add(k);
            }
        });
        DEVICE_LISTS.forEach((k, g) -> {
            if (!g.apply(d).isEmpty()) {
                out.add(k);
            }
        });
        out.add("stale");
        if (!d.capabilities().isEmpty()) {
            out.add("cap");
            out.add("caps");
        }
        if (Accessor.Buses.INSTANCE.any(d, context, v -> true)) {
            out.add("bus");
        }
        for (Capability c : d.capabilities()) {
            Obj shape = capabilities.get(c.type());
            if (shape != null) {
                walk(shape, c, c.type(), out);
            }
        }
    }

    private static void walk(Shape shape, Object value, String path, Collection<String> out) {
        if (value == null) {
            return;
        }
        if (shape instanceof Scalar s) {
            if (!(s.omitEmpty() && value instanceof String str && str.isEmpty())) {
                out.add(path);
            }
        } else if (shape instanceof ListOf l) {
            for (Object e : (List<?>) value) {
                walk(l.element(), e, path, out);
            }
        } else if (shape instanceof Obj o) {
            out.add(path);
            for (Member m : o.members().values()) {
                walk(m.shape(), m.getter().apply(value), path + "." + m.name(), out);
            }
        } else if (shape instanceof MapOf m) {
            Map<?, ?> map = (Map<?, ?>) value;
            if (Accessor.EmitObject.hasValue(map)) {
                out.add(path);
            }
            map.forEach((k, v) -> walk(m.value(), v, path + "." + k, out));
        }
    }

    // ---- reading the record classes ----

    private static Obj record(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalStateException(type.getName() + " is not a record: the selector schema reads records only");
        }
        Map<String, Member> members = new LinkedHashMap<>();
        for (RecordComponent rc : type.getRecordComponents()) {
            Method accessor = rc.getAccessor();
            if (accessor.isAnnotationPresent(JsonIgnore.class)) {
                continue;
            }
            JsonProperty renamed = accessor.getAnnotation(JsonProperty.class);
            String name = renamed != null && !renamed.value().isEmpty() ? renamed.value()
                    : ((PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE).translate(rc.getName());
            members.put(name, new Member(name, getter(accessor), shape(rc.getGenericType(), accessor, true)));
        }
        return new Obj(type, Collections.unmodifiableMap(members));
    }

    private static Shape shape(Type generic, Method accessor, boolean component) {
        Class<?> raw = generic instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) generic;
        if (accessor != null && component) {
            JsonSerialize custom = accessor.getAnnotation(JsonSerialize.class);
            if (custom != null && custom.using() != JsonSerializer.None.class) {
                if (custom.using().getName().equals("io.hostdev.model.cap.HexLong$Serializer")
                        && (raw == long.class || raw == Long.class)) {
                    return new Scalar(Fields.Type.STRING, Accessor.Emit.Kind.HEX, false, null);
                }
                throw new IllegalStateException("the selector schema does not know how " + custom.using().getName()
                        + " writes " + accessor);
            }
        }
        if (raw == String.class) {
            // NON_EMPTY drops "" from records and maps, not from lists
            return new Scalar(Fields.Type.STRING, Accessor.Emit.Kind.TEXT, component, null);
        }
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class
                || raw == short.class || raw == Short.class) {
            return new Scalar(Fields.Type.INTEGER, Accessor.Emit.Kind.PLAIN, false, null);
        }
        if (raw == double.class || raw == Double.class) {
            return new Scalar(Fields.Type.NUMBER, Accessor.Emit.Kind.PLAIN, false, null);
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return new Scalar(Fields.Type.BOOLEAN, Accessor.Emit.Kind.PLAIN, false, null);
        }
        if (raw.isEnum()) {
            return new Scalar(Fields.Type.STRING, Accessor.Emit.Kind.ENUM, false, enumText(raw));
        }
        if (List.class.isAssignableFrom(raw) && generic instanceof ParameterizedType p) {
            return new ListOf(shape(p.getActualTypeArguments()[0], null, false));
        }
        if (Map.class.isAssignableFrom(raw) && generic instanceof ParameterizedType p
                && p.getActualTypeArguments()[0] == String.class) {
            return new MapOf(shape(p.getActualTypeArguments()[1], null, true));
        }
        if (raw.isRecord()) {
            return record(raw);
        }
        throw new IllegalStateException("the selector schema cannot map " + generic + (accessor == null ? ""
                : " of " + accessor));
    }

    private static String[] enumText(Class<?> type) {
        Object[] constants = type.getEnumConstants();
        Method json = null;
        for (Method m : type.getMethods()) {
            if (m.isAnnotationPresent(JsonValue.class) && m.getParameterCount() == 0) {
                json = m;
            }
        }
        String[] text = new String[constants.length];
        for (int i = 0; i < constants.length; i++) {
            try {
                text[i] = json != null ? String.valueOf(json.invoke(constants[i])) : ((Enum<?>) constants[i]).name();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read the JSON text of " + constants[i], e);
            }
        }
        return text;
    }

    /**
     * A fast getter for a record component: a lambda spun from the accessor method, so a resolved path costs
     * about as much as the plain method calls.
     */
    @SuppressWarnings("unchecked")
    private static Function<Object, Object> getter(Method accessor) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MethodHandle mh = lookup.unreflect(accessor);
            Class<?> ret = MethodType.methodType(accessor.getReturnType()).wrap().returnType();
            CallSite site = LambdaMetafactory.metafactory(lookup, "apply", MethodType.methodType(Function.class),
                    MethodType.methodType(Object.class, Object.class), mh,
                    MethodType.methodType(ret, accessor.getDeclaringClass()));
            return (Function<Object, Object>) site.getTarget().invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("cannot access " + accessor, e);
        }
    }
}
