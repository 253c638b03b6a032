package io.hostdev.agent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigValuesTest {

    @ParameterizedTest
    @CsvSource({"250ms, PT0.25S", "0s, PT0S", "30s, PT30S", "10m, PT10M", "2h, PT2H", "7d, PT168H"})
    void durationsAreANumberAndOneUnit(String text, Duration expected) {
        assertThat(ConfigValues.duration(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "s", "1.5s", "-1s", "1 s", "1S", "1m30s", "PT30S", "1w", "9999999999999s"})
    void otherDurationsAreRefusedSayingTheForm(String text) {
        assertThatThrownBy(() -> ConfigValues.duration(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a duration (a whole number and one of ms, s, m, h, d");
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "65536, 65536", "64KiB, 65536", "4MiB, 4194304", "1GiB, 1073741824", "12B, 12"})
    void sizesAreBytesOrBinaryUnits(String text, long expected) {
        assertThat(ConfigValues.bytes(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "4MB", "4 MiB", "4mib", "-1", "1.5KiB", "KiB", "99999999999999999999"})
    void otherSizesAreRefused(String text) {
        assertThatThrownBy(() -> ConfigValues.bytes(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSizeThatOverflowsIsRefused() {
        assertThatThrownBy(() -> ConfigValues.bytes("9000000000000GiB")).hasMessage("'9000000000000GiB' is too large");
    }

    @ParameterizedTest
    @CsvSource({"1, 1, 1", "2147483647, 1, 2147483647", "0, 0, 0"})
    void integersHaveALowerBound(String text, int min, int expected) {
        assertThat(ConfigValues.integer(text, min)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0, 1, must be at least 1", "2147483648, 1, is too large", "-5, 0, is not a whole number",
        "1e3, 0, is not a whole number", "0x10, 0, is not a whole number"})
    void badIntegersSayWhy(String text, int min, String why) {
        assertThatThrownBy(() -> ConfigValues.integer(text, min)).hasMessageContaining(why);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "on", "off", "True", "1", ""})
    void onlyTrueAndFalseAreBooleans(String text) {
        assertThatThrownBy(() -> ConfigValues.bool(text)).hasMessage("'" + text + "' is not true or false");
    }

    @ParameterizedTest
    @CsvSource({"PT0.25S, 250ms", "PT30S, 30s", "PT90S, 90s", "PT10M, 10m", "PT36H, 36h", "PT168H, 7d", "PT0S, 0ms"})
    void durationsAreWrittenInTheLargestWholeUnit(Duration d, String expected) {
        assertThat(ConfigValues.format(d)).isEqualTo(expected);
        assertThat(ConfigValues.duration(expected)).isEqualTo(d);
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1000, 1000", "65536, 64KiB", "4194304, 4MiB", "1073741824, 1GiB", "1536, 1536"})
    void sizesAreWrittenInTheLargestWholeUnit(long n, String expected) {
        assertThat(ConfigValues.formatBytes(n)).isEqualTo(expected);
        assertThat(ConfigValues.bytes(expected)).isEqualTo(n);
    }
}
