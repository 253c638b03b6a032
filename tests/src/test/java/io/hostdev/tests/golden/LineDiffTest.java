package io.hostdev.tests.golden;

import org.junit.jupiter.api.Test;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class LineDiffTest {

    static String lines(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void equalTextsHaveNoDiff() {
        assertThat(LineDiff.describe("a\nb\n", "a\nb\n")).isNull();
    }

    @Test
    void aChangedLineIsShownWithItsNumberAndContext() {
        String expected = lines(0, 5000);
        String actual = expected.replace("line 2500\n", "line 2500 changed\n");
        assertThat(LineDiff.describe(expected, actual)).isEqualTo("""
                expected 5000 lines, got 5000 lines
                @@ expected line 2501, actual line 2501 @@
                  line 2498
                  line 2499
                - line 2500
                + line 2500 changed
                  line 2501
                  line 2502""");
    }

    @Test
    void insertedLinesDoNotMakeEverythingAfterThemDiffer() {
        String expected = lines(0, 100);
        String actual = lines(0, 50) + "new a\nnew b\n" + lines(50, 100);
        String diff = LineDiff.describe(expected, actual);
        assertThat(diff).contains("+ new a\n+ new b").doesNotContain("- line");
    }

    @Test
    void onlyTheFirstRegionsAreShown() {
        String expected = lines(0, 1000);
        String actual = expected;
        for (int i = 0; i < 1000; i += 100) {
            actual = actual.replace("line " + i + "\n", "changed " + i + "\n");
        }
        String diff = LineDiff.describe(expected, actual);
        assertThat(diff).contains("changed 0", "changed 100", "changed 200").doesNotContain("changed 300")
                .contains("... and 7 more differing regions");
        assertThat(diff.lines().count()).isLessThan(40);
    }

    @Test
    void aMissingFinalNewlineIsNamed() {
        assertThat(LineDiff.describe("a\nb\n", "a\nb")).contains("only in their final newline");
    }

    @Test
    void veryLongLinesAreCut() {
        String diff = LineDiff.describe("x\n", "y".repeat(5000) + "\n");
        assertThat(diff).contains("... (5000 characters)");
        assertThat(diff.length()).isLessThan(400);
    }
}
