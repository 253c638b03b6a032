package io.hostdev.model;

import io.hostdev.model.host.CacheBank;
import io.hostdev.model.host.Capabilities;
import io.hostdev.model.host.Guest;
import io.hostdev.model.host.Host;
import io.hostdev.model.host.HostCpu;
import io.hostdev.model.host.NumaCell;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CapabilitiesJsonTest {

    static Capabilities sample() {
        HostCpu cpu = new HostCpu("x86_64", "AMD", "AMD EPYC 7R13", 25, 1, 1, 16777317L, List.of("avx2", "svm"),
                new HostCpu.Topology(1, 1, 1, 2, 1), List.of(4L, 2048L, 1048576L), 2);
        NumaCell cell = new NumaCell(0, 6775364L, List.of(new NumaCell.Pages(4, 1693841, null)),
                List.of(new NumaCell.Distance(0, 10)), List.of(new NumaCell.Cpu(0, 0, 0, 0, 0, "0")));
        Host host = new Host("7164a597-4b6b-43ce-bead-e42cc3ab9c02", "machine-id", cpu,
                new Host.PowerManagement(false, false, false), false, List.of(cell),
                List.of(new CacheBank(0, 3, "both", 32L << 20, "0-1")), List.of(), null,
                new Host.Virtualization(true, "kvm", List.of("cpuinfo:hypervisor")));
        Guest.Features x86 = new Guest.Features(false, false, false, new Guest.Features.Toggle(true, true),
                new Guest.Features.Toggle(true, false), true, true, new Guest.Features.Toggle(true, false), null, false);
        Guest g64 = new Guest("hvm", "x86_64", 64, "/usr/bin/qemu-system-x86_64", null,
                List.of(new Guest.Machine("pc-i440fx-7.2", null, 255, false, true),
                        new Guest.Machine("pc", "pc-i440fx-7.2", 255, false, false)),
                List.of(Guest.Domain.of("qemu"), Guest.Domain.of("kvm")), x86);
        Guest g32 = new Guest("hvm", "i686", 32, "/usr/bin/qemu-system-i386", null, List.of(),
                List.of(Guest.Domain.of("qemu")), x86.or(new Guest.Features(true, true, false, null, null, false, false,
                null, null, false)));
        return new Capabilities(host, List.of(g64, g32));
    }

    @Test
    void guestsAreOrderedAndTheDocumentRoundTrips() throws Exception {
        Capabilities caps = sample();
        assertThat(caps.guests()).extracting(Guest::arch).containsExactly("i686", "x86_64");
        String json = ModelJson.toJson(caps);
        assertThat(json).contains("\"uuid_source\": \"machine-id\"", "\"page_sizes\": [", "\"is_default\": true",
                "\"ia64_be\": false", "\"logical_cpus\": 2").doesNotContain("null");
        Capabilities back = ModelJson.reader().readValue(json, Capabilities.class);
        assertThat(back).isEqualTo(caps);
        assertThat(ModelJson.toJson(back)).isEqualTo(json);
    }

    @Test
    void featuresMergeByOr() {
        Guest.Features pae = new Guest.Features(true, false, false, null, null, false, false, null, null, false);
        Guest.Features nonpae = new Guest.Features(false, true, false, new Guest.Features.Toggle(true, true), null,
                false, false, null, null, false);
        Guest.Features both = pae.or(nonpae);
        assertThat(both.pae()).isTrue();
        assertThat(both.nonpae()).isTrue();
        assertThat(both.acpi()).isEqualTo(new Guest.Features.Toggle(true, true));
        assertThat(Guest.Features.NONE.isEmpty()).isTrue();
        assertThat(both.isEmpty()).isFalse();
    }
}
