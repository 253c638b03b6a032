package io.hostdev.probes.virt;

import io.hostdev.model.host.Host;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class VirtualizationProbeTest {

    static Map<String, String> dmi(String... fieldValue) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < fieldValue.length; i += 2) {
            if (fieldValue[i + 1] != null) {
                m.put(fieldValue[i], fieldValue[i + 1]);
            }
        }
        return m;
    }

    static List<String> clocks(String s) {
        return s == null ? List.of() : List.of(s.split(" "));
    }

    @Nested
    class Decision {

        @ParameterizedTest(name = "{0}")
        @CsvSource(value = {
                // case,                 flag, sys/hypervisor/type, dom0, sys_vendor, product_name, bios_vendor, clocksources, guest, hypervisor
                "Firecracker (this VM),  true,  NULL, false, NULL, NULL, NULL, tsc kvm-clock, true, kvm",
                "bare metal,             false, NULL, false, Dell Inc., PowerEdge R650, Dell Inc., tsc hpet acpi_pm, false, NULL",
                "flags unknown,          NULL,  NULL, false, NULL, NULL, NULL, NULL, false, NULL",
                "QEMU with TCG,          true,  NULL, false, QEMU, Standard PC (Q35 + ICH9 2009), SeaBIOS, tsc hpet, true, qemu",
                "QEMU with KVM,          true,  NULL, false, QEMU, Standard PC (i440FX + PIIX 1996), SeaBIOS, kvm-clock tsc, true, kvm",
                "VMware,                 true,  NULL, false, 'VMware, Inc.', VMware Virtual Platform, Phoenix Technologies LTD, tsc hpet, true, vmware",
                "Hyper-V,                true,  NULL, false, Microsoft Corporation, Virtual Machine, Microsoft Corporation, hyperv_clocksource_tsc_page tsc, true, hyperv",
                "Surface laptop,         false, NULL, false, Microsoft Corporation, Surface Laptop 4, Microsoft Corporation, tsc hpet, false, NULL",
                "VirtualBox,             true,  NULL, false, innotek GmbH, VirtualBox, innotek GmbH, tsc, true, virtualbox",
                "Parallels,              true,  NULL, false, Parallels Software International Inc., Parallels Virtual Platform, Parallels Software International Inc., tsc, true, parallels",
                "bhyve,                  true,  NULL, false, NULL, BHYVE, BHYVE, tsc, true, bhyve",
                "Xen HVM domU,           true,  xen,  false, Xen, HVM domU, Xen, xen tsc, true, xen",
                "Xen PV domU,            true,  xen,  false, NULL, NULL, NULL, xen, true, xen",
                "Xen dom0,               true,  xen,  true,  Supermicro, X11DPU, American Megatrends Inc., xen tsc, false, xen",
                "EC2 Nitro,              true,  NULL, false, Amazon EC2, m5.large, Amazon EC2, kvm-clock tsc, true, kvm",
                "EC2 bare metal,         false, NULL, false, Amazon EC2, i3.metal, Amazon EC2, tsc hpet, false, NULL",
                "GCE,                    true,  NULL, false, Google, Google Compute Engine, Google, tsc, true, kvm",
                "Chromebook,             false, NULL, false, Google, Eve, coreboot, tsc, false, NULL",
                "OpenStack,              true,  NULL, false, OpenStack Foundation, OpenStack Nova, SeaBIOS, tsc, true, kvm",
                "Apple Virtualization,   true,  NULL, false, Apple Inc., Apple Virtualization Generic Platform, NULL, NULL, true, apple",
                "unnamed hypervisor,     true,  NULL, false, NULL, NULL, NULL, tsc, true, NULL",
                "old QEMU product KVM,   true,  NULL, false, Red Hat, KVM, SeaBIOS, tsc, true, kvm",
        }, nullValues = "NULL")
        void table(String name, Boolean flag, String type, boolean dom0, String sysVendor, String product,
                String biosVendor, String clocksources, boolean guest, String hypervisor) {
            Host.Virtualization v = VirtualizationProbe.detect(new VirtualizationProbe.Signals(flag, type, dom0,
                    dmi("sys_vendor", sysVendor, "product_name", product, "bios_vendor", biosVendor),
                    clocks(clocksources)));
            assertThat(v.guest()).as("guest").isEqualTo(guest);
            assertThat(v.hypervisor()).as("hypervisor").isEqualTo(hypervisor);
        }

        @Test
        void evidenceNamesEverySourceThatSpokeSorted() {
            Host.Virtualization v = VirtualizationProbe.detect(new VirtualizationProbe.Signals(true, null, false,
                    dmi("sys_vendor", "QEMU", "product_name", "Standard PC (Q35 + ICH9, 2009)", "chassis_vendor",
                            "QEMU"),
                    List.of("kvm-clock", "tsc")));
            assertThat(v).isEqualTo(new Host.Virtualization(true, "kvm", List.of("clocksource:kvm-clock",
                    "cpuinfo:hypervisor", "dmi:chassis_vendor=QEMU", "dmi:product_name=Standard PC (Q35 + ICH9, 2009)",
                    "dmi:sys_vendor=QEMU")));
        }

        @Test
        void dom0SaysWhyItIsNotAGuest() {
            Host.Virtualization v = VirtualizationProbe.detect(new VirtualizationProbe.Signals(true, "xen", true,
                    Map.of(), List.of("xen")));
            assertThat(v).isEqualTo(new Host.Virtualization(false, "xen",
                    List.of("clocksource:xen", "cpuinfo:hypervisor", "sys/hypervisor/type:xen", "xen:dom0")));
        }

        @Test
        void aPhysicalHostHasNoEvidence() {
            assertThat(VirtualizationProbe.detect(new VirtualizationProbe.Signals(false, null, false,
                    dmi("sys_vendor", "LENOVO"), List.of("tsc", "hpet"))))
                    .isEqualTo(new Host.Virtualization(false, null, List.of()));
        }
    }

    @Nested
    class Probe {

        @TempDir
        Path dir;

        @Test
        void readsDmiClocksourceAndHypervisorType() {
            new FakeSysfs(dir)
                    .file("sys/class/dmi/id/sys_vendor", "QEMU\n")
                    .file("sys/class/dmi/id/product_name", "Standard PC (i440FX + PIIX, 1996)\n")
                    .file("sys/class/dmi/id/bios_vendor", "SeaBIOS\n")
                    .file("sys/devices/system/clocksource/clocksource0/available_clocksource", "kvm-clock tsc acpi_pm \n");
            Host.Virtualization v = new VirtualizationProbe(Set.of("fpu", "hypervisor"))
                    .probe(HostFiles.of(HostRoot.of(dir)));
            assertThat(v.guest()).isTrue();
            assertThat(v.hypervisor()).isEqualTo("kvm");
            assertThat(v.evidence()).containsExactly("clocksource:kvm-clock", "cpuinfo:hypervisor",
                    "dmi:product_name=Standard PC (i440FX + PIIX, 1996)", "dmi:sys_vendor=QEMU");
        }

        @Test
        void xenDom0IsReadFromTheFeaturesFile() {
            new FakeSysfs(dir)
                    .file("sys/hypervisor/type", "xen\n")
                    .file("sys/hypervisor/properties/features", "000029f1\n");
            Host.Virtualization v = new VirtualizationProbe(null).probe(HostFiles.of(HostRoot.of(dir)));
            assertThat(v).isEqualTo(new Host.Virtualization(false, "xen",
                    List.of("sys/hypervisor/type:xen", "xen:dom0")));
        }

        @Test
        void emptyRootIsNotAGuest() {
            new FakeSysfs(dir).dir("sys");
            assertThat(new VirtualizationProbe(List.of()).probe(HostFiles.of(HostRoot.of(dir))))
                    .isEqualTo(new Host.Virtualization(false, null, List.of()));
        }

        @Test
        void blankDmiValuesSayNothing() {
            new FakeSysfs(dir).file("sys/class/dmi/id/sys_vendor", "   \n").file("sys/class/dmi/id/product_name", "");
            assertThat(new VirtualizationProbe(List.of()).probe(HostFiles.of(HostRoot.of(dir))).evidence()).isEmpty();
        }

        @Test
        void idIsStable() {
            assertThat(new VirtualizationProbe(null).id()).isEqualTo("hypervisor.guest");
        }
    }

    /** This machine, when it is a KVM guest as the development VMs are; skipped elsewhere. */
    @Nested
    class Live {

        @Test
        void aKvmGuestIsReportedAsOne() throws IOException {
            Path cpuinfo = Path.of("/proc/cpuinfo");
            Path clocks = Path.of("/sys/devices/system/clocksource/clocksource0/available_clocksource");
            assumeTrue(Files.isReadable(cpuinfo) && Files.isReadable(clocks), "no /proc/cpuinfo or clocksource: skipped");
            List<String> flags = Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("flags"))
                    .findFirst().map(l -> Arrays.asList(l.substring(l.indexOf(':') + 1).strip().split("\\s+")))
                    .orElse(List.of());
            assumeTrue(flags.contains("hypervisor") && Files.readString(clocks).contains("kvm-clock"),
                    "not a KVM guest: skipped");
            Host.Virtualization v = new VirtualizationProbe(flags).probe(HostFiles.of(HostRoot.live()));
            assertThat(v.guest()).isTrue();
            assertThat(v.hypervisor()).isEqualTo("kvm");
            assertThat(v.evidence()).contains("cpuinfo:hypervisor", "clocksource:kvm-clock");
        }
    }
}
