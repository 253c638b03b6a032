package io.hostdev.probes.oshi;

import io.hostdev.model.cap.SystemCapability;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import oshi.hardware.PhysicalMemory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class OshiProbeTest {

    @Nested
    class Mapping {

        @Test
        void identityTakesOshisValuesAndSplitsTheModel() {
            assertThat(OshiProbe.identity("QEMU", "Standard PC (Q35 + ICH9, 2009) (version: pc-q35-7.2)", "unknown",
                    "9F2D6A48-0C5A-4E3B-8B0A-3C1D2E4F5A6B"))
                    .isEqualTo(new OshiFacts.Identity("QEMU", "Standard PC (Q35 + ICH9, 2009)", "pc-q35-7.2", null,
                            "9f2d6a48-0c5a-4e3b-8b0a-3c1d2e4f5a6b"));
        }

        @Test
        void identityOfPlaceholdersOnlyIsAbsent() {
            // what OSHI answers on this project's VMs, which have no DMI
            assertThat(OshiProbe.identity("unknown", "unknown", "unknown", "unknown")).isNull();
            assertThat(OshiProbe.identity(null, "", "To be filled by O.E.M.", "00000000-0000-0000-0000-000000000000"))
                    .isNull();
        }

        @ParameterizedTest
        @CsvSource(nullValues = "~", value = {
                "03000200-0400-0500-0006-000700080009, 03000200-0400-0500-0006-000700080009",
                "4C4C4544-0042-3610-8052-B4C04F4E4D32, 4c4c4544-0042-3610-8052-b4c04f4e4d32",
                "00000000-0000-0000-0000-000000000000, ~",
                "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF, ~",
                "unknown, ~"})
        void aUuidTheFirmwareLeftUnsetIsAbsent(String raw, String expected) {
            assertThat(OshiProbe.uuid(raw)).isEqualTo(expected);
        }

        @Test
        void firmwareAndBaseboardKeepWhatIsKnownAndAreAbsentWhenNothingIs() {
            assertThat(OshiProbe.firmware("", "unknown", "unknown")).isNull();
            assertThat(OshiProbe.firmware("SeaBIOS", "1.16.2-debian-1.16.2-1", "2014-04-01"))
                    .isEqualTo(new OshiFacts.Firmware("SeaBIOS", "1.16.2-debian-1.16.2-1", "2014-04-01"));
            assertThat(OshiProbe.baseboard("unknown", "unknown", "unknown", "unknown")).isNull();
            assertThat(OshiProbe.baseboard("ASUSTeK COMPUTER INC.", "PRIME X570-P", "Rev X.0x", "Default string"))
                    .isEqualTo(new SystemCapability.Baseboard("ASUSTeK COMPUTER INC.", "PRIME X570-P", "Rev X.0x",
                            null));
        }

        @Test
        void memoryModulesAreNormalisedAndEmptySlotsLeftOut() {
            // OSHI's own value class: bank, bytes, Hz, manufacturer, type, part number, serial
            List<PhysicalMemory> oshi = new ArrayList<>();
            oshi.add(new PhysicalMemory("BANK 0/DIMM_A1", 17179869184L, 3200000000L, "Kingston", "DDR4",
                    "KF3200C16D4/16GX", "Unknown"));
            oshi.add(new PhysicalMemory("unknown", 0, 0, "unknown", "unknown", "unknown", "unknown"));
            oshi.add(new PhysicalMemory("BANK 1/DIMM_B1", 8589934592L, -1, "Not Specified", "Unknown", "None", ""));
            oshi.add(null);
            assertThat(OshiProbe.modules(oshi)).containsExactly(
                    new SystemCapability.MemoryModule("BANK 0/DIMM_A1", 17179869184L, 3200L, "Kingston", "DDR4",
                            "KF3200C16D4/16GX"),
                    new SystemCapability.MemoryModule("BANK 1/DIMM_B1", 8589934592L, null, null, null, null));
            assertThat(OshiProbe.modules(null)).isEmpty();
        }

        @Test
        void sensorsAreRoundedAndAbsentWhenOshiReadNone() {
            assertThat(OshiProbe.sensors(47.625, new int[] {1210, 0}, 1.2371))
                    .isEqualTo(new SystemCapability.Sensors(48, List.of(1210), 1.24));
            assertThat(OshiProbe.sensors(0, new int[0], 0)).isNull();
            assertThat(OshiProbe.sensors(Double.NaN, null, Double.NaN)).isNull();
            assertThat(OshiProbe.sensors(0, new int[] {900}, 0))
                    .isEqualTo(new SystemCapability.Sensors(null, List.of(900), null));
        }
    }

    @Nested
    class LiveRoot {

        @Test
        void theFilesystemRootIsTheLiveHost() {
            assertThat(OshiProbe.isLiveRoot(HostRoot.live())).isTrue();
        }

        @Test
        void aFixtureRootIsNotAndGetsNoFacts(@TempDir Path tmp) throws IOException {
            Files.createDirectories(tmp.resolve("sys/class/dmi/id"));
            Files.writeString(tmp.resolve("sys/class/dmi/id/sys_vendor"), "Fixture Inc.\n");
            assertThat(OshiProbe.isLiveRoot(HostRoot.of(tmp))).isFalse();
            assertThat(new OshiProbe().probe(HostFiles.of(HostRoot.of(tmp)))).isSameAs(OshiFacts.NONE);
        }

        @Test
        void aLinkToTheFilesystemRootIsTheLiveHost(@TempDir Path tmp) throws IOException {
            Path link = Files.createSymbolicLink(tmp.resolve("host"), HostRoot.live().path());
            assertThat(OshiProbe.isLiveRoot(HostRoot.of(link))).isTrue();
            assertThat(OshiProbe.isLiveRoot(HostRoot.of(tmp.resolve("missing")))).isFalse();
        }
    }

    /**
     * OSHI on this very machine: whatever it has, nothing OSHI could not read shows up as "unknown",
     * and what the kernel exposes matches. The project's VMs have no DMI, no hwmon and no
     * SMBIOS for dmidecode, so there everything but the memory total is absent.
     */
    @Nested
    class OnThisHost {

        final HostRoot live = HostRoot.live();

        @Test
        void readsWhatTheKernelHasAndNoPlaceholders() throws IOException {
            long t0 = System.nanoTime();
            OshiFacts facts = new OshiProbe().probe(HostFiles.of(live));
            long t1 = System.nanoTime();
            OshiFacts again = new OshiProbe().read();
            long t2 = System.nanoTime();
            System.out.printf("OshiProbe on this host: cold read %.0f ms, warm read %.0f ms%n", (t1 - t0) / 1e6,
                    (t2 - t1) / 1e6);

            assertThat(facts.memoryTotal()).as("sysinfo(2) total, as /proc/meminfo's MemTotal")
                    .isEqualTo(memTotalBytes());
            assertThat(again.system()).isEqualTo(facts.system());

            Path dmi = live.sys().resolve("class/dmi/id");
            if (facts.system() != null) {
                assertNoPlaceholders(facts.system().manufacturer(), facts.system().product(), facts.system().version(),
                        facts.system().serial(), facts.system().uuid());
                String vendor = OshiValues.text(read(dmi.resolve("sys_vendor")));
                if (vendor != null) {
                    assertThat(facts.system().manufacturer()).isEqualTo(vendor);
                }
            }
            if (facts.firmware() != null) {
                assertNoPlaceholders(facts.firmware().manufacturer(), facts.firmware().version(),
                        facts.firmware().releaseDate());
            }
            if (facts.baseboard() != null) {
                assertNoPlaceholders(facts.baseboard().manufacturer(), facts.baseboard().model(),
                        facts.baseboard().version(), facts.baseboard().serial());
            }
            for (SystemCapability.MemoryModule m : facts.memory()) {
                assertNoPlaceholders(m.locator(), m.manufacturer(), m.type(), m.partNumber());
                if (m.size() != null) {
                    assertThat(m.size()).isPositive();
                }
            }
            if (!Files.isDirectory(dmi) && !Files.isDirectory(live.sys().resolve("firmware/dmi"))) {
                // no SMBIOS tables: neither the kernel nor dmidecode has anything to say
                assertThat(facts.system()).isNull();
                assertThat(facts.firmware()).isNull();
                assertThat(facts.baseboard()).isNull();
                assertThat(facts.memory()).isEmpty();
            }
            if (!hasSensorFiles()) {
                assertThat(facts.sensors()).isNull();
            }
        }

        private long memTotalBytes() throws IOException {
            for (String line : Files.readAllLines(live.proc().resolve("meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            throw new AssertionError("no MemTotal in meminfo");
        }

        private boolean hasSensorFiles() throws IOException {
            for (Path dir : List.of(live.sys().resolve("class/hwmon"), live.sys().resolve("class/thermal"))) {
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> s = Files.list(dir)) {
                    if (s.anyMatch(p -> p.getFileName().toString().startsWith("hwmon")
                            || p.getFileName().toString().startsWith("thermal_zone"))) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static String read(Path p) {
            try {
                return Files.readString(p);
            } catch (IOException e) {
                return null;
            }
        }

        private static void assertNoPlaceholders(String... values) {
            for (String v : values) {
                if (v != null) {
                    assertThat(OshiValues.text(v)).as("'%s' is a placeholder or untrimmed", v).isEqualTo(v);
                }
            }
        }
    }
}
