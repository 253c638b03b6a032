package io.hostdev.probes.sysfs;

import io.hostdev.model.cap.IdName;
import io.hostdev.model.cap.PciAddress;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.sysfs.PciIds.Kind;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PciIdsTest {

    /** Real entries (facts from the PCI ID database), with the comments and blank lines the real file has. */
    static final String SMALL = String.join("\n",
            "#",
            "#\tList of PCI ID's",
            "#",
            "",
            "# Vendors, devices and subsystems. Please keep sorted.",
            "",
            "1028  Dell",
            "10de  NVIDIA Corporation",
            "\t1db6  GV100GL [Tesla V100 PCIe 32GB]",
            "\t\t10de 124a  GV100GL [Tesla V100 PCIe 32GB]",
            "1af4  Red Hat, Inc.",
            "\t1000  Virtio network device",
            "\t\t01de fffb  Propolis Virtio network device",
            "\t1042  Virtio 1.0 block device",
            "\t1045  Virtio 1.0 memory balloon",
            "\t1110  Inter-VM shared memory",
            "\t\t1af4 1100  QEMU Virtual Machine",
            "8086  Intel Corporation",
            "\t0d57  Ethernet Connection (2) I219-LM",
            "\t1572  Ethernet Controller X710 for 10GbE SFP+",
            "\t\t1028 0000  Ethernet 10G X710 rNDC",
            "# NIC-ETH561F-3S-2P OCP3.0 2x10G SFP+ Card",
            "\t\t8086 0001  Ethernet Converged Network Adapter X710-4",
            "\t154c  Ethernet Virtual Function 700 Series",
            "ffff  Illegal Vendor ID",
            "",
            "",
            "# List of known device classes, subclasses and programming interfaces",
            "",
            "C 00  Unclassified device",
            "\t00  Non-VGA unclassified device",
            "C 01  Mass storage controller",
            "\t08  Non-Volatile memory controller",
            "\t\t02  NVM Express",
            "\t80  Mass storage controller",
            "C 02  Network controller",
            "\t00  Ethernet controller",
            "C 03  Display controller",
            "\t02  3D controller",
            "C 06  Bridge",
            "\t00  Host bridge",
            "C ff  Unassigned class",
            "");

    static PciCapability pci(String vendor, String device, String subVendor, String subDevice, String cls) {
        return new PciCapability(PciAddress.parse("00:00.0").orElseThrow(), id(vendor), id(device), id(subVendor),
                id(subDevice), id(cls), null, null, null, null, null, List.of(), false);
    }

    static IdName id(String id) {
        return id == null ? null : IdName.of(id);
    }

    static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    static PciCapability named(String db, PciCapability c) throws IOException {
        return named(stream(db), c);
    }

    static PciCapability named(InputStream db, PciCapability c) throws IOException {
        return PciIds.resolve(db, PciIds.Wanted.of(List.of(c))).apply(c);
    }

    static List<String> names(PciCapability c) {
        List<String> out = new ArrayList<>();
        for (IdName i : new IdName[] {c.vendor(), c.product(), c.subsystemVendor(), c.subsystemProduct(),
                c.deviceClass()}) {
            out.add(i == null ? null : i.name());
        }
        return out;
    }

    @Nested
    class Lines {

        static PciIds.Line parse(String line) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            return PciIds.parseLine(b, 0, b.length);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "'8086  Intel Corporation'                       | VENDOR    | 0 | 32902 | -1    | Intel Corporation",
                "'1AF4  Red Hat, Inc.'                           | VENDOR    | 0 | 6900  | -1    | 'Red Hat, Inc.'",
                "'\t1572  Ethernet Controller X710 for 10GbE SFP+' | DEVICE | 1 | 5490  | -1    | Ethernet Controller X710 for 10GbE SFP+",
                "'\t\t8086 0001  Ethernet Converged Network Adapter X710-4' | SUBSYSTEM | 2 | 32902 | 1 | Ethernet Converged Network Adapter X710-4",
                "'\t\t01de\tfffb  Propolis'                       | SUBSYSTEM | 2 | 478   | 65531 | Propolis",
                "'C 02  Network controller'                      | CLASS     | 0 | 2     | -1    | Network controller",
                "'C\t0c  Serial bus controller'                  | CLASS     | 0 | 12    | -1    | Serial bus controller",
                "'\t00  Ethernet controller'                     | SUBCLASS  | 1 | 0     | -1    | Ethernet controller",
                "'\t\t30  XHCI'                                  | PROG_IF   | 2 | 48    | -1    | XHCI",
                "'8086 Intel'                                    | VENDOR    | 0 | 32902 | -1    | Intel",
                "'8086\tIntel'                                   | VENDOR    | 0 | 32902 | -1    | Intel",
                "'8086  Intel Corporation\r'                     | VENDOR    | 0 | 32902 | -1    | Intel Corporation",
                "'8086  Intel Corporation  \t '                  | VENDOR    | 0 | 32902 | -1    | Intel Corporation",
                "'c0de  Lower-case hex vendor'                   | VENDOR    | 0 | 49374 | -1    | Lower-case hex vendor",
                "'C0DE  Upper-case hex vendor, not a class'      | VENDOR    | 0 | 49374 | -1    | 'Upper-case hex vendor, not a class'",
                "'15cf  Hilscher Gesellschaft für Systemautomation mbH' | VENDOR | 0 | 5583 | -1 | Hilscher Gesellschaft für Systemautomation mbH",
        })
        void entriesParseToTheirIdsAndName(String line, Kind kind, int depth, int id, int subId, String name) {
            PciIds.Line l = parse(line);
            assertThat(l.kind()).isEqualTo(kind);
            assertThat(l.depth()).isEqualTo(depth);
            assertThat(l.id()).isEqualTo(id);
            assertThat(l.subId()).isEqualTo(subId);
            assertThat(l.name()).isEqualTo(name);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "#", "# Vendors, devices and subsystems.", "\t# a comment under a vendor", "   ",
                "\r", "\t\t"})
        void commentsAndBlankLinesAreNothing(String line) {
            assertThat(parse(line).kind()).isEqualTo(Kind.BLANK);
            assertThat(parse(line).name()).isNull();
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "'8086'                          | 0",
                "'8086  '                        | 0",
                "'808  Three digits'             | 0",
                "'80866  Five digits'            | 0",
                "'8086Intel'                     | 0",
                "'g086  Not hex'                 | 0",
                "'C 2  One digit class'          | 0",
                "'C 002  Three digit class'      | 0",
                "'C  '                           | 0",
                "'AT 0  usb.ids section'         | 0",
                "' 8086  Leading space'          | 0",
                "'\t157  Three digits'           | 1",
                "'\t1572'                        | 1",
                "'\t1  One digit'                | 1",
                "'\t\t8086  Subsystem without device' | 2",
                "'\t\t8086 001  Short device'    | 2",
                "'\t\t8086 0001'                 | 2",
                "'\t\t8086 0001  '               | 2",
                "'\t\t\t0000  Too deep'          | 3",
        })
        void malformedLinesAreInvalidAtTheirDepth(String line, int depth) {
            PciIds.Line l = parse(line);
            assertThat(l.kind()).isEqualTo(Kind.INVALID);
            assertThat(l.depth()).isEqualTo(depth);
            assertThat(l.name()).isNull();
        }

        @Test
        void nonUtf8NamesAreReadAsLatin1() {
            byte[] latin1 = "15cf  Hilscher Gesellschaft f\u00fcr Systemautomation mbH"
                    .getBytes(StandardCharsets.ISO_8859_1);
            assertThat(PciIds.parseLine(latin1, 0, latin1.length).name())
                    .isEqualTo("Hilscher Gesellschaft f\u00fcr Systemautomation mbH");
            byte[] utf8 = "\t\t1787 201c  HD 7970 IceQ X\u00b2".getBytes(StandardCharsets.UTF_8);
            assertThat(PciIds.parseLine(utf8, 0, utf8.length).name()).isEqualTo("HD 7970 IceQ X\u00b2");
        }

        @Test
        void arbitraryBytesNeverThrow() {
            java.util.Random random = new java.util.Random(42);
            for (int i = 0; i < 20_000; i++) {
                byte[] b = new byte[random.nextInt(24)];
                random.nextBytes(b);
                if (random.nextBoolean() && b.length > 0) {
                    b[0] = (byte) "\t C0123456789abcdef".charAt(random.nextInt(19));
                }
                assertThatCode(() -> {
                    PciIds.Line l = PciIds.parseLine(b, 0, b.length);
                    l.name();
                }).doesNotThrowAnyException();
            }
        }
    }

    @Nested
    class Names {

        @Test
        void vendorDeviceSubsystemAndClassNamesComeFromTheirLines() throws IOException {
            PciCapability c = named(SMALL, pci("0x8086", "0x1572", "0x8086", "0x0001", "0x020000"));
            assertThat(names(c)).containsExactly("Intel Corporation", "Ethernet Controller X710 for 10GbE SFP+",
                    "Intel Corporation", "Ethernet Converged Network Adapter X710-4", "Ethernet controller");
            assertThat(c.vendor().id()).isEqualTo("0x8086");
            assertThat(c.deviceClass().id()).isEqualTo("0x020000");
        }

        @Test
        void subsystemVendorIsNamedFromTheVendorTable() throws IOException {
            PciCapability c = named(SMALL, pci("0x8086", "0x1572", "0x1028", "0x0000", "0x020000"));
            assertThat(c.subsystemVendor()).isEqualTo(new IdName("0x1028", "Dell"));
            assertThat(c.subsystemProduct()).isEqualTo(new IdName("0x0000", "Ethernet 10G X710 rNDC"));
        }

        @Test
        void aSubsystemListedUnderAnotherDeviceIsNotThisOnes() throws IOException {
            // 1af4:1100 names the subsystem of the shared-memory device, not of the balloon
            PciCapability c = named(SMALL, pci("0x1af4", "0x1045", "0x1af4", "0x1100", "0x00ff00"));
            assertThat(c.product().name()).isEqualTo("Virtio 1.0 memory balloon");
            assertThat(c.subsystemVendor().name()).isEqualTo("Red Hat, Inc.");
            assertThat(c.subsystemProduct()).isEqualTo(IdName.of("0x1100"));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "0x020000 | Ethernet controller",
                "0x010802 | Non-Volatile memory controller",
                "0x010880 | Non-Volatile memory controller",
                "0x030200 | 3D controller",
                "0x060000 | Host bridge",
                "0x0109ff | Mass storage controller",
                "0xff0000 | Unassigned class",
                "0xffff00 | Unassigned class",
                "0x120000 | ",
        })
        void classNameIsTheSubclassElseTheBaseClass(String cls, String expected) throws IOException {
            assertThat(named(SMALL, pci("0x8086", "0x1572", null, null, cls)).deviceClass().name()).isEqualTo(expected);
        }

        @Test
        void unknownIdsKeepTheirIdsWithoutNames() throws IOException {
            PciCapability c = named(SMALL, pci("0x1234", "0x5678", "0x8086", "0x9999", "0x0b4000"));
            assertThat(c.vendor()).isEqualTo(IdName.of("0x1234"));
            assertThat(c.product()).isEqualTo(IdName.of("0x5678"));
            assertThat(c.subsystemVendor()).isEqualTo(new IdName("0x8086", "Intel Corporation"));
            assertThat(c.subsystemProduct()).isEqualTo(IdName.of("0x9999"));
            assertThat(c.deviceClass()).isEqualTo(IdName.of("0x0b4000"));
        }

        @Test
        void absentIdsStayAbsent() throws IOException {
            PciCapability c = named(SMALL, pci(null, null, null, null, null));
            assertThat(names(c)).containsOnlyNulls();
            assertThat(c.vendor()).isNull();
        }

        @Test
        void crlfLineEndingsGiveTheSameNames() throws IOException {
            PciCapability c = pci("0x8086", "0x1572", "0x8086", "0x0001", "0x020000");
            assertThat(names(named(SMALL.replace("\n", "\r\n"), c))).isEqualTo(names(named(SMALL, c)))
                    .doesNotContainNull();
        }

        @Test
        void aGarbageLineEndsItsContextSoLaterLinesAreNotMisfiled() throws IOException {
            String db = String.join("\n",
                    "8086  Intel Corporation",
                    "\t1572  Ethernet Controller X710 for 10GbE SFP+",
                    "\t15 72  garbage at device depth",
                    "\t\t8086 0001  Would be misfiled under 1572",
                    "\t154c  Ethernet Virtual Function 700 Series",
                    "x86  garbage at vendor depth",
                    "\t0d57  Would be misfiled under Intel",
                    "C 02  Network controller",
                    "\t0  garbage at subclass depth",
                    "\t\t00  Would be misfiled",
                    "\t00  Ethernet controller");
            PciCapability pf = named(db, pci("0x8086", "0x1572", "0x8086", "0x0001", "0x020000"));
            assertThat(names(pf)).containsExactly("Intel Corporation", "Ethernet Controller X710 for 10GbE SFP+",
                    "Intel Corporation", null, "Ethernet controller");
            assertThat(named(db, pci("0x8086", "0x154c", null, null, null)).product().name())
                    .isEqualTo("Ethernet Virtual Function 700 Series");
            assertThat(named(db, pci("0x8086", "0x0d57", null, null, null)).product().name()).isNull();
        }

        @Test
        void theFirstOfTwoEntriesWins() throws IOException {
            String db = "8086  Intel Corporation\n\t1572  First\n\t1572  Second\n8086  Intel again\n";
            PciCapability c = named(db, pci("0x8086", "0x1572", null, null, null));
            assertThat(c.vendor().name()).isEqualTo("Intel Corporation");
            assertThat(c.product().name()).isEqualTo("First");
        }

        @Test
        void overlongLinesAreSkippedWithoutLosingTheNextOne() throws IOException {
            String db = "8086  " + "x".repeat(PciIds.MAX_LINE * 3) + "\n8086  Intel Corporation\n"
                    + "\t1572  " + "y".repeat(PciIds.MAX_LINE) + "\n\t1572  X710";
            PciCapability c = named(db, pci("0x8086", "0x1572", null, null, null));
            assertThat(c.vendor().name()).isEqualTo("Intel Corporation");
            assertThat(c.product().name()).isEqualTo("X710");
        }

        @Test
        void binaryGarbageNeverThrowsAndKeepsWhatParses() throws IOException {
            ByteArrayOutputStream db = new ByteArrayOutputStream();
            java.util.Random random = new java.util.Random(7);
            byte[] noise = new byte[200_000];
            random.nextBytes(noise);
            db.writeBytes(noise);
            db.writeBytes("\n8086  Intel Corporation\n\t1572  X710\n".getBytes(StandardCharsets.UTF_8));
            db.writeBytes(noise);
            PciCapability c = named(new ByteArrayInputStream(db.toByteArray()),
                    pci("0x8086", "0x1572", null, null, null));
            assertThat(c.vendor().name()).isEqualTo("Intel Corporation");
            assertThat(c.product().name()).isEqualTo("X710");
        }

        @Test
        void theSystemDatabaseNamesThisVmsDevicesWhenPresent() throws IOException {
            Path system = Path.of("/usr/share/misc/pci.ids");
            org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(system), "no pci.ids on this machine");
            try (InputStream in = Files.newInputStream(system)) {
                PciCapability c = named(in, pci("0x1af4", "0x1042", "0x1af4", "0x1100", "0x018000"));
                assertThat(c.vendor().name()).isEqualTo("Red Hat, Inc.");
                assertThat(c.product().name()).startsWith("Virtio");
                assertThat(c.deviceClass().name()).isEqualTo("Mass storage controller");
            }
        }
    }

    @Nested
    class Subset {

        @Test
        void keepsOnlyTheEntriesUsedAndTheWholeClassSection() {
            List<PciCapability> used = List.of(pci("0x8086", "0x1572", "0x1028", "0x0000", "0x020000"),
                    pci("0x1af4", "0x1042", "0x1af4", "0x1100", "0x018000"));
            String subset = PciIds.subset(stream(SMALL), used);
            assertThat(subset.lines().filter(l -> !l.startsWith("#"))).containsExactly(
                    "1028  Dell",
                    "1af4  Red Hat, Inc.",
                    "\t1042  Virtio 1.0 block device",
                    "8086  Intel Corporation",
                    "\t1572  Ethernet Controller X710 for 10GbE SFP+",
                    "\t\t1028 0000  Ethernet 10G X710 rNDC",
                    "C 00  Unclassified device",
                    "\t00  Non-VGA unclassified device",
                    "C 01  Mass storage controller",
                    "\t08  Non-Volatile memory controller",
                    "\t\t02  NVM Express",
                    "\t80  Mass storage controller",
                    "C 02  Network controller",
                    "\t00  Ethernet controller",
                    "C 03  Display controller",
                    "\t02  3D controller",
                    "C 06  Bridge",
                    "\t00  Host bridge",
                    "C ff  Unassigned class");
        }

        @Test
        void namesFromTheSubsetEqualNamesFromTheFullFile() throws IOException {
            Path system = Path.of("/usr/share/misc/pci.ids");
            byte[] full = Files.isRegularFile(system) ? Files.readAllBytes(system)
                    : SMALL.getBytes(StandardCharsets.UTF_8);
            List<PciCapability> used = List.of(
                    pci("0x8086", "0x1572", "0x8086", "0x0001", "0x020000"),
                    pci("0x8086", "0x154c", "0x8086", "0x0000", "0x020000"),
                    pci("0x10de", "0x1db6", "0x10de", "0x124a", "0x030200"),
                    pci("0x1af4", "0x1041", "0x1af4", "0x1100", "0x020000"),
                    pci("0x1b36", "0x0002", "0x1af4", "0x1100", "0x070002"),
                    pci("0x15cf", "0x0000", null, null, "0x0c0330"),
                    pci("0x1234", "0x1111", "0x1af4", "0x1100", "0x030000"),
                    pci("0x8086", "0x0d57", null, null, "0x060000"));
            String subset = PciIds.subset(new ByteArrayInputStream(full), used);
            byte[] small = subset.getBytes(StandardCharsets.UTF_8);
            assertThat(small.length).isLessThan(full.length / 20 + 20_000);
            for (PciCapability c : used) {
                assertThat(names(named(new ByteArrayInputStream(small), c)))
                        .as("names of %s", c.product())
                        .isEqualTo(names(named(new ByteArrayInputStream(full), c)));
            }
            assertThat(names(named(new ByteArrayInputStream(small), used.get(0)))).doesNotContainNull();
        }

        @Test
        void latin1NamesSurviveTheRoundTripAsUtf8() throws IOException {
            byte[] latin1 = "15cf  Hilscher Gesellschaft f\u00fcr Systemautomation mbH\nC 02  Network controller\n"
                    .getBytes(StandardCharsets.ISO_8859_1);
            PciCapability c = pci("0x15cf", "0x0000", null, null, "0x020000");
            String subset = PciIds.subset(new ByteArrayInputStream(latin1), List.of(c));
            PciCapability fromSubset = named(stream(subset), c);
            assertThat(fromSubset.vendor().name()).isEqualTo("Hilscher Gesellschaft f\u00fcr Systemautomation mbH");
            assertThat(names(fromSubset)).isEqualTo(names(named(new ByteArrayInputStream(latin1), c)));
        }

        @Test
        void aFailingStreamIsReportedNotTruncatedSilently() {
            InputStream failing = new InputStream() {
                @Override
                public int read() throws IOException {
                    throw new IOException("EIO");
                }
            };
            assertThatThrownBy(() -> PciIds.subset(failing, List.of()))
                    .isInstanceOf(UncheckedIOException.class).hasMessageContaining("EIO");
        }
    }

    @Nested
    class Locate {

        @TempDir
        Path root;

        @TempDir
        Path elsewhere;

        @Test
        void hwdataUnderTheRootComesFirst() {
            FakeSysfs fs = new FakeSysfs(root);
            fs.file("usr/share/hwdata/pci.ids", SMALL).file("usr/share/misc/pci.ids", SMALL);
            Path configured = write(elsewhere.resolve("pci.ids"));
            assertThat(PciIds.locate(HostRoot.of(root), configured))
                    .contains(root.resolve("usr/share/hwdata/pci.ids"));
        }

        @Test
        void miscUnderTheRootComesNext() {
            new FakeSysfs(root).file("usr/share/misc/pci.ids", SMALL);
            Path configured = write(elsewhere.resolve("pci.ids"));
            assertThat(PciIds.locate(HostRoot.of(root), configured)).contains(root.resolve("usr/share/misc/pci.ids"));
        }

        @Test
        void theConfiguredFileIsTheLastResort() {
            Path configured = write(elsewhere.resolve("pci.ids"));
            assertThat(PciIds.locate(HostRoot.of(root), configured)).contains(configured);
            assertThat(PciIds.locate(HostRoot.of(root), elsewhere.resolve("missing"))).isEmpty();
            assertThat(PciIds.locate(HostRoot.of(root), elsewhere)).isEmpty();
        }

        @Test
        void noDatabaseAnywhereIsEmpty() {
            assertThat(PciIds.locate(HostRoot.of(root), null)).isEmpty();
        }

        @Test
        void anAbsoluteLinkIsFollowedInsideTheRootNotOnThisMachine() {
            FakeSysfs fs = new FakeSysfs(root);
            fs.file("usr/share/pciutils/pci.ids", SMALL);
            fs.symlink("usr/share/misc/pci.ids", "/usr/share/pciutils/pci.ids");
            Optional<Path> found = PciIds.locate(HostRoot.of(root), null);
            assertThat(found).contains(root.resolve("usr/share/pciutils/pci.ids"));
        }

        @Test
        void aLinkLeavingTheRootOrLoopingIsNotFollowed() {
            FakeSysfs fs = new FakeSysfs(root);
            write(elsewhere.resolve("pci.ids"));
            fs.symlink("usr/share/hwdata/pci.ids",
                    root.resolve("usr/share/hwdata").relativize(elsewhere.resolve("pci.ids")).toString());
            fs.symlink("usr/share/misc/pci.ids", "pci.ids");
            assertThat(PciIds.locate(HostRoot.of(root), null)).isEmpty();
        }

        Path write(Path p) {
            try {
                return Files.writeString(p, SMALL);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
