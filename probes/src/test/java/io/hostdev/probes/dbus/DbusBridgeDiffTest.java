package io.hostdev.probes.dbus;

import io.hostdev.probes.dbus.DbusChange.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The bridge's pure parts: which keys changed between two reads, the reconnect delays. */
class DbusBridgeDiffTest {

    static SortedMap<String, Object> map(String... kv) {
        SortedMap<String, Object> m = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void addedRemovedAndChangedKeysInKeyOrder() {
        assertThat(DbusBridge.diff("s", map("/dev/a", "1", "/dev/b", "2", "/dev/c", "3"),
                map("/dev/b", "2", "/dev/c", "4", "/dev/d", "5")))
                .containsExactly(
                        new DbusChange("s", Kind.REMOVED, "/dev/a"),
                        new DbusChange("s", Kind.CHANGED, "/dev/c"),
                        new DbusChange("s", Kind.ADDED, "/dev/d"));
    }

    @Test
    void identicalReadsAreNoChange() {
        assertThat(DbusBridge.diff("s", map("k", "v"), map("k", "v"))).isEmpty();
        assertThat(DbusBridge.diff("s", map(), map())).isEmpty();
    }

    @ParameterizedTest(name = "try {0} → {1} ms")
    @CsvSource({"0, 250", "1, 500", "2, 1000", "6, 16000", "7, 30000", "40, 30000", "63, 30000", "1000, 30000"})
    void backoffDoublesUpToItsCap(int tries, long millis) {
        assertThat(DbusBridge.backoff(Duration.ofMillis(250), Duration.ofSeconds(30), tries))
                .isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void aSocketFileNobodyListensOnIsRefused(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertThat(DbusBridge.refused(dir.resolve("none"))).contains("cannot connect");
        Path plain = java.nio.file.Files.writeString(dir.resolve("file"), "");
        assertThat(DbusBridge.refused(plain)).contains("cannot connect");
    }
}
