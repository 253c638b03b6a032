package io.hostdev.probes.host;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.BitSet;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class CpuListTest {

    @Nested
    class Parse {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "0-3,8,10-11|0,1,2,3,8,10,11",
                "0|0",
                "'0-1\n'|0,1",
                "' 2,4 '|2,4",
                "5-5|5",
                "3,1,3|1,3",
                "0-2,1-3|0,1,2,3",
                "65535|65535"})
        void readsIdsAndRanges(String raw, String ids) {
            BitSet expected = new BitSet();
            for (String id : ids.split(",")) {
                expected.set(Integer.parseInt(id));
            }
            assertThat(CpuList.parse(raw)).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "\n", "   "})
        void anEmptyLineIsAnEmptyList(String raw) {
            assertThat(CpuList.parse(raw)).isEqualTo(new BitSet());
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"3-1", "a", "1,,2", ",", "1,", "-1", "1-", "-", "0x1", "1 2", "65536",
                "0-65536", "000001", "0-2147483647", "1-2-3", "\u0661", "+1"})
        void anythingElseIsAbsent(String raw) {
            assertThat(CpuList.parse(raw)).isNull();
        }

        @Test
        void randomBytesNeverThrow() {
            Random random = new Random(7);
            for (int i = 0; i < 2000; i++) {
                byte[] b = new byte[random.nextInt(24)];
                random.nextBytes(b);
                String s = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThatCode(() -> CpuList.parse(s)).doesNotThrowAnyException();
            }
        }
    }

    @Nested
    class Format {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "0-3,8,10-11|0-3,8,10-11",
                "0,4|0,4",
                "0,1|0-1",
                "0-1,2|0-2",
                "7|7",
                "0,2,4,6|0,2,4,6",
                "12,44|12,44"})
        void printsRunsOfTwoOrMoreAsRanges(String raw, String expected) {
            assertThat(CpuList.canonical(raw)).isEqualTo(expected);
        }

        @Test
        void theEmptySetIsTheEmptyString() {
            assertThat(CpuList.format(new BitSet())).isEmpty();
        }

        @Test
        void garbageHasNoCanonicalForm() {
            assertThat(CpuList.canonical("0-")).isNull();
        }
    }
}
