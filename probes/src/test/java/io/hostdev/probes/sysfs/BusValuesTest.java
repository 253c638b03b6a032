package io.hostdev.probes.sysfs;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class BusValuesTest {

    @Nested
    class Text {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "'ATA     '|ATA",
                "'  2.00'|2.00",
                "'Samsung SSD 860 '|Samsung SSD 860",
                "'a  b'|a  b"})
        void stripsPaddingButKeepsInnerSpaces(String raw, String expected) {
            assertThat(BusValues.text(raw)).isEqualTo(expected);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "   ", "\t\n"})
        void blankIsAbsent(String raw) {
            assertThat(BusValues.text(raw)).isNull();
        }
    }

    @Nested
    class Decimal {
        @ParameterizedTest
        @CsvSource({
                "0, 0",
                "001, 1",
                "' 42 ', 42",
                "9223372036854775807, 9223372036854775807"})
        void readsNonNegativeAsciiDecimals(String raw, long expected) {
            assertThat(BusValues.decimal(raw)).isEqualTo(expected);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "-1", "+1", "0x10", "1.5", "12a", "1 2", "\u0661\u0662",
                "9223372036854775808", "99999999999999999999", "18446744073709551615"})
        void anythingElseIsAbsent(String raw) {
            assertThat(BusValues.decimal(raw)).isNull();
        }

        @ParameterizedTest
        @CsvSource({"2147483647, 2147483647", "7, 7"})
        void narrowsToInt(String raw, int expected) {
            assertThat(BusValues.decimalInt(raw)).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"2147483648", "4294967295"})
        void intOverflowIsAbsentNotWrapped(String raw) {
            assertThat(BusValues.decimalInt(raw)).isNull();
        }
    }

    @Nested
    class Hex {
        @ParameterizedTest
        @CsvSource({
                "1d6b, 7531",
                "0x1AF4, 6900",
                "0X0005, 5"})
        void readsWithOrWithoutPrefixInEitherCase(String raw, long expected) {
            assertThat(BusValues.hex(raw)).isEqualTo(expected);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "0x", "g1", "-1", "+1", "0x-1", "1 2", "\uff11", "10000000000000000"})
        void anythingElseIsAbsent(String raw) {
            assertThat(BusValues.hex(raw)).isNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"80000000", "ffffffffffffffff"})
        void intOverflowIsAbsentNotNegative(String raw) {
            assertThat(BusValues.hexInt(raw)).isNull();
        }

        @ParameterizedTest
        @CsvSource({
                "1d6b, 4, 0x1d6b",
                "0x1AF4, 4, 0x1af4",
                "9, 2, 0x09",
                "0x0005, 4, 0x0005",
                "0x554d4551, 4, 0x554d4551",
                "0x00001af4, 4, 0x1af4",
                "ffffffffffffffff, 4, 0xffffffffffffffff"})
        void idsArePrefixedLowerCaseAndPaddedToTheirWidth(String raw, int digits, String expected) {
            assertThat(BusValues.hexId(raw, digits)).isEqualTo(expected);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "zz", "0x"})
        void garbageIdIsAbsent(String raw) {
            assertThat(BusValues.hexId(raw, 4)).isNull();
        }
    }
}
