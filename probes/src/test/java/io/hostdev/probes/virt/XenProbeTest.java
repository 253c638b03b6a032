package io.hostdev.probes.virt;

import io.hostdev.model.host.Guest;
import io.hostdev.model.host.Host;
import io.hostdev.probes.Access;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class XenProbeTest {

    static List<Guest> guests(String caps, String hostArch) {
        return XenProbe.guests(caps, hostArch, XenProbe.DeviceModel.DEFAULT);
    }

    @Nested
    class Tokens {

        @ParameterizedTest(name = "{0}")
        @CsvSource({
                // token,           os type, arch,   pae,   nonpae, ia64_be
                "xen-3.0-x86_32p,    xen,    i686,   true,  false,  false",
                "xen-3.0-x86_32,     xen,    i686,   false, true,   false",
                "hvm-3.0-x86_32p,    hvm,    i686,   true,  false,  false",
                "hvm-3.0-x86_64,     hvm,    x86_64, false, false,  false",
                "xen-3.0-ia64,       xen,    ia64,   false, false,  false",
                "xen-3.0-ia64be,     xen,    ia64,   false, false,  true",
                "hvm-3.0-ia64be,     hvm,    ia64,   false, false,  true",
                "xen-3.0-powerpc64,  xen,    ppc64,  false, false,  false",
                "xen-4.17-armv7l,    xen,    armv7l, false, false,  false",
                "xen-4.17-aarch64,   xen,    aarch64,false, false,  false",
                // a suffix means something only for its own arch
                "xen-3.0-x86_64p,    xen,    x86_64, false, false,  false",
                "xen-3.0-x86_32be,   xen,    i686,   false, true,   false",
        })
        void tokenBecomesAGuestKind(String token, String osType, String arch, boolean pae, boolean nonpae,
                boolean ia64Be) {
            assertThat(XenProbe.tokens(token)).containsExactly(new XenProbe.Token(osType, arch, pae, nonpae, ia64Be));
        }

        @ParameterizedTest
        @ValueSource(strings = {"xen-3.0-x86_64foo", "kvm-3.0-x86_64", "xen-3-x86_64", "xen-3.0-sparc",
                "XEN-3.0-x86_64", "xen-\uff13.0-x86_64", "hvm-3.0-", "xen-3.0-x86_32pp"})
        void unknownTokenIsSkipped(String text) {
            assertThat(XenProbe.tokens(text)).isEmpty();
        }

        @Test
        void tokensAreSeparatedByAnyWhiteSpace() {
            assertThat(XenProbe.tokens("xen-3.0-x86_64\thvm-3.0-x86_64\n  hvm-3.0-x86_32p "))
                    .extracting(t -> t.osType() + "/" + t.arch()).containsExactly("xen/x86_64", "hvm/x86_64", "hvm/i686");
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"   ", "\n"})
        void noCapabilitiesOfferNoGuests(String caps) {
            assertThat(guests(caps, "x86_64")).isEmpty();
        }

        @Test
        void arbitraryBytesNeverThrow() {
            Random r = new Random(42);
            for (int i = 0; i < 2000; i++) {
                byte[] b = new byte[r.nextInt(200)];
                r.nextBytes(b);
                String s = new String(b, StandardCharsets.UTF_8);
                assertThatCode(() -> guests(s, "x86_64")).doesNotThrowAnyException();
                assertThatCode(() -> XenProbe.isDom0(s, s)).doesNotThrowAnyException();
            }
            String huge = "xen-" + "9".repeat(100_000) + ".0-x86_64";
            assertThat(guests(huge + " hvm-3.0-x86_64", "x86_64")).extracting(Guest::osType).containsExactly("hvm",
                    "xen");
        }
    }

    @Nested
    class Guests {

        @Test
        void tokensForOneKindMergeTheirFeatures() {
            List<Guest> g = guests("hvm-3.0-x86_32 hvm-3.0-x86_32p", "x86_64");
            assertThat(g).hasSize(1);
            assertThat(g.get(0).features().pae()).isTrue();
            assertThat(g.get(0).features().nonpae()).isTrue();
        }

        @Test
        void hvmGuestsGetLoaderFirmwareFeaturesAndTheFullyVirtualizedMachine() {
            Guest hvm = guests("hvm-3.0-x86_64", "x86_64").get(0);
            assertThat(hvm.osType()).isEqualTo("hvm");
            assertThat(hvm.wordsize()).isEqualTo(64);
            assertThat(hvm.loader()).isEqualTo("/usr/lib/xen/boot/hvmloader");
            assertThat(hvm.machines()).extracting(Guest.Machine::name).containsExactly("xenfv");
            assertThat(hvm.domains()).extracting(Guest.Domain::type).containsExactly("xen");
            assertThat(hvm.features().acpi()).isEqualTo(new Guest.Features.Toggle(true, true));
            assertThat(hvm.features().apic()).isEqualTo(new Guest.Features.Toggle(true, true));
        }

        @Test
        void paravirtualGuestsHaveNoLoaderAndNoFeaturesOfTheirOwn() {
            Guest pv = guests("xen-3.0-powerpc64", "ppc64").get(0);
            assertThat(pv.osType()).isEqualTo("xen");
            assertThat(pv.arch()).isEqualTo("ppc64");
            assertThat(pv.loader()).isNull();
            assertThat(pv.machines()).extracting(Guest.Machine::name).containsExactly("xenpv");
            assertThat(pv.features()).isNull();
        }

        @ParameterizedTest
        @CsvSource(value = {"x86_64, /usr/lib64/xen/bin/qemu-dm", "i686, /usr/lib/xen/bin/qemu-dm",
                "ia64, /usr/lib/xen/bin/qemu-dm", "NULL, /usr/lib/xen/bin/qemu-dm"}, nullValues = "NULL")
        void theDeviceModelPathFollowsTheHostArch(String hostArch, String emulator) {
            assertThat(guests("xen-3.0-x86_32p hvm-3.0-x86_32", hostArch))
                    .extracting(Guest::emulator).containsOnly(emulator);
        }

        @Test
        void guestsAreSortedByOsTypeThenArch() {
            assertThat(guests("xen-3.0-x86_64 hvm-3.0-x86_64 hvm-3.0-x86_32", "x86_64"))
                    .extracting(g -> g.osType() + "/" + g.arch())
                    .containsExactly("hvm/i686", "hvm/x86_64", "xen/x86_64");
        }
    }

    @Nested
    class Dom0 {

        @ParameterizedTest(name = "features={0} proc/xen/capabilities={1} → {2}")
        @CsvSource(value = {
                "00000800, NULL, true",
                "000029f1, NULL, true",
                "000027ff, NULL, false",
                "0000000100000800, NULL, true",
                "0000080000000000, NULL, false",
                "NULL, control_d, true",
                "000007ff, control_d, true",
                "NULL, '', false",
                "zz, NULL, false",
                "NULL, NULL, false",
        }, nullValues = "NULL")
        void dom0IsFeatureBit11OrControlD(String features, String procCaps, boolean dom0) {
            assertThat(XenProbe.isDom0(features, procCaps)).isEqualTo(dom0);
        }
    }

    @Nested
    class Probe {

        @TempDir
        Path dir;

        FakeSysfs host(String features) {
            FakeSysfs fs = new FakeSysfs(dir)
                    .file("sys/hypervisor/type", "xen\n")
                    .file("sys/hypervisor/version/major", "4\n")
                    .file("sys/hypervisor/version/minor", "17\n")
                    .file("sys/hypervisor/version/extra", ".3\n")
                    .file("sys/hypervisor/properties/capabilities",
                            "xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64\n");
            if (features != null) {
                fs.file("sys/hypervisor/properties/features", features + "\n");
            }
            return fs;
        }

        @Test
        void dom0ReportsTheHypervisorAndItsGuests() {
            host("000029f1");
            XenProbe.Result r = new XenProbe("x86_64").probe(HostFiles.of(HostRoot.of(dir)));
            assertThat(r.hypervisor()).isEqualTo(new Host.XenHypervisor("xen", 4, 17, ".3",
                    "xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64"));
            assertThat(r.guests()).extracting(g -> g.osType() + "/" + g.arch())
                    .containsExactly("hvm/i686", "hvm/x86_64", "xen/x86_64");
            assertThat(r.guests()).extracting(Guest::emulator).containsOnly("/usr/lib64/xen/bin/qemu-dm");
        }

        @Test
        void xenfsControlDomainCountsWhenTheFeaturesFileIsMissing() {
            host(null).file("proc/xen/capabilities", "control_d\n");
            assertThat(new XenProbe("x86_64").probe(HostFiles.of(HostRoot.of(dir))).guests()).hasSize(3);
        }

        @Test
        void domUOffersNothing() {
            host("00000705");
            assertThat(new XenProbe("x86_64").probe(HostFiles.of(HostRoot.of(dir)))).isEqualTo(XenProbe.Result.NONE);
        }

        @Test
        void hostWithoutXenIsEmptyNotAnError() {
            new FakeSysfs(dir).dir("sys/devices");
            HostFiles files = HostFiles.recording(HostRoot.of(dir));
            assertThat(new XenProbe("x86_64").probe(files)).isEqualTo(XenProbe.Result.NONE);
            assertThat(files.accesses()).extracting(Access::path)
                    .containsExactly(dir.resolve("sys/hypervisor/type"));
        }

        @Test
        void dom0WithUnreadableVersionKeepsWhatItCouldRead() {
            host("00000800").file("sys/hypervisor/version/minor", "seventeen\n");
            Host.XenHypervisor h = new XenProbe(null).probe(HostFiles.of(HostRoot.of(dir))).hypervisor();
            assertThat(h.major()).isEqualTo(4);
            assertThat(h.minor()).isNull();
        }

        @Test
        void idIsStable() {
            assertThat(new XenProbe("x86_64").id()).isEqualTo("hypervisor.xen");
        }
    }
}
