package io.hostdev.probes;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class SysfsValuesTest {

    @Nested
    class Text {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "'ATA     '|ATA",
                "'  2.00'|2.00",
                "'Samsung SSD 860 '|Samsung SSD 860",
                "'a  b'|a  b"})
        void stripsPaddingButKeepsInnerSpaces(String raw, String expected) {
            assertThat(SysfsValues.text(raw)).isEqualTo(expected);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "   ", "\t\n"})
        void blankIsAbsent(String raw) {
            assertThat(SysfsValues.text(raw)).isNull();
        }
    }

    @Nested
    class Decimal {
        @ParameterizedTest
        @CsvSource({
                "0, 0",
                "001, 1",
                "' 42 ', 42",
                "'7\n', 7",
                "9223372036854775807, 9223372036854775807",
                "0000000000000000001, 1"})
        void readsNonNegativeAsciiDecimals(String raw, long expected) {
            assertThat(SysfsValues.decimal(raw)).isEqualTo(expected);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "-1", "+1", "0x10", "1.5", "12a", "1 2", "\u0661\u0662", "\uff11",
                "9223372036854775808", "99999999999999999999", "18446744073709551615", "00000000000000000001"})
        void anythingElseIsAbsent(String raw) {
            assertThat(SysfsValues.decimal(raw)).isNull();
        }

        @ParameterizedTest
        @CsvSource({"2147483647, 2147483647", "7, 7"})
        void narrowsToInt(String raw, int expected) {
            assertThat(SysfsValues.decimalInt(raw)).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"2147483648", "4294967295", "-1", "+1", "\u0661"})
        void intOverflowAndGarbageAreAbsentNotWrapped(String raw) {
            assertThat(SysfsValues.decimalInt(raw)).isNull();
        }
    }

    @Nested
    class SignedDecimal {
        @ParameterizedTest
        @CsvSource({
                "0, 0",
                "-1, -1",
                "-0, 0",
                "' -7\n', -7",
                "4294967295, 4294967295",
                "9223372036854775807, 9223372036854775807",
                "-9223372036854775808, -9223372036854775808"})
        void readsAsciiDecimalsWithAnOptionalMinus(String raw, long expected) {
            assertThat(SysfsValues.signedDecimal(raw)).isEqualTo(expected);
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"-", "+1", "--1", "-+1", "- 1", "1-", "0x10", "-0x10", "1.5", "\u0661",
                "-\u0661", "9223372036854775808", "-9223372036854775809", "99999999999999999999"})
        void anythingElseIsAbsent(String raw) {
            assertThat(SysfsValues.signedDecimal(raw)).isNull();
        }
    }

    @Nested
    class Hex {
        @ParameterizedTest
        @CsvSource({
                "1d6b, 7531",
                "0x1AF4, 6900",
                "0X0005, 5",
                "' 0x10\n', 16",
                "7fffffffffffffff, 9223372036854775807",
                "0xffffffffffffffff, -1"})
        void readsWithOrWithoutPrefixInEitherCase(String raw, long expected) {
            assertThat(SysfsValues.hex(raw)).isEqualTo(expected);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "0x", "g1", "-1", "+1", "0x-1", "0x+1", "-0x1", "1 2", "\uff11", "0x\u0661",
                "10000000000000000", "0x00000000000000001", "0xx1"})
        void anythingElseIsAbsent(String raw) {
            assertThat(SysfsValues.hex(raw)).isNull();
        }

        @ParameterizedTest
        @CsvSource({"7fffffff, 2147483647", "0x0001, 1"})
        void narrowsToInt(String raw, int expected) {
            assertThat(SysfsValues.hexInt(raw)).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"80000000", "ffffffffffffffff", "+1"})
        void intOverflowIsAbsentNotNegative(String raw) {
            assertThat(SysfsValues.hexInt(raw)).isNull();
        }

        @ParameterizedTest
        @CsvSource({"0, 0", "9, 9", "a, 10", "f, 15", "A, 10", "F, 15"})
        void digitsAreAsciiHex(char c, int expected) {
            assertThat(SysfsValues.hexDigit(c)).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(chars = {'g', 'G', 'x', ' ', '-', '+', '\u0000', '\u0661', '\uff11', '\uff41', '\ufffd'})
        void anyOtherCharacterIsNoDigit(char c) {
            assertThat(SysfsValues.hexDigit(c)).isEqualTo(-1);
        }
    }

    @Nested
    class DecimalOrHex {
        @ParameterizedTest
        @CsvSource({"42, 42", "0x1af4, 6900", "0X10, 16", "-1, -1", "' 7\n', 7", "0xffffffffffffffff, -1",
                "4294967295, 4294967295", "-9223372036854775808, -9223372036854775808"})
        void parsesDecimalAndHex(String text, long expected) {
            assertThat(SysfsValues.decimalOrHex(text)).isEqualTo(expected);
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"0x", "0xZZ", "12abc", "1.5", "--1", "999999999999999999999", "\u0000", "- 1",
                "+1", "+0x10", "-+1", "\u0661", "-\u0661\u0662", "0x\u0661", "1af4", "0x00000000000000000001",
                "00000000000000000001"})
        void garbageIsNull(String text) {
            assertThat(SysfsValues.decimalOrHex(text)).isNull();
        }

        @Test
        void aSignBeforeHexIsRefusedBecauseHashXPrintsNone() {
            // HostFiles.parseLong read "-0x10" as -16; no kernel prints it, so it is garbage now
            assertThat(SysfsValues.decimalOrHex("-0x10")).isNull();
        }

        @Test
        void intRangeIsChecked() {
            assertThat(SysfsValues.decimalOrHexInt("4294967295")).isNull();
            assertThat(SysfsValues.decimalOrHexInt("-1")).isEqualTo(-1);
            assertThat(SysfsValues.decimalOrHexInt("-2147483648")).isEqualTo(Integer.MIN_VALUE);
            assertThat(SysfsValues.decimalOrHexInt("-2147483649")).isNull();
            assertThat(SysfsValues.decimalOrHexInt("0x7fffffff")).isEqualTo(Integer.MAX_VALUE);
            assertThat(SysfsValues.decimalOrHexInt("0xffffffff")).isNull();
            assertThat(SysfsValues.decimalOrHexInt("\u0661")).isNull();
        }
    }

    @Nested
    class HexId {
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
            assertThat(SysfsValues.hexId(raw, digits)).isEqualTo(expected);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "zz", "0x", "+1af4", "\u0661"})
        void garbageIdIsAbsent(String raw) {
            assertThat(SysfsValues.hexId(raw, 4)).isNull();
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "0x8086     | 65535    | 4 | 0x8086",
                "0x1AF4     | 65535    | 4 | 0x1af4",
                "'0x0000\n' | 65535    | 4 | 0x0000",
                "1af4       | 65535    | 4 | 0x1af4",
                "0D57       | 65535    | 4 | 0x0d57",
                "0xffff     | 65535    | 4 | 0xffff",
                "20000      | 16777215 | 6 | 0x020000",
                "FFFF00     | 16777215 | 6 | 0xffff00",
                "0x060400   | 16777215 | 6 | 0x060400",
                "0x2        | 255      | 2 | 0x02",
                "0xa1       | 255      | 2 | 0xa1",
        })
        void boundedIdsAreLowerCaseZeroPaddedHex(String text, long max, int digits, String expected) {
            assertThat(SysfsValues.hexId(text, digits, max)).isEqualTo(expected);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "0x", "0x10000", "xyz", "0x80 86", "-1", "0xfffffffff", "0x\uff18\uff10",
                "\u0000\u0001", "ffffffffffffffff", "+8086", "\u0661\u0662"})
        void idsAboveTheirRangeOrGarbageAreAbsent(String text) {
            assertThat(SysfsValues.hexId(text, 4, 0xffff)).isNull();
        }
    }

    @Nested
    class Flag {
        @ParameterizedTest(name = "flag \"{0}\" -> {1}")
        @CsvSource(nullValues = "null", value = {
                "0, false",
                "1, true",
                "' 1 ', true",
                "'0\n', false",
                "2, null",
                "yes, null",
                "01, null",
                "+1, null",
                "\u0661, null",
                "'', null",
                "null, null"})
        void flagsAreZeroOrOne(String text, Boolean expected) {
            assertThat(SysfsValues.flag(text)).isEqualTo(expected);
        }
    }

    @Test
    void noInputMakesAnyParserThrow() {
        List<Function<String, ?>> parsers = List.of(SysfsValues::text, SysfsValues::decimal,
                SysfsValues::decimalInt, SysfsValues::signedDecimal, SysfsValues::hex, SysfsValues::hexInt,
                SysfsValues::decimalOrHex, SysfsValues::decimalOrHexInt, SysfsValues::flag,
                s -> SysfsValues.hexId(s, 4), s -> SysfsValues.hexId(s, 4, 0xffff));
        String alphabet = "0123456789abcdefxX-+ \t\n\u0000\u0661\uff11\ufffd";
        Random random = new Random(42);
        for (int i = 0; i < 5000; i++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(24);
            for (int j = 0; j < length; j++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = sb.toString();
            for (Function<String, ?> parser : parsers) {
                assertThatCode(() -> parser.apply(s)).as("input %s", s).doesNotThrowAnyException();
            }
        }
    }
}
