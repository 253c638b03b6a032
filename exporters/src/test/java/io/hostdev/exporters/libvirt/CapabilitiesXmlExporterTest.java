package io.hostdev.exporters.libvirt;

import io.hostdev.exporters.libvirt.testing.LibvirtSchemas;
import io.hostdev.model.host.CacheBank;
import io.hostdev.model.host.Capabilities;
import io.hostdev.model.host.Guest;
import io.hostdev.model.host.Host;
import io.hostdev.model.host.HostCpu;
import io.hostdev.model.host.NumaCell;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CapabilitiesXmlExporterTest {

    static final Guest.Features X86 = new Guest.Features(false, false, false, new Guest.Features.Toggle(true, true),
            new Guest.Features.Toggle(true, false), true, true, new Guest.Features.Toggle(true, false), null, false);

    /** This VM as the probes see it: 2 vCPUs, one NUMA cell, no IOMMU, QEMU with KVM. */
    static Capabilities smallVm() {
        HostCpu cpu = new HostCpu("x86_64", "AMD", "AMD EPYC 7R13 Processor", 25, 1, 1, 16777317L,
                List.of("avx2", "sse4_1", "svm", "sse4.2"), new HostCpu.Topology(1, 1, 1, 2, 1),
                List.of(4L, 2048L, 1048576L), 2);
        NumaCell cell = new NumaCell(0, 6775364L, List.of(new NumaCell.Pages(4, 1693841, null),
                new NumaCell.Pages(2048, 0, 0L), new NumaCell.Pages(1048576, 0, 0L)),
                List.of(new NumaCell.Distance(0, 10)),
                List.of(new NumaCell.Cpu(0, 0, 0, null, 0, "0"), new NumaCell.Cpu(1, 0, 0, null, 1, "1")));
        Host host = new Host("7164a597-4b6b-43ce-bead-e42cc3ab9c02", "machine-id", cpu,
                new Host.PowerManagement(false, false, false), false, List.of(cell),
                List.of(new CacheBank(0, 3, "both", 32L << 20, "0-1")),
                List.of(new Host.SecurityModel("none", "0")), null,
                new Host.Virtualization(true, "kvm", List.of("cpuinfo:hypervisor")));
        List<Guest.Machine> machines = List.of(new Guest.Machine("pc-i440fx-7.2", null, 255, false, true),
                new Guest.Machine("pc", "pc-i440fx-7.2", 255, false, false),
                new Guest.Machine("pc-i440fx-1.4", null, 255, true, false),
                new Guest.Machine("isapc", null, 1, false, false));
        Guest x86_64 = new Guest("hvm", "x86_64", 64, "/usr/bin/qemu-system-x86_64", null, machines,
                List.of(Guest.Domain.of("qemu"), Guest.Domain.of("kvm")), X86);
        Guest i686 = new Guest("hvm", "i686", 32, "/usr/bin/qemu-system-i386", null, machines.subList(0, 1),
                List.of(Guest.Domain.of("qemu")),
                X86.or(new Guest.Features(true, true, false, null, null, false, false, null, null, false)));
        return new Capabilities(host, List.of(x86_64, i686));
    }

    @Test
    void theDocumentIsLaidOutAsLibvirtsWithItsUnitsAndAttributeOrder() {
        assertThat(CapabilitiesXmlExporter.write(smallVm())).isEqualTo("""
                <capabilities>

                  <host>
                    <uuid>7164a597-4b6b-43ce-bead-e42cc3ab9c02</uuid>
                    <cpu>
                      <arch>x86_64</arch>
                      <vendor>AMD</vendor>
                      <microcode version='16777317'/>
                      <signature family='25' model='1' stepping='1'/>
                      <topology sockets='1' dies='1' clusters='1' cores='2' threads='1'/>
                      <feature name='avx2'/>
                      <feature name='sse4_1'/>
                      <feature name='svm'/>
                      <pages unit='KiB' size='4'/>
                      <pages unit='KiB' size='2048'/>
                      <pages unit='KiB' size='1048576'/>
                    </cpu>
                    <power_management/>
                    <iommu support='no'/>
                    <topology>
                      <cells num='1'>
                        <cell id='0'>
                          <memory unit='KiB'>6775364</memory>
                          <pages unit='KiB' size='4'>1693841</pages>
                          <pages unit='KiB' size='2048'>0</pages>
                          <pages unit='KiB' size='1048576'>0</pages>
                          <distances>
                            <sibling id='0' value='10'/>
                          </distances>
                          <cpus num='2'>
                            <cpu id='0' socket_id='0' die_id='0' cluster_id='0' core_id='0' siblings='0'/>
                            <cpu id='1' socket_id='0' die_id='0' cluster_id='0' core_id='1' siblings='1'/>
                          </cpus>
                        </cell>
                      </cells>
                    </topology>
                    <cache>
                      <bank id='0' level='3' type='both' size='32' unit='MiB' cpus='0-1'/>
                    </cache>
                    <secmodel>
                      <model>none</model>
                      <doi>0</doi>
                    </secmodel>
                  </host>

                  <guest>
                    <os_type>hvm</os_type>
                    <arch name='i686'>
                      <wordsize>32</wordsize>
                      <emulator>/usr/bin/qemu-system-i386</emulator>
                      <machine maxCpus='255'>pc-i440fx-7.2</machine>
                      <domain type='qemu'/>
                    </arch>
                    <features>
                      <pae/>
                      <nonpae/>
                      <acpi default='on' toggle='yes'/>
                      <apic default='on' toggle='no'/>
                      <cpuselection/>
                      <deviceboot/>
                      <disksnapshot default='on' toggle='no'/>
                    </features>
                  </guest>

                  <guest>
                    <os_type>hvm</os_type>
                    <arch name='x86_64'>
                      <wordsize>64</wordsize>
                      <emulator>/usr/bin/qemu-system-x86_64</emulator>
                      <machine maxCpus='255'>pc-i440fx-7.2</machine>
                      <machine canonical='pc-i440fx-7.2' maxCpus='255'>pc</machine>
                      <machine maxCpus='255' deprecated='yes'>pc-i440fx-1.4</machine>
                      <machine maxCpus='1'>isapc</machine>
                      <domain type='qemu'/>
                      <domain type='kvm'/>
                    </arch>
                    <features>
                      <acpi default='on' toggle='yes'/>
                      <apic default='on' toggle='no'/>
                      <cpuselection/>
                      <deviceboot/>
                      <disksnapshot default='on' toggle='no'/>
                    </features>
                  </guest>

                </capabilities>
                """);
    }

    @Nested
    class Values {
        @Test
        void cpuTopologyAttributesComeAllOrNone() {
            assertThat(CapabilitiesXmlExporter.cpuAttributes(new NumaCell.Cpu(3, 1, 2, 3, 4, "3,7")))
                    .containsExactly("id", "3", "socket_id", "1", "die_id", "2", "cluster_id", "3", "core_id", "4",
                            "siblings", "3,7");
            assertThat(CapabilitiesXmlExporter.cpuAttributes(new NumaCell.Cpu(3, null, 0, 0, 4, "3")))
                    .containsExactly("id", "3");
            assertThat(CapabilitiesXmlExporter.cpuAttributes(new NumaCell.Cpu(3, 0, 0, 0, 4, "3 7")))
                    .containsExactly("id", "3");
        }

        @ParameterizedTest(name = "{0} bytes -> {1} {2}")
        @CsvSource(textBlock = """
                262144,      256,  KiB
                33554432,    32,   MiB
                1572864,     1536, KiB
                1000,        1000, B
                1073741824,  1,    GiB
                """)
        void cacheSizesTakeTheLargestUnitThatDividesThem(long bytes, String size, String unit) {
            assertThat(CapabilitiesXmlExporter.scaled(bytes)).containsExactly(size, unit);
        }

        @Test
        void whatTheSchemaCannotCarryIsLeftOut() {
            Capabilities c = smallVm();
            Host h = c.host();
            NumaCell odd = new NumaCell(1, null, List.of(), List.of(new NumaCell.Distance(0, 5),
                    new NumaCell.Distance(1, 300)), List.of());
            HostCpu noTopology = new HostCpu("x86_64", null, null, 0, null, null, 0L, List.of("a.b", "ok"),
                    new HostCpu.Topology(1, 0, 1, 2, 1), List.of(), null);
            Host odder = new Host("not-a-uuid", null, noTopology, null, null, List.of(odd), List.of(),
                    List.of(new Host.SecurityModel("apparmor", null)), h.hypervisor(), h.virtualization());
            Guest noDomain = new Guest("hvm", "aarch64", 64, "/usr/bin/qemu-system-aarch64", null, List.of(),
                    List.of(), null);
            String xml = CapabilitiesXmlExporter.write(new Capabilities(odder, List.of(noDomain)));
            assertThat(xml).isEqualTo("""
                    <capabilities>

                      <host>
                        <cpu>
                          <arch>x86_64</arch>
                          <feature name='ok'/>
                        </cpu>
                        <topology>
                          <cells num='1'>
                            <cell id='1'/>
                          </cells>
                        </topology>
                      </host>

                    </capabilities>
                    """);
        }

        @Test
        void xenGuestsCarryTheirLoaderAndPerDomainEmulator() {
            Guest hvm = new Guest("hvm", "i686", 32, null, "/usr/lib/xen/boot/hvmloader", List.of(),
                    List.of(new Guest.Domain("xen", "/usr/lib/xen/bin/qemu-dm",
                            List.of(new Guest.Machine("xenfv", null, null, false, true)))),
                    new Guest.Features(true, false, false, new Guest.Features.Toggle(true, true),
                            new Guest.Features.Toggle(true, false), false, false, null,
                            new Guest.Features.Toggle(true, true), false));
            String xml = CapabilitiesXmlExporter.write(new Capabilities(smallVm().host(), List.of(hvm)));
            assertThat(xml).contains("""
                      <guest>
                        <os_type>hvm</os_type>
                        <arch name='i686'>
                          <wordsize>32</wordsize>
                          <loader>/usr/lib/xen/boot/hvmloader</loader>
                          <domain type='xen'>
                            <emulator>/usr/lib/xen/bin/qemu-dm</emulator>
                            <machine>xenfv</machine>
                          </domain>
                        </arch>
                        <features>
                          <pae/>
                          <acpi default='on' toggle='yes'/>
                          <apic default='on' toggle='no'/>
                          <hap default='on' toggle='yes'/>
                        </features>
                      </guest>
                    """);
        }
    }

    @Nested
    class AgainstLibvirtsSchema {
        @Test
        void theSmallVmValidates() {
            String xml = CapabilitiesXmlExporter.write(smallVm());
            assertThat(LibvirtSchemas.capabilityErrors(xml)).as(xml).isEmpty();
        }

        @Test
        void aBigHostWithEverythingValidates() {
            NumaCell.Cpu[] cpus = new NumaCell.Cpu[4];
            for (int i = 0; i < 4; i++) {
                cpus[i] = new NumaCell.Cpu(i, i / 2, 0, 0, i % 2, i % 2 == 0 ? "0,2" : "1,3");
            }
            List<NumaCell> cells = List.of(
                    new NumaCell(0, 16175540L, List.of(new NumaCell.Pages(4, 4043885, null)),
                            List.of(new NumaCell.Distance(0, 10), new NumaCell.Distance(1, 21)), List.of(cpus)),
                    new NumaCell(1, 16510060L, List.of(), List.of(), List.of()));
            Host host = new Host(null, null, smallVm().host().cpu(), new Host.PowerManagement(true, true, true), true,
                    cells, List.of(new CacheBank(0, 2, "data", 256L << 10, "0-1"),
                    new CacheBank(1, 2, "code", 256L << 10, "2-3")),
                    List.of(new Host.SecurityModel("selinux", "0"), new Host.SecurityModel("dac", "0")), null, null);
            Guest xen = new Guest("xen", "x86_64", 64, "/usr/lib/xen/bin/qemu-dm", null,
                    List.of(new Guest.Machine("xenpv", null, null, false, true)), List.of(Guest.Domain.of("xen")),
                    null);
            String xml = CapabilitiesXmlExporter.write(new Capabilities(host, List.of(xen)));
            assertThat(xml).contains("<suspend_hybrid/>", "<iommu support='yes'/>", "type='code'");
            assertThat(LibvirtSchemas.capabilityErrors(xml)).as(xml).isEmpty();
        }

        @Test
        void theValidatorRejectsACpuWithoutClusterId() {
            String xml = CapabilitiesXmlExporter.write(smallVm()).replace(" cluster_id='0'", "");
            assertThat(LibvirtSchemas.capabilityErrors(xml)).isNotEmpty();
        }
    }
}
