package io.hostdev.model.select;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceContext;
import io.hostdev.model.cap.Capability;
import io.hostdev.model.cap.IdName;
import io.hostdev.model.cap.PciAddress;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Random devices for properties, built by reflection over the capability records so that a component added to the
 * model is generated without touching this class. Values favour the edges that decide JSON omission: null, "",
 * empty lists and maps, all-null nested records, zero and false.
 */
final class RandomDevices {

    private RandomDevices() {
    }

    static Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.of("0x8086", "eth0", "pci", "net", "1500", "6.1.0", "true", "a b", "/dev/vda", "x.y"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6),
                Arbitraries.strings().all().ofMaxLength(6));
    }

    static Arbitrary<String> name() {
        return Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('_').ofMinLength(1).ofMaxLength(10);
    }

    static Arbitrary<Device> devices() {
        Arbitrary<String> nullableText = text().injectNull(0.3);
        Arbitrary<List<String>> lists = text().list().ofMaxSize(3);
        Arbitrary<List<Capability>> caps = Arbitraries.of(List.copyOf(new TreeSet<>(Capability.TYPES.keySet())))
                .set().ofMaxSize(4)
                .flatMap(types -> {
                    List<Arbitrary<Object>> parts = new ArrayList<>();
                    for (String t : types) {
                        parts.add(forType(Capability.TYPES.get(t)));
                    }
                    return Combinators.combine(parts).as(l -> l.stream().map(c -> (Capability) c).toList());
                });
        Arbitrary<String[]> texts = nullableText.array(String[].class).ofSize(6);
        return Combinators.combine(name(), texts, lists, lists, caps, Arbitraries.of(true, false))
                .as((n, t, devnodes, aliases, c, stale) -> new Device(n, t[0], t[1], t[2], t[3], t[4], t[5],
                        devnodes, aliases, c, stale));
    }

    static Arbitrary<DeviceContext> contexts() {
        return Combinators.combine(name().list().ofMaxSize(4), Arbitraries.of("pci", "usb", "virtio", "scsi").set()
                        .ofMaxSize(3))
                .as((ancestors, buses) -> new DeviceContext(ancestors, new TreeSet<>(buses)));
    }

    @SuppressWarnings("unchecked")
    static Arbitrary<Object> forType(Type type) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == PciAddress.class) {
            return Combinators.combine(Arbitraries.integers().between(0, 0xffff), Arbitraries.integers().between(0, 255),
                    Arbitraries.integers().between(0, 31), Arbitraries.integers().between(0, 7))
                    .as((d, b, s, f) -> (Object) new PciAddress(d, b, s, f)).injectNull(0.2);
        }
        if (raw == IdName.class) {
            return Combinators.combine(text(), text().injectNull(0.4))
                    .as((id, n) -> (Object) new IdName(id, n)).injectNull(0.2);
        }
        if (raw == String.class) {
            return text().injectNull(0.3).map(s -> s);
        }
        if (raw == int.class) {
            return Arbitraries.integers().map(i -> i);
        }
        if (raw == Integer.class) {
            return Arbitraries.integers().injectNull(0.3).map(i -> i);
        }
        if (raw == long.class) {
            return Arbitraries.longs().map(i -> i);
        }
        if (raw == Long.class) {
            return Arbitraries.longs().injectNull(0.3).map(i -> i);
        }
        if (raw == double.class || raw == Double.class) {
            Arbitrary<Double> d = Arbitraries.oneOf(Arbitraries.of(0.0, 2.5, 8.0, 1e7, 5000.0),
                    Arbitraries.doubles().between(-1e9, 1e9));
            return (raw == Double.class ? d.injectNull(0.3) : d).map(x -> x);
        }
        if (raw == boolean.class) {
            return Arbitraries.of(true, false).map(x -> x);
        }
        if (raw == Boolean.class) {
            return Arbitraries.of(true, false).injectNull(0.3).map(x -> x);
        }
        if (raw.isEnum()) {
            return Arbitraries.of((Object[]) raw.getEnumConstants()).injectNull(0.3);
        }
        if (List.class.isAssignableFrom(raw)) {
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            Arbitrary<Object> e = forType(element).filter(x -> x != null);
            return e.list().ofMaxSize(3).map(l -> (Object) l).injectNull(0.2);
        }
        if (Map.class.isAssignableFrom(raw)) {
            return Arbitraries.maps(name(), text()).ofMaxSize(3).map(m -> (Object) new TreeMap<>(m)).injectNull(0.2);
        }
        if (raw.isRecord()) {
            RecordComponent[] rcs = raw.getRecordComponents();
            List<Arbitrary<Object>> parts = new ArrayList<>();
            Class<?>[] types = new Class<?>[rcs.length];
            for (int i = 0; i < rcs.length; i++) {
                parts.add(forType(rcs[i].getGenericType()));
                types[i] = rcs[i].getType();
            }
            Constructor<?> ctor;
            try {
                ctor = raw.getDeclaredConstructor(types);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
            Arbitrary<Object> record = (parts.isEmpty() ? Arbitraries.just(List.<Object>of())
                    : Combinators.combine(parts).as(l -> (Object) l))
                    .map(args -> {
                        try {
                            return ctor.newInstance(((List<Object>) args).toArray());
                        } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
                            throw new IllegalStateException(e);
                        }
                    });
            return Capability.class.isAssignableFrom(raw) ? record : record.injectNull(0.2);
        }
        throw new IllegalStateException("no generator for " + type);
    }
}
