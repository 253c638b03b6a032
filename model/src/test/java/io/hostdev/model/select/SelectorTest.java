package io.hostdev.model.select;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceContext;
import io.hostdev.model.DeviceMatcher;
import io.hostdev.model.DeviceTree;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;

import static io.hostdev.model.select.SampleHost.names;
import static org.assertj.core.api.Assertions.assertThat;

class SelectorTest {

    static final String ETH0 = "net_eth0_02_fc_00_00_00_01";
    static final String ENP = "net_enp0s4_a0_36_9f_00_00_01";
    static final String ETH1 = "net_eth1_00_e0_4c_00_00_01";
    static final String BR0 = "net_br0_02_00_00_00_00_01";

    @Test
    void aSelectorIsADeviceMatcher() {
        DeviceMatcher m = Selector.parse("cap='net'");
        DeviceTree t = SampleHost.tree();
        Device eth0 = t.get(ETH0).orElseThrow();
        assertThat(m.matches(eth0, t.context(ETH0))).isTrue();
        assertThat(m.matches(t.root(), t.context("computer"))).isFalse();
        assertThat(Selector.parse("cap='net'")).isEqualTo(Selector.parse("cap='net'")).hasToString("cap='net'");
    }

    @Nested
    class Forms {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {
                "bus='pci' and cap='net'",
                "bus == \"pci\" && cap == \"net\"",
                "bus=pci, cap=net",
                "bus = 'pci' AND cap = 'net'",
                "bus='pci'and cap='net'",
                "(bus = 'pci') and (cap = 'net')",
                "!(bus != 'pci') && exists(bus) && cap in ('net')",
                "cap='net' and not bus='usb' and not name='" + BR0 + "'",
        })
        void theSeedFormAndTheCStyleFormMeanTheSame(String selector) {
            assertThat(names(selector)).containsExactly(ETH0, ENP);
        }

        @Test
        void busIsEveryBusOnThePathSoUsbNicsAreFoundToo() {
            assertThat(names("bus='usb' and cap='net'")).containsExactly(ETH1);
            assertThat(names("cap='net' and not exists(bus)")).containsExactly(BR0);
            assertThat(names("bus='virtio'")).containsExactly("virtio_virtio2", ETH0, "virtio_virtio3", "block_vda",
                    "block_vda1");
        }

        @Test
        void notBindsTighterThanAndWhichBindsTighterThanOr() {
            // or(and(cap=net, bus=usb), cap=storage): the USB NIC and every block device
            assertThat(names("cap='net' and bus='usb' or cap='storage'"))
                    .containsExactly("block_loop0", "block_vda", "block_vda1", ETH1);
            assertThat(names("cap='net' and (bus='usb' or bus='virtio')")).containsExactly(ETH0, ETH1);
            assertThat(names("not cap='net' and cap='storage'")).containsExactly("block_loop0", "block_vda",
                    "block_vda1");
            assertThat(names("not not cap='pci' and driver='vfio-pci'")).containsExactly("pci_0000_00_04_1");
            assertThat(names("cap='pci' or cap='usb_device', driver='usb'")).containsExactly("pci_0000_00_03_0",
                    "pci_0000_00_04_0", "pci_0000_00_04_1", "pci_0000_00_05_0", "usb_1_1");
        }

