package io.hostdev.probes.uevent;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.hostdev.probes.uevent.UeventMessages.kernel;
import static io.hostdev.probes.uevent.UeventMessages.libudev;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Properties of {@link UeventParser}: no input makes it throw, and what the kernel could send comes back intact. */
class UeventParserPropertiesTest {

    private static Uevent parse(byte[] msg) {
        return UeventParser.parse(msg, msg.length);
    }

    @Property(tries = 2000)
    void arbitraryBytesNeverThrow(@ForAll @Size(max = 600) byte[] msg, @ForAll boolean bigEndian) {
        assertThatCode(() -> UeventParser.parse(msg, msg.length,
                bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)).doesNotThrowAnyException();
    }

    // the header's numbers from a list of boundary values or at random; jqwik's own edge cases
    // for three ints and an array would outnumber the tries
    @Property(tries = 3000, edgeCases = EdgeCasesMode.NONE)
    void arbitraryLibudevHeadersNeverThrow(@ForAll @Size(max = 200) byte[] tail, @ForAll("headerFields") int headerSize,
                                          @ForAll("headerFields") int offset, @ForAll("headerFields") int length) {
        byte[] msg = libudev(ByteOrder.nativeOrder(), UeventParser.LIBUDEV_MAGIC, headerSize, offset, length, tail);

        assertThatCode(() -> parse(msg)).doesNotThrowAnyException();
    }

    @Provide
    Arbitrary<Integer> headerFields() {
        return Arbitraries.oneOf(Arbitraries.of(0, 8, 39, 40, 41, 44, 240, -1, -40, Integer.MIN_VALUE, Integer.MAX_VALUE),
                Arbitraries.integers().between(0, 300), Arbitraries.integers());
    }

    @Property(tries = 2000)
    void arbitraryPropertyBytesNeverThrow(@ForAll @Size(max = 300) byte[] props, @ForAll boolean udev) {
        byte[] msg;
        if (udev) {
            msg = libudev(ByteOrder.nativeOrder(), UeventParser.LIBUDEV_MAGIC, 40, 40, props.length, props);
        } else {
            byte[] header = kernel("add@/devices/x");
            msg = Arrays.copyOf(header, header.length + props.length);
            System.arraycopy(props, 0, msg, header.length, props.length);
        }

        assertThatCode(() -> parse(msg)).doesNotThrowAnyException();
    }

    @Property(tries = 1000)
    void wellFormedKernelEventsRoundTrip(@ForAll("actions") String action, @ForAll("devpaths") String devpath,
                                         @ForAll("environments") Map<String, String> env) {
        TreeMap<String, String> expected = new TreeMap<>(env);
        expected.put("ACTION", action);
        expected.put("DEVPATH", devpath);
        List<String> kvs = new ArrayList<>();
        expected.forEach((k, v) -> kvs.add(k + "=" + v));

        Uevent e = parse(kernel(action + "@" + devpath, kvs.toArray(String[]::new)));

        assertThat(e).isNotNull();
        assertThat(e.properties()).isEqualTo(expected);
        assertThat(e.subsystem()).isEqualTo(emptyToNull(expected.get("SUBSYSTEM")));
    }

    @Provide
    Arbitrary<String> actions() {
        return Arbitraries.oneOf(Arbitraries.of("add", "remove", "change", "move", "bind", "unbind", "online",
                "offline"), Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12));
    }

    @Provide
    Arbitrary<String> devpaths() {
        return Arbitraries.strings().withCharRange('!', '~').ofMaxLength(20).list().ofMinSize(1).ofMaxSize(6)
                .map(parts -> "/" + String.join("/", parts));
    }

    @Provide
    Arbitrary<Map<String, String>> environments() {
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of("SUBSYSTEM", "SEQNUM", "DEVTYPE", "DRIVER"),
                Arbitraries.strings().withCharRange('A', 'Z').withChars('_').ofMinLength(1).ofMaxLength(10))
                .filter(k -> !k.equals("ACTION") && !k.equals("DEVPATH"));
        Arbitrary<String> values = Arbitraries.strings().withCharRange(' ', '\u00ff').ofMaxLength(30);
        return Arbitraries.maps(keys, values).ofMaxSize(8);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
