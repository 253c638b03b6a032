package io.hostdev.probes.oshi;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class OshiValuesTest {

    @Nested
    class Text {
        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "  ", "unknown", "Unknown", "UNKNOWN", " unknown ", "None", "none",
                "To be filled by O.E.M.", "to be filled by o.e.m.", "To Be Filled By OEM", "Default string",
                "Not Specified", "Not Provided", "Not Available", "N/A", "\u0000", "\u0001\u0002"})
        void placeholdersAreAbsent(String raw) {
            assertThat(OshiValues.text(raw)).isNull();
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "QEMU|QEMU",
                "'  Dell Inc.  '|Dell Inc.",
                "'American Megatrends International, LLC.'|'American Megatrends International, LLC.'",
                "Unknown Vendor GmbH|Unknown Vendor GmbH",
                "None of the above|None of the above",
                "0|0"})
        void realTextIsTrimmedAndKept(String raw, String expected) {
            assertThat(OshiValues.text(raw)).isEqualTo(expected);
        }
    }

    @Nested
    class Numbers {
        @ParameterizedTest
        @CsvSource({"0", "-1", "-9223372036854775808"})
        void zeroAndNegativeAreAbsent(long raw) {
            assertThat(OshiValues.positive(raw)).isNull();
        }

        @Test
        void aPositiveValueIsKept() {
            assertThat(OshiValues.positive(17179869184L)).isEqualTo(17179869184L);
        }

        @ParameterizedTest
        @CsvSource({
                "3200000000, 3200",
                "2666000000, 2666",
                "2133333333, 2133",
                "800000000, 800"})
        void memorySpeedInHertzBecomesMegaTransfers(long hertz, long mts) {
            assertThat(OshiValues.megaTransfers(hertz)).isEqualTo(mts);
        }

        @ParameterizedTest
        @CsvSource({"0", "-1", "1", "499999"})
        void aMemorySpeedBelowOneMegaTransferIsAbsent(long hertz) {
            assertThat(OshiValues.megaTransfers(hertz)).isNull();
        }
    }

    @Nested
    class Sensors {
        @ParameterizedTest
        @CsvSource({
                "47.4, 47",
                "47.5, 48",
                "47.6, 48",
                "0.6, 1",
                "105.0, 105"})
        void temperatureIsRoundedToWholeDegrees(double raw, int expected) {
            assertThat(OshiValues.celsius(raw)).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(doubles = {0, -1, -273.15, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 5000})
        void temperatureOshiCouldNotReadIsAbsent(double raw) {
            assertThat(OshiValues.celsius(raw)).isNull();
        }

        @ParameterizedTest
        @CsvSource({
                "1.2, 1.2",
                "1.234, 1.23",
                "1.235, 1.24",
                "0.8999, 0.9",
                "12.0, 12.0"})
        void voltageIsRoundedToHundredths(double raw, double expected) {
            assertThat(OshiValues.volts(raw)).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(doubles = {0, -1, 0.004, Double.NaN, Double.POSITIVE_INFINITY})
        void voltageOshiCouldNotReadIsAbsent(double raw) {
            assertThat(OshiValues.volts(raw)).isNull();
        }

        @Test
        void fansReadingZeroOrLessAreLeftOutTheRestKeepTheirOrder() {
            assertThat(OshiValues.rpm(new int[] {1200, 0, 870, -1, 3000})).containsExactly(1200, 870, 3000);
            assertThat(OshiValues.rpm(new int[] {0, 0})).isEmpty();
            assertThat(OshiValues.rpm(new int[0])).isEmpty();
            assertThat(OshiValues.rpm(null)).isEmpty();
        }
    }

    @Nested
    class ProductAndVersion {
        @ParameterizedTest
        @CsvSource(delimiter = '|', nullValues = "~", value = {
                "Standard PC (Q35 + ICH9, 2009) (version: pc-q35-7.2)|Standard PC (Q35 + ICH9, 2009)|pc-q35-7.2",
                "Standard PC (Q35 + ICH9, 2009)|Standard PC (Q35 + ICH9, 2009)|~",
                "ThinkPad X1 Carbon|ThinkPad X1 Carbon|~",
                "PowerEdge R640 (version: Not Specified)|PowerEdge R640|~",
                "unknown|~|~",
                "' (version: 1.0)'|' (version: 1.0)'|~",
                "'(version: 1.0)'|'(version: 1.0)'|~"})
        void oshisJoinedModelIsSplitBack(String model, String product, String version) {
            assertThat(OshiValues.productAndVersion(model)).containsExactly(product == null ? null : product.strip(),
                    version);
        }

        @Test
        void absentModelIsNeitherProductNorVersion() {
            assertThat(OshiValues.productAndVersion(null)).containsExactly(null, null);
        }
    }

    @Test
    void arbitraryTextNeverThrows() {
        Random r = new Random(6);
        for (int i = 0; i < 10_000; i++) {
            char[] c = new char[r.nextInt(40)];
            for (int j = 0; j < c.length; j++) {
                c[j] = (char) r.nextInt(0x3000);
            }
            String s = new String(c);
            assertThatCode(() -> {
                OshiValues.text(s);
                OshiValues.productAndVersion(s);
                OshiProbe.uuid(s);
            }).doesNotThrowAnyException();
        }
    }
}