        @Test
        void keywordsAreCaseInsensitiveFieldsAndValuesAreNot() {
            assertThat(names("cap = 'net' Or Exists(pci.sriov)")).containsExactly(BR0, ETH0, "pci_0000_00_04_0",
                    ENP, ETH1);
            org.junit.jupiter.api.Assertions.assertThrows(SelectorSyntaxException.class,
                    () -> Selector.parse("CAP = 'net'"));
            assertThat(names("net.interface = 'ETH0'")).isEmpty();
        }
    }

    @Nested
    class Values {

        @Test
        void numbersCompareByValueWhateverTheirForm() {
            assertThat(names("net.link.speed >= 1000")).containsExactly(ENP, ETH1);
            assertThat(names("net.link.speed > 1000")).containsExactly(ENP);
            assertThat(names("net.link.speed = 10000.0")).containsExactly(ENP);
            assertThat(names("net.mtu = '1500' and net.interface = eth0")).containsExactly(ETH0);
            assertThat(names("storage.size > 0")).containsExactly("block_vda", "block_vda1");
            assertThat(names("storage.size >= 0x280000000")).containsExactly("block_vda");
            assertThat(names("pci.link.max.speed = 8 and pci.link.current.speed < 2.6 and pci.numa_node <= -0"))
                    .hasSize(4);
        }

        @Test
        void aNumberLiteralMeetsAHexIdByValueAQuotedOneByText() {
            assertThat(names("pci.vendor.id == 0x8086")).containsExactly("pci_0000_00_04_0", "pci_0000_00_04_1");
            assertThat(names("pci.vendor.id == 0X8086")).hasSize(2);
            assertThat(names("pci.vendor.id == 32902")).hasSize(2);
            assertThat(names("pci.vendor.id == '0x8086'")).hasSize(2);
            assertThat(names("pci.vendor.id == '0X8086'")).isEmpty();
            assertThat(names("pci.vendor.id == '32902'")).isEmpty();
            assertThat(names("pci.class.id > 0x01ffff and pci.class.id < 0x030000")).hasSize(4);
            assertThat(names("pci.resources.start = 0xc000")).containsExactly("pci_0000_00_03_0", "pci_0000_00_04_0",
                    "pci_0000_00_04_1", "pci_0000_00_05_0");
            assertThat(names("pci.resources.end > 0xfe0ffffe")).hasSize(4);
        }

        @Test
        void versionsComparePartByPart() {
            assertThat(names("usb_device.version >= 2.10.0")).containsExactly("usb_1_1");
            assertThat(names("usb_device.version < 3.0.1")).containsExactly("usb_1_1");
            assertThat(names("usb_device.version = 3.0.0")).containsExactly("usb_1_1");
            assertThat(names("usb_device.version = 3")).containsExactly("usb_1_1");
            assertThat(names("usb_device.version > '2.9.9'")).containsExactly("usb_1_1");
            assertThat(names("usb_device.version > 3.0.0")).isEmpty();
        }

        @Test
        void orderingIsForNumbersAndVersionsOnlyTextNeverMatches() {
            assertThat(names("name > 1")).isEmpty();
            assertThat(names("pci.revision >= 1")).hasSize(4);
        }

        @Test
        void stringsTakeEscapesAndKeepOtherBackslashesForRegexes() {
            assertThat(names("generic.attributes.description = 'TPM 2.0 device'")).containsExactly("tpm_tpm0");
            assertThat(names("generic.attributes.description = \"TPM\\u00202.0 device\"")).containsExactly("tpm_tpm0");
            assertThat(names("name =~ 'eth\\d+_'")).containsExactly(ETH0, ETH1);
            assertThat(names("name =~ \"^net_eth\\\\d\"")).containsExactly(ETH0, ETH1);
            assertThat(names("name = 'it\\'s'")).isEmpty();
        }

        @Test
        void bareWordsAreValues() {
            assertThat(names("aliases = 0000:00:04.1")).containsExactly("pci_0000_00_04_1");
            assertThat(names("aliases = /dev/vda1")).containsExactly("block_vda1");
            assertThat(names("net.address = 02:fc:00:00:00:01")).containsExactly(ETH0);
            assertThat(names("storage.kind in (disk, partition)")).containsExactly("block_vda", "block_vda1");
        }

        @Test
        void regexesFindAnywhereInTheValueText() {
            assertThat(names("name =~ 'vda'")).containsExactly("block_vda", "block_vda1");
            assertThat(names("name =~ '^block_vda$'")).containsExactly("block_vda");
            assertThat(names("net.mtu =~ '^15'")).hasSize(4);
            assertThat(names("pci.assignable =~ 'tr'")).containsExactly("pci_0000_00_04_1");
            assertThat(names("name !~ '_' ")).containsExactly("computer");
        }

        @Test
        void aCatastrophicRegexIsAbandonedAndNeitherOperatorHolds() {
            // exponential in the JDK's engine: about 30 s on this 30-character name without the budget
            String evil = "(.*a){20}$";
            Device d = new Device("aaaaaaaaaaaaaaaaaaaaaaaaaaaaab", null, null, null, null, null,
                    List.of(), List.of(), List.of());
            assertThat(Selector.parse("name =~ '" + evil + "'").matches(d, DeviceContext.ROOT)).isFalse();
            assertThat(Selector.parse("name !~ '" + evil + "'").matches(d, DeviceContext.ROOT)).isFalse();
            assertThat(Selector.parse("name !~ '^z'").matches(d, DeviceContext.ROOT)).isTrue();
        }

        @Test
        void underMatchesTheDeviceAndEverythingBelowIt() {
            assertThat(names("under('pci_0000_00_05_0')")).containsExactly("pci_0000_00_05_0", "virtio_virtio3",
                    "block_vda", "block_vda1");
            assertThat(names("under(block_vda) and not name = block_vda")).containsExactly("block_vda1");
            assertThat(names("under('nothing')")).isEmpty();
        }

        @Test
        void bareBooleanFieldsAreTrueWhenTheValueIs() {
            assertThat(names("stale")).containsExactly("tpm_tpm0");
            assertThat(names("!stale and cap = generic")).isEmpty();
            assertThat(names("stale = false and cap = generic")).isEmpty();
            assertThat(names("pci.assignable")).containsExactly("pci_0000_00_04_1");
            assertThat(names("pci.assignable = false")).hasSize(3);
            assertThat(names("storage.removable or storage.rotational")).isEmpty();
            assertThat(names("storage.read_only = 'false'")).hasSize(3);
        }

        @Test
        void capAndCapsAreTheCapabilityTypes() {
            assertThat(names("cap = 'system'")).containsExactly("computer");
            assertThat(names("caps in (usb_device, generic)")).containsExactly("tpm_tpm0", "usb_1_1");
        }
    }

    @Nested
    class MultiValuedFields {

        @Test
        void matchWhenAnyValueDoes() {
            assertThat(names("aliases = 'eth0'")).containsExactly(ETH0);
            assertThat(names("aliases = '02:fc:00:00:00:01'")).containsExactly(ETH0);
            assertThat(names("pci.iommu_group.members = '0000:00:04.1'")).hasSize(4);
            assertThat(names("pci.resources.kind = 'io'")).hasSize(4);
            assertThat(names("net.bridge.ports =~ '^veth'")).containsExactly(BR0);
        }

        @Test
        void negativeOperatorsMeanNoValueDoes() {
            // eth0 has two aliases; "!=" is not "some alias differs"
            assertThat(names("cap = net and aliases != 'eth0'")).containsExactly(BR0, ENP, ETH1);
            assertThat(names("cap = net and aliases not in ('eth0', 'eth1')")).containsExactly(BR0, ENP);
            assertThat(names("cap = net and aliases !~ '^eth'")).containsExactly(BR0, ENP);
        }
    }

    @Nested
    class MissingFields {

        // loop0 has no size, br0 no link speed, computer no driver
        @Test
        void everyComparisonOnAMissingFieldIsFalse() {
            for (String s : List.of("storage.size = 0", "storage.size != 0", "storage.size > 0", "storage.size < 0",
                    "storage.size in (0)", "storage.size not in (0)", "storage.size =~ ''", "storage.size !~ 'x'")) {
                assertThat(names(s)).as(s).doesNotContain("block_loop0");
            }
        }

        @Test
        void negatingAComparisonOnAMissingFieldIsTrue() {
            assertThat(names("not storage.size = 0")).contains("block_loop0");
            assertThat(names("not storage.size != 0")).contains("block_loop0");
            assertThat(names("cap = storage and not storage.size > 0")).containsExactly("block_loop0");
        }

        @Test
        void soNotEqualsIsNotTheNegationOfEquals() {
            Set<String> all = Set.copyOf(names("exists(name)"));
            List<String> eq = names("driver = 'ixgbe'");
            List<String> ne = names("driver != 'ixgbe'");
            List<String> notEq = names("not driver = 'ixgbe'");
            assertThat(all).hasSize(16);
            assertThat(eq.size() + notEq.size()).isEqualTo(all.size());
            assertThat(eq.size() + ne.size()).isEqualTo(names("exists(driver)").size()).isLessThan(all.size());
        }

        @Test
        void withoutAContextBusIsTheOwnBusAndUnderOnlyTheDeviceItself() {
            DeviceTree t = SampleHost.tree();
            Device eth0 = t.get(ETH0).orElseThrow();
            Device pci = t.get("pci_0000_00_03_0").orElseThrow();
            assertThat(Selector.parse("bus = pci").matches(eth0, null)).isFalse();
            assertThat(Selector.parse("bus = pci").matches(pci, null)).isTrue();
            assertThat(Selector.parse("under(pci_0000_00_03_0)").matches(eth0, null)).isFalse();
            assertThat(Selector.parse("under(pci_0000_00_03_0)").matches(pci, null)).isTrue();
            assertThat(Selector.parse("exists(name)").matches(null, null)).isFalse();
        }
    }

    /** Every NFD match operator and its documented equivalent (docs/selectors.md, "NFD"). */
    @Nested
    class NfdEquivalents {

        @Test
        void in() {
            assertThat(names("pci.vendor.id in ('0x8086', '0x1af4')")).hasSize(4);
            assertThat(names("storage.kind in (disk, loop)")).containsExactly("block_loop0", "block_vda");
        }

        @Test
        void notIn() {
            // like NFD, a device without the field is not matched
            assertThat(names("storage.kind not in (disk, loop)")).containsExactly("block_vda1");
        }

        @Test
        void inRegexp() {
            assertThat(names("net.interface =~ '^eth' or net.interface =~ '^br'")).containsExactly(BR0, ETH0, ETH1);
            assertThat(names("net.interface =~ '^(eth|br)'")).containsExactly(BR0, ETH0, ETH1);
        }

        @Test
        void exists() {
            assertThat(names("exists(pci.sriov)")).containsExactly("pci_0000_00_04_0");
            assertThat(names("exists(net.link.speed)")).containsExactly(ENP, ETH1);
        }

        @Test
        void doesNotExist() {
            assertThat(names("cap = net and not exists(net.link.speed)")).containsExactly(BR0, ETH0);
            assertThat(names("cap = net and !exists(net.link.speed)")).containsExactly(BR0, ETH0);
        }

        @Test
        void gtGeLtLe() {
            assertThat(names("pci.sriov.total_vfs > 62")).containsExactly("pci_0000_00_04_0");
            assertThat(names("pci.sriov.total_vfs >= 63")).containsExactly("pci_0000_00_04_0");
            assertThat(names("pci.sriov.total_vfs < 63")).isEmpty();
            assertThat(names("pci.sriov.total_vfs <= 63")).containsExactly("pci_0000_00_04_0");
        }

        @Test
        void gtLtAndGeLe() {
            assertThat(names("net.link.speed > 1000 and net.link.speed < 100000")).containsExactly(ENP);
            assertThat(names("net.link.speed >= 1000 and net.link.speed <= 10000")).containsExactly(ENP, ETH1);
        }

        @Test
        void isTrueAndIsFalse() {
            assertThat(names("pci.assignable")).containsExactly("pci_0000_00_04_1");
            assertThat(names("pci.assignable = true")).containsExactly("pci_0000_00_04_1");
            // IsFalse needs the field, as in NFD: "not pci.assignable" would also match every non-PCI device
            assertThat(names("pci.assignable = false")).containsExactly("pci_0000_00_03_0", "pci_0000_00_04_0",
                    "pci_0000_00_05_0");
            assertThat(names("not pci.assignable")).hasSize(15);
        }
    }

    @Nested
    class Errors {

        @ParameterizedTest(name = "[{index}] {0}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
                bus='pci' and              | 14 | expected a condition after 'and', found end of input
                name =                     | 7  | expected a value after '=', found end of input
                ``                         | 1  | expected a condition, found end of input
                name = 'x' )               | 12 | expected 'and', 'or' or end of input after 'x', found ')', which closes nothing
                bus='pci' cap='net'        | 11 | expected 'and', 'or' or end of input after 'pci', found 'cap'
                (cap = net                 | 11 | expected ')' to close the '(' at column 1 after 'net', found end of input
                name                       | 5  | expected an operator (=, ==, !=, <, <=, >, >=, =~, !~, in, not in) after 'name', found end of input; only a boolean field stands alone, and name is a string
                name 'x'                   | 6  | expected an operator (=, ==, !=, <, <=, >, >=, =~, !~, in, not in) after 'name', found 'x'
                pci.vendr.id = 0x8086      | 1  | unknown field 'pci.vendr.id'; did you mean pci.vendor.id?
                vendor.id = 0x8086         | 1  | unknown field 'vendor.id'; did you mean pci.vendor.id or usb_device.vendor.id?
                name = 'abc                | 12 | expected ' to end the string that starts at column 8, found end of input
                name & x                   | 6  | expected '&&', found '&' alone
                name = a;                  | 9  | unexpected character ';' (quote values that contain it)
                name =~ '(eth'             | 9  | invalid regular expression: Unclosed group at index 4 of the pattern
                net.mtu > abc              | 11 | expected a number after '>' (net.mtu is a number), found abc
                name < abc                 | 8  | expected a number or a version after '<', found abc
                net.mtu = 'big'            | 11 | expected a number (net.mtu is a number), found 'big'
                stale = yes                | 9  | expected true or false (stale is a boolean), found yes
                stale > 1                  | 9  | expected no ordering: stale is a boolean, and '>' compares numbers and versions, found 1
                cap = 'nett'               | 7  | unknown capability type 'nett'; did you mean net?
                pci.sriov = 1              | 1  | pci.sriov is an object, so '=' does not apply; use exists(pci.sriov) or compare one of its fields (pci.sriov.num_vfs, pci.sriov.pf, pci.sriov.total_vfs, ...)
                name in 'a'                | 9  | expected '(' to start the list after 'in', found 'a'
                name in ('a' 'b')          | 14 | expected ',' or ')' after 'a', found 'b'
                name in ()                 | 10 | expected a value after '(', found ')'
                name not 'a'               | 10 | expected 'in' after 'not', found 'a'
                exists name                | 8  | expected '(' after 'exists', found 'name'
                exists(name                | 12 | expected ')' after 'exists(name', found end of input
                name = and                 | 8  | expected a value after '=', found 'and'
                0x8086 = name              | 1  | expected a condition, found '0x8086'
                "\\u12"                    | 2  | expected four hex digits after '\\u'
                """)
        void nameTheColumnAndWhatWasExpected(String selector, int column, String reason) {
            SelectorSyntaxException e = org.junit.jupiter.api.Assertions.assertThrows(SelectorSyntaxException.class,
                    () -> Selector.parse(selector));
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.column()).isEqualTo(column);
            assertThat(e.getMessage()).isEqualTo("at column " + column + ": " + reason);
        }

        @Test
        void thePointerPutsACaretUnderTheColumn() {
            SelectorSyntaxException e = org.junit.jupiter.api.Assertions.assertThrows(SelectorSyntaxException.class,
                    () -> Selector.parse("bus='pci' and"));
            assertThat(e.pointer()).isEqualTo("bus='pci' and\n             ^");
            SelectorSyntaxException tab = org.junit.jupiter.api.Assertions.assertThrows(SelectorSyntaxException.class,
                    () -> Selector.parse("\tname ="));
            assertThat(tab.pointer()).isEqualTo(" name =\n       ^");
        }

        @Test
        void columnsCountCharactersNotUtf16Units() {
            SelectorSyntaxException e = org.junit.jupiter.api.Assertions.assertThrows(SelectorSyntaxException.class,
                    () -> Selector.parse("name = '\uD83D\uDE00' and"));
            assertThat(e.column()).isEqualTo(15);
        }

        @Test
        void limitsBoundWhatAnUntrustedSelectorCosts() {
            String deep = "(".repeat(Parser.MAX_DEPTH + 1) + "stale" + ")".repeat(Parser.MAX_DEPTH + 1);
            assertThat(org.junit.jupiter.api.Assertions.assertThrows(SelectorSyntaxException.class,
                    () -> Selector.parse(deep)).reason()).startsWith("nesting deeper than 100");
            String fine = "(".repeat(Parser.MAX_DEPTH) + "stale" + ")".repeat(Parser.MAX_DEPTH);
            assertThat(Selector.parse(fine).expression()).isEqualTo(fine);
            assertThat(org.junit.jupiter.api.Assertions.assertThrows(SelectorSyntaxException.class,
                    () -> Selector.parse("not ".repeat(200) + "stale")).reason()).startsWith("nesting deeper");
            assertThat(org.junit.jupiter.api.Assertions.assertThrows(SelectorSyntaxException.class,
                    () -> Selector.parse("stale or ".repeat(3000) + "stale")).reason()).startsWith("a selector has at most");
            assertThat(org.junit.jupiter.api.Assertions.assertThrows(SelectorSyntaxException.class,
                    () -> Selector.parse(null)).reason()).isEqualTo("expected a condition, found no selector");
        }
    }
}
