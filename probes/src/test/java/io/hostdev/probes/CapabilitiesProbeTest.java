package io.hostdev.probes;

import io.hostdev.model.host.Capabilities;
import io.hostdev.model.host.Guest;
import io.hostdev.probes.testing.FakeSysfs;
import io.hostdev.probes.virt.MachineTypeCache;
import io.hostdev.probes.virt.QemuProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CapabilitiesProbeTest {

    @TempDir
    Path root;

    static final String CPUINFO = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            cpu family\t: 25
            model\t\t: 1
            model name\t: AMD EPYC 7R13 Processor
            stepping\t: 1
            microcode\t: 0x1000065
            flags\t\t: fpu vme lm svm hypervisor
            """;

    CapabilitiesProbe.Options options(Set<String> disabled) {
        // a fixture root: emulators are found under it but never run
        return new CapabilitiesProbe.Options(disabled, new QemuProbe.Settings(List.of("/usr/bin"), Duration.ofSeconds(5)),
                MachineTypeCache.inMemory());
    }

    @Test
    void xenDom0WithQemuGivesOneGuestPerOsTypeAndArch() {
        FakeSysfs fs = new FakeSysfs(root);
        fs.file("proc/cpuinfo", CPUINFO).file("proc/sys/kernel/arch", "x86_64\n");
        fs.file("sys/hypervisor/type", "xen\n").file("sys/hypervisor/version/major", "4\n")
                .file("sys/hypervisor/version/minor", "17\n").file("sys/hypervisor/version/extra", ".0\n")
                .file("sys/hypervisor/properties/capabilities", "xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64\n")
                .file("sys/hypervisor/properties/features", "00000801\n")
                .file("proc/xen/capabilities", "control_d\n");
        fs.file("usr/bin/qemu-system-x86_64", "#!/bin/sh\n");

        Capabilities caps = new CapabilitiesProbe(options(Set.of())).probe(HostFiles.of(HostRoot.of(root)));

        assertThat(caps.host().cpu().arch()).isEqualTo("x86_64");
        assertThat(caps.host().hypervisor()).isNotNull();
        assertThat(caps.host().hypervisor().type()).isEqualTo("xen");
        assertThat(caps.guests()).extracting(g -> g.osType() + "/" + g.arch())
                .containsExactly("hvm/i686", "hvm/x86_64", "xen/x86_64");
        Guest hvm64 = caps.guests().get(1);
        assertThat(hvm64.domains()).extracting(Guest.Domain::type).containsExactly("xen", "qemu");
        assertThat(hvm64.domains().get(1).emulator()).isEqualTo("/usr/bin/qemu-system-x86_64");
        assertThat(hvm64.loader()).isEqualTo("/usr/lib/xen/boot/hvmloader");
    }

    @Test
    void switchedOffSourcesLeaveTheirPartAbsent() {
        FakeSysfs fs = new FakeSysfs(root);
        fs.file("proc/cpuinfo", CPUINFO);
        fs.file("usr/bin/qemu-system-x86_64", "#!/bin/sh\n");
        Capabilities caps = new CapabilitiesProbe(options(Set.of("qemu", "hypervisor.guest")))
                .probe(HostFiles.of(HostRoot.of(root)));
        assertThat(caps.guests()).isEmpty();
        assertThat(caps.host().virtualization()).isNull();
        Capabilities all = new CapabilitiesProbe(options(Set.of())).probe(HostFiles.of(HostRoot.of(root)));
        assertThat(all.guests()).extracting(Guest::arch).contains("x86_64");
        assertThat(all.host().virtualization().guest()).isTrue();
    }

    @Test
    void anEmptyRootIsAnEmptyDocumentNotAnError() {
        Capabilities caps = new CapabilitiesProbe(options(Set.of())).probe(HostFiles.of(HostRoot.of(root)));
        assertThat(caps.guests()).isEmpty();
        assertThat(caps.host()).isNotNull();
    }

    @Test
    void sourceIdsNameEveryPart() {
        assertThat(CapabilitiesProbe.sourceIds()).contains("proc.cpuinfo", "sysfs.node", "hypervisor.xen",
                "hypervisor.guest", "qemu");
    }
}
