package io.hostdev.probes.dbus;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DbusValuesTest {

    @Nested
    class BytesAsString {

        static Stream<Arguments> cases() {
            return Stream.of(
                    Arguments.of(new byte[] {'/', 'd', 'e', 'v', '/', 's', 'd', 'a', 0}, "/dev/sda"),
                    Arguments.of(new byte[] {'/', 'd', 'e', 'v', '/', 's', 'd', 'a'}, "/dev/sda"),
                    Arguments.of(new byte[] {'a', 0, 'b', 0}, "a"),
                    Arguments.of(new byte[] {0}, null),
                    Arguments.of(new byte[0], null),
                    Arguments.of(List.of((byte) 'x', (byte) 0), "x"),
                    Arguments.of(new Byte[] {(byte) 'y', (byte) 0}, "y"),
                    Arguments.of(new Variant<>(new byte[] {'z', 0}), "z"),
                    Arguments.of(List.of("not", "bytes"), null),
                    Arguments.of("/dev/sda", null),
                    Arguments.of(null, null));
        }

        @ParameterizedTest(name = "{index}: {1}")
        @MethodSource("cases")
        void decodesTheTextBeforeTheFirstNul(Object raw, String expected) {
            assertThat(DbusValues.bytesAsString(raw)).isEqualTo(expected);
        }

        @Test
        void invalidUtf8IsDecodedLeniently() {
            assertThat(DbusValues.bytesAsString(new byte[] {'a', (byte) 0xff, 0})).startsWith("a").hasSize(2);
        }
    }

    @Nested
    class Scalars {

        @Test
        void integersOfEveryDbusWidthAreLongsAndOtherTypesAbsent() {
            assertThat(DbusValues.integer(new Variant<>(5400))).isEqualTo(5400L);
            assertThat(DbusValues.integer(new UInt32(7))).isEqualTo(7L);
            assertThat(DbusValues.integer(new UInt64(10L << 30))).isEqualTo(10L << 30);
            assertThat(DbusValues.integer((short) -1)).isEqualTo(-1L);
            assertThat(DbusValues.integer(1.5)).isNull();
            assertThat(DbusValues.integer("12")).isNull();
            assertThat(DbusValues.integer(null)).isNull();
        }

        @Test
        void emptyStringsAreAbsentAndObjectPathsAreText() {
            assertThat(DbusValues.string(new Variant<>(""))).isNull();
            assertThat(DbusValues.string(new Variant<>("ATA"))).isEqualTo("ATA");
            assertThat(DbusValues.string(new DBusPath("/a/b"))).isEqualTo("/a/b");
            assertThat(DbusValues.string(3)).isNull();
        }

        @Test
        void theRootObjectPathMeansNone() {
            assertThat(DbusValues.objectPath(new DBusPath("/"))).isNull();
            assertThat(DbusValues.objectPath(new DBusPath("/org/x"))).isEqualTo("/org/x");
        }

        @Test
        void booleansAndDoublesOnlyFromTheirOwnTypes() {
            assertThat(DbusValues.bool(new Variant<>(true))).isTrue();
            assertThat(DbusValues.bool("true")).isNull();
            assertThat(DbusValues.real(2.0)).isEqualTo(2.0);
            assertThat(DbusValues.real(Double.NaN)).isNull();
            assertThat(DbusValues.real(2)).isNull();
        }

        @Test
        void stringListsFromListsOrArraysAndNothingMixed() {
            assertThat(DbusValues.strings(List.of("a", "b"))).containsExactly("a", "b");
            assertThat(DbusValues.strings(new String[] {"c"})).containsExactly("c");
            assertThat(DbusValues.strings(Arrays.asList("a", 1))).isNull();
            assertThat(DbusValues.strings(new int[] {1})).isNull();
            assertThat(DbusValues.strings("a")).isNull();
        }
    }
}
