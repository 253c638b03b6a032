package io.hostdev.probes.sysfs;

import io.hostdev.model.Device;
import io.hostdev.model.cap.NetCapability;
import io.hostdev.model.cap.NetCapability.Kind;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class NetReaderTest {

    @Nested
    class Parsing {

        @ParameterizedTest(name = "speed \"{0}\" -> {1}")
        @CsvSource(nullValues = "null", value = {
                "1000, 1000",
                "10000, 10000",
                "100000, 100000",
                "0, 0",
                "-1, null",
                "4294967295, null",
                "-2, null",
                "fast, null",
                "'', null",
                "1000 Mb/s, null",
                "99999999999999999999999, null",
                "null, null"})
        void speedUnknownOrGarbageIsAbsent(String text, Long expected) {
            assertThat(NetReader.parseSpeed(text)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "tun_flags \"{0}\" -> {1}")
        @CsvSource(nullValues = "null", value = {
                "0x1001, TUN",
                "0x1002, TAP",
                "0x1802, TAP",
                "0x1801, TUN",
                "0x5102, TAP",
                "0x0001, TUN",
                "0x1000, null",
                "0x0003, null",
                "0x, null",
                "tap, null",
                "'', null",
                "null, null"})
        void tunFlagsLowNibbleSaysTunOrTap(String text, Kind expected) {
            assertThat(NetReader.parseTunKind(text)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "bonding/mode \"{0}\" -> {1}")
        @CsvSource(nullValues = "null", value = {
                "active-backup 1, active-backup",
                "balance-rr 0, balance-rr",
                "802.3ad 4, 802.3ad",
                "balance-alb 6, balance-alb",
                "'  broadcast 3  ', broadcast",
                "broadcast, broadcast",
                "'', null",
                "'   ', null",
                "null, null"})
        void bondModeKeepsTheName(String text, String expected) {
            assertThat(NetReader.parseBondMode(text)).isEqualTo(expected);
        }

        @Test
        void bondModeOfBinaryGarbageIsAbsent() {
            assertThat(NetReader.parseBondMode("\u0001\u00ff\uFFFD 1")).isNull();
        }

        @ParameterizedTest(name = "bonding/slaves \"{0}\" -> {1}")
        @CsvSource(nullValues = "null", value = {
                "eth2 eth1, eth1;eth2",
                "eth0, eth0",
                "'  eth3   eth0\t', eth0;eth3",
                "'', ''",
                "null, ''",
                "eth0 a/b c:d waytoolonginterfacename, eth0"})
        void bondSlavesAreSortedAndNonNamesDropped(String text, String expected) {
            List<String> want = expected.isEmpty() ? List.of() : Arrays.asList(expected.split(";"));
            assertThat(NetReader.parseBondSlaves(text)).isEqualTo(want);
        }

        static Stream<Arguments> vlanProcFiles() {
            return Stream.of(
                    Arguments.of("eth0.100  VID: 100\t REORDER_HDR: 1  dev->priv_flags: 1001\n"
                            + "         total frames received            0\n", 100),
                    Arguments.of("vlan7  VID: 7\t REORDER_HDR: 1  dev->priv_flags: 1\n", 7),
                    Arguments.of("x  VID: 0\t REORDER_HDR: 1\n", 0),
                    Arguments.of("x  VID: 4095\t REORDER_HDR: 1\n", 4095),
                    Arguments.of("x  VID: 4096\t REORDER_HDR: 1\n", null),
                    Arguments.of("x  VID: 123456\t REORDER_HDR: 1\n", null),
                    Arguments.of("x  VID: \t REORDER_HDR: 1\n", null),
                    Arguments.of("x  VID: -5\n", null),
                    Arguments.of("\u0000\u0001garbage\uFFFD", null),
                    Arguments.of("", null),
                    Arguments.of(null, null));
        }

        @ParameterizedTest
        @MethodSource("vlanProcFiles")
        void vlanIdComesAfterVid(String text, Integer expected) {
            assertThat(NetReader.parseVlanProcFile(text)).isEqualTo(expected);
        }

        static final String CONFIG = "VLAN Dev name\t | VLAN ID\n"
                + "Name-Type: VLAN_NAME_TYPE_RAW_PLUS_VID_NO_PAD\n"
                + "eth0.100       | 100  | eth0\n"
                + "eth0.2000      | 2000  | eth0\n"
                + "bad            | x12  | eth0\n";

        @ParameterizedTest(name = "config line of {0} -> {1}")
        @CsvSource(nullValues = "null", value = {
                "eth0.100, 100",
                "eth0.2000, 2000",
                "eth0.20, null",
                "bad, null",
                "VLAN Dev name, null",
                "null, null"})
        void vlanConfigFindsTheInterfacesLine(String iface, Integer expected) {
            assertThat(NetReader.parseVlanConfig(CONFIG, iface)).isEqualTo(expected);
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"\u0000\u0000\u0000", "| | |", "eth0.100 |", "Name-Type: x\n"})
        void vlanConfigGarbageHasNoId(String text) {
            assertThat(NetReader.parseVlanConfig(text, "eth0.100")).isNull();
        }

        @ParameterizedTest(name = "\"{0}\" valid: {1}")
        @CsvSource(nullValues = "null", value = {
                "eth0, true",
                "eth0.100, true",
                "enp0s31f6, true",
                "br-3fa2c1d0e4b5, true",
                "123456789012345, true",
                "1234567890123456, false",
                "., false",
                "'..', false",
                "../../etc, false",
                "a:b, false",
                "'a b', false",
                "'', false",
                "null, false"})
        void interfaceNamesFollowTheKernelsRules(String name, boolean expected) {
            assertThat(NetReader.validInterfaceName(name)).isEqualTo(expected);
        }

        @Test
        void controlCharactersAndUndecodableBytesAreNoName() {
            assertThat(NetReader.validInterfaceName("eth\u00010")).isFalse();
            assertThat(NetReader.validInterfaceName("eth\uFFFD")).isFalse();
        }

        @ParameterizedTest(name = "address \"{0}\" -> {1}")
        @CsvSource(nullValues = "null", value = {
                "02:fc:00:00:00:01, 02:fc:00:00:00:01",
                "02:FC:00:00:00:01, 02:FC:00:00:00:01",
                "00:00:00:00, 00:00:00:00",
                "80:00:02:08:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0a:1b:2c, "
                        + "80:00:02:08:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0a:1b:2c",
                "'', null",
                "' ', null",
                "02:fc:00:00:00, 02:fc:00:00:00",
                "02:fc:00:00:00:0, null",
                "zz:zz:zz:zz:zz:zz, null",
                "02-fc-00-00-00-01, null",
                "null, null"})
        void addressIsAHexByteListOrAbsent(String text, String expected) {
            assertThat(NetReader.address(text)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "operstate \"{0}\" -> {1}")
        @CsvSource(nullValues = "null", value = {
                "up, up",
                "lowerlayerdown, lowerlayerdown",
                "unknown, unknown",
                "'', null",
                "UP!, null",
                "\u0001\u0002, null",
                "null, null"})
        void operstateIsAKernelWordOrAbsent(String text, String expected) {
            assertThat(NetReader.parseOperstate(text)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "devtype {0} -> {1}")
        @CsvSource(nullValues = "null", value = {
                "bridge, BRIDGE",
                "bond, BOND",
                "vlan, VLAN",
                "wlan, WIRELESS",
                "wwan, null",
                "null, null"})
        void devtypeNamesTheKindOfSomeLinks(String devtype, Kind expected) {
            assertThat(NetReader.kindFromDevtype(devtype)).isEqualTo(expected);
        }

        static final String MAC = "02:fc:00:00:00:01";
        static final String OTHER_MAC = "be:bb:ab:57:94:d1";

        static NetReader.Markers markers(String devtype, String names, Kind tunKind, Integer type, int ifindex,
                Integer iflink, String address, String lowerAddress) {
            Set<String> listing = Set.of(("address ifindex iflink type " + names).strip().split(" +"));
            boolean hasLower = listing.stream().anyMatch(x -> x.startsWith("lower_"));
            return new NetReader.Markers(devtype, listing, tunKind, type, ifindex, iflink, address, lowerAddress,
                    hasLower);
        }

        static Stream<Arguments> kinds() {
            return Stream.of(
                    Arguments.of("bridge by devtype", markers("bridge", "bridge brif lower_eth1", null, 1, 5, 5, MAC,
                            null), Kind.BRIDGE),
                    Arguments.of("bridge by directory", markers(null, "bridge brif", null, 1, 5, 5, MAC, null),
                            Kind.BRIDGE),
                    Arguments.of("bond by devtype", markers("bond", "bonding", null, 1, 6, 6, MAC, null), Kind.BOND),
                    Arguments.of("bond by directory", markers(null, "bonding", null, 1, 6, 6, MAC, null), Kind.BOND),
                    Arguments.of("bond slave is not a bond", markers(null, "bonding_slave master device", null, 1, 3,
                            3, MAC, null), Kind.PHYSICAL),
                    Arguments.of("vlan", markers("vlan", "lower_eth0", null, 1, 9, 2, MAC, null), Kind.VLAN),
                    Arguments.of("wlan devtype beats device link", markers("wlan", "device phy80211", null, 1, 3, 3,
                            MAC, null), Kind.WIRELESS),
                    Arguments.of("wireless by phy80211", markers(null, "device phy80211", null, 1, 3, 3, MAC, null),
                            Kind.WIRELESS),
                    Arguments.of("tun", markers(null, "tun_flags", Kind.TUN, 65534, 18, 18, null, null), Kind.TUN),
                    Arguments.of("tap", markers(null, "tun_flags", Kind.TAP, 1, 17, 17, MAC, null), Kind.TAP),
                    Arguments.of("tun flags unreadable", markers(null, "tun_flags", null, 1, 17, 17, MAC, null), null),
                    Arguments.of("macvtap", markers(null, "macvtap tap16 lower_eth0", null, 1, 16, 2, OTHER_MAC, MAC),
                            Kind.MACVTAP),
                    Arguments.of("loopback", markers(null, "", null, 772, 1, 1, "00:00:00:00:00:00", null),
                            Kind.LOOPBACK),
                    Arguments.of("physical", markers(null, "device", null, 1, 2, 2, MAC, null), Kind.PHYSICAL),
                    Arguments.of("macvlan", markers(null, "lower_eth0", null, 1, 15, 2, OTHER_MAC, MAC),
                            Kind.MACVLAN),
                    Arguments.of("ipvlan shares the lower's MAC", markers(null, "lower_eth0", null, 1, 15, 2, MAC,
                            MAC), Kind.IPVLAN),
                    Arguments.of("lower address unreadable", markers(null, "lower_eth0", null, 1, 15, 2, MAC, null),
                            Kind.MACVLAN),
                    Arguments.of("team master is its own iflink", markers(null, "lower_eth1 lower_eth2", null, 1, 20,
                            20, MAC, null), Kind.VIRTUAL),
                    Arguments.of("veth", markers(null, "", null, 1, 10, 11, MAC, null), Kind.VETH),
                    Arguments.of("veth enslaved to a bridge", markers(null, "master upper_br0 brport", null, 1, 10,
                            11, MAC, null), Kind.VETH),
                    Arguments.of("gre fallback has iflink 0", markers(null, "", null, 778, 3, 0, null, null),
                            Kind.VIRTUAL),
                    Arguments.of("ipip tunnel bound to eth0", markers(null, "", null, 768, 7, 2, null, null),
                            Kind.VIRTUAL),
                    Arguments.of("iflink unreadable", markers(null, "", null, 1, 10, null, MAC, null), Kind.VIRTUAL),
                    Arguments.of("ifb", markers(null, "", null, 1, 2, 2, MAC, null), Kind.VIRTUAL),
                    Arguments.of("nothing readable", markers(null, "", null, null, 0, null, null, null),
                            Kind.VIRTUAL));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("kinds")
        void kindRules(String what, NetReader.Markers markers, Kind expected) {
            assertThat(NetReader.kind(markers)).isEqualTo(expected);
        }

        @Test
        void lowerNamesAreTheLinksAfterThePrefixSorted() {
            assertThat(NetReader.lowerNames(Set.of("lower_eth1", "upper_br0", "lower_", "lower_eth0",
                    "address"))).containsExactly("eth0", "eth1");
        }
    }

    @Nested
    class Reading {

        @TempDir
        Path root;

        FakeSysfs fs;

        @BeforeEach
        void setUp() {
            fs = new FakeSysfs(root);
        }

        /** An interface as every kind has it; tests add what makes the kind. */
        FakeSysfs.Dev iface(String devicesPath, int ifindex, String mac) {
            String name = Path.of(devicesPath).getFileName().toString();
            return fs.classDevice(devicesPath, "net")
                    .uevent("INTERFACE=" + name, "IFINDEX=" + ifindex)
                    .attr("ifindex", Integer.toString(ifindex))
                    .attr("iflink", Integer.toString(ifindex))
                    .attr("type", "1")
                    .attr("mtu", "1500")
                    .attr("operstate", "down")
                    .attr("address", mac);
        }

        /** A physical virtio NIC, eth0, ifindex 2, up at 1000 Mb/s. */
        FakeSysfs.Dev eth0() {
            fs.busDevice("pci0000:00/0000:00:03.0", "pci");
            fs.busDevice("pci0000:00/0000:00:03.0/virtio2", "virtio");
            return iface("pci0000:00/0000:00:03.0/virtio2/net/eth0", 2, "02:fc:00:00:00:01")
                    .link("device", "sys/devices/pci0000:00/0000:00:03.0/virtio2")
                    .attr("operstate", "up")
                    .attr("speed", "1000");
        }

        /**
         * Reading {@code speed} of a down link answers EINVAL. Root reads any file whatever its mode,
         * so the test makes the attribute a directory, which fails to read just as surely (EISDIR).
         */
        void unreadable(FakeSysfs.Dev dev, String attr) throws IOException {
            Files.deleteIfExists(dev.dir().resolve(attr));
            fs.dir(dev.path() + "/" + attr);
        }

        SysfsScan scan() {
            return new SysfsProbe().probe(HostFiles.of(HostRoot.of(root)));
        }

        NetCapability net(SysfsScan scan, String devicesPath) {
            Device d = scan.tree().devices().stream()
                    .filter(x -> ("/sys/devices/" + devicesPath).equals(x.path()))
                    .findFirst().orElseThrow(() -> new AssertionError("no device at " + devicesPath));
            return d.capability(NetCapability.class)
                    .orElseThrow(() -> new AssertionError(devicesPath + " has no net capability: " + d));
        }

        NetCapability net(String devicesPath) {
            SysfsScan scan = scan();
            assertThat(scan.problems()).isEmpty();
            return net(scan, devicesPath);
        }

        @Test
        void physicalNicHasIdentityLinkAndNoStructure() {
            eth0().attr("mtu", "1400");
            NetCapability n = net("pci0000:00/0000:00:03.0/virtio2/net/eth0");
            assertThat(n).isEqualTo(new NetCapability("eth0", "02:fc:00:00:00:01", 2, 1400,
                    new NetCapability.Link("up", 1000L), Kind.PHYSICAL, null, null, null, null, null, null));
        }

        @Test
        void downLinkWhoseSpeedIsUnreadableHasStateButNoSpeed() throws IOException {
            FakeSysfs.Dev eth0 = eth0().attr("operstate", "down");
            unreadable(eth0, "speed");
            NetCapability n = net("pci0000:00/0000:00:03.0/virtio2/net/eth0");
            assertThat(n.link()).isEqualTo(new NetCapability.Link("down", null));
        }

        @Test
        void speedOfMinusOneIsAbsent() {
            eth0().attr("speed", "-1");
            assertThat(net("pci0000:00/0000:00:03.0/virtio2/net/eth0").link().speed()).isNull();
        }

        @Test
        void interfaceNameComesFromUeventBeforeTheDirectoryName() {
            iface("virtual/net/dir0", 4, "aa:bb:cc:dd:ee:ff").uevent("INTERFACE=renamed0");
            assertThat(net("virtual/net/dir0").interfaceName()).isEqualTo("renamed0");
        }

        @Test
        void ifindexFallsBackToTheAttributeWhenUeventLacksIt() {
            fs.classDevice("virtual/net/odd0", "net").attr("ifindex", "12").attr("iflink", "12").attr("type", "1");
            NetCapability n = net("virtual/net/odd0");
            assertThat(n.interfaceName()).isEqualTo("odd0");
            assertThat(n.ifindex()).isEqualTo(12);
        }

        @Test
        void bridgeListsItsPortsSortedAndNoLower() {
            iface("virtual/net/br0", 5, "52:54:00:00:00:05").uevent("DEVTYPE=bridge")
                    .attr("bridge/stp_state", "0")
                    .link("brif/vnet1", "sys/devices/virtual/net/vnet1/brport")
                    .link("brif/eth1", "sys/devices/virtual/net/eth1/brport")
                    .link("lower_vnet1", "sys/devices/virtual/net/vnet1")
                    .link("lower_eth1", "sys/devices/virtual/net/eth1");
            iface("virtual/net/vnet1", 6, "fe:54:00:00:00:06").link("master", "sys/devices/virtual/net/br0")
                    .link("upper_br0", "sys/devices/virtual/net/br0").attr("brport/state", "3");
            SysfsScan scan = scan();
            NetCapability br = net(scan, "virtual/net/br0");
            assertThat(br.kind()).isEqualTo(Kind.BRIDGE);
            assertThat(br.bridge().ports()).containsExactly("eth1", "vnet1");
            assertThat(br.lower()).isNull();
            assertThat(net(scan, "virtual/net/vnet1").master()).isEqualTo("br0");
        }

        @Test
        void bridgeWithoutDevtypeIsKnownByItsBridgeDirectory() {
            iface("virtual/net/br1", 5, "52:54:00:00:00:05").attr("bridge/stp_state", "0");
            fs.dir("sys/devices/virtual/net/br1/brif");
            NetCapability br = net("virtual/net/br1");
            assertThat(br.kind()).isEqualTo(Kind.BRIDGE);
            assertThat(br.bridge().ports()).isEmpty();
        }

        @Test
        void bondInActiveBackupWithTwoSlaves() {
            iface("virtual/net/bond0", 7, "52:54:00:00:00:07").uevent("DEVTYPE=bond")
                    .attr("bonding/mode", "active-backup 1")
                    .attr("bonding/slaves", "eth2 eth1")
                    .link("lower_eth1", "sys/devices/virtual/net/eth1")
                    .link("lower_eth2", "sys/devices/virtual/net/eth2");
            iface("virtual/net/eth1", 8, "52:54:00:00:00:07").link("master", "sys/devices/virtual/net/bond0")
                    .attr("bonding_slave/state", "active");
            SysfsScan scan = scan();
            NetCapability bond = net(scan, "virtual/net/bond0");
            assertThat(bond.kind()).isEqualTo(Kind.BOND);
            assertThat(bond.bond()).isEqualTo(new NetCapability.Bond("active-backup", List.of("eth1", "eth2")));
            assertThat(bond.lower()).isNull();
            NetCapability slave = net(scan, "virtual/net/eth1");
            assertThat(slave.master()).isEqualTo("bond0");
            assertThat(slave.bond()).isNull();
        }

        @Test
        void vlanTakesItsIdFromProcAndItsLowerFromTheLink() {
            eth0();
            iface("virtual/net/eth0.100", 9, "02:fc:00:00:00:01").uevent("DEVTYPE=vlan")
                    .attr("iflink", "2")
                    .link("lower_eth0", "sys/devices/pci0000:00/0000:00:03.0/virtio2/net/eth0");
            fs.file("proc/net/vlan/eth0.100", "eth0.100  VID: 100\t REORDER_HDR: 1  dev->priv_flags: 1001\n"
                    + "         total frames received            0\n");
            NetCapability vlan = net("virtual/net/eth0.100");
            assertThat(vlan.kind()).isEqualTo(Kind.VLAN);
            assertThat(vlan.vlan()).isEqualTo(new NetCapability.Vlan(100));
            assertThat(vlan.lower()).isEqualTo("eth0");
        }

        @Test
        void vlanIdFallsBackToTheConfigFile() {
            iface("virtual/net/vlan200", 9, "02:fc:00:00:00:01").uevent("DEVTYPE=vlan")
                    .link("lower_eth0", "sys/devices/virtual/net/eth0");
            fs.file("proc/net/vlan/config", "VLAN Dev name\t | VLAN ID\nName-Type: VLAN_NAME_TYPE_PLUS_VID\n"
                    + "vlan200        | 200  | eth0\n");
            assertThat(net("virtual/net/vlan200").vlan().id()).isEqualTo(200);
        }

        @Test
        void vlanWithoutProcFilesHasNoId() {
            iface("virtual/net/eth0.7", 9, "02:fc:00:00:00:01").uevent("DEVTYPE=vlan")
                    .link("lower_eth0", "sys/devices/virtual/net/eth0");
            NetCapability vlan = net("virtual/net/eth0.7");
            assertThat(vlan.vlan()).isEqualTo(new NetCapability.Vlan(null));
            assertThat(vlan.lower()).isEqualTo("eth0");
        }

        @Test
        void vethPairInThisNamespaceNameEachOther() {
            iface("virtual/net/vethA", 10, "f2:10:39:67:79:62").attr("iflink", "11");
            iface("virtual/net/vethB", 11, "4e:b6:f8:8f:74:7f").attr("iflink", "10");
            SysfsScan scan = scan();
            assertThat(net(scan, "virtual/net/vethA").veth()).isEqualTo(new NetCapability.Veth("vethB", 11));
            assertThat(net(scan, "virtual/net/vethB").veth()).isEqualTo(new NetCapability.Veth("vethA", 10));
            assertThat(net(scan, "virtual/net/vethA").kind()).isEqualTo(Kind.VETH);
        }

        @Test
        void vanishedPeerLeavesOnlyTheIfindex() {
            // the peer lives in another namespace as its ifindex 2; here 2 is eth0, whose iflink is itself
            eth0();
            iface("virtual/net/vethC", 12, "f2:10:39:67:79:63").attr("iflink", "2");
            NetCapability v = net("virtual/net/vethC");
            assertThat(v.kind()).isEqualTo(Kind.VETH);
            assertThat(v.veth()).isEqualTo(new NetCapability.Veth(null, 2));
        }

        @Test
        void enslavedVethIsStillAVethWithItsMaster() {
            iface("virtual/net/br0", 5, "f2:10:39:67:79:62").uevent("DEVTYPE=bridge")
                    .link("brif/vethA", "sys/devices/virtual/net/vethA/brport");
            iface("virtual/net/vethA", 10, "f2:10:39:67:79:62").attr("iflink", "11")
                    .link("master", "sys/devices/virtual/net/br0")
                    .link("upper_br0", "sys/devices/virtual/net/br0");
            NetCapability v = net("virtual/net/vethA");
            assertThat(v.kind()).isEqualTo(Kind.VETH);
            assertThat(v.master()).isEqualTo("br0");
            assertThat(v.veth()).isEqualTo(new NetCapability.Veth(null, 11));
        }

        @Test
        void macvlanHasItsOwnMacOnTopOfItsLower() {
            eth0();
            iface("virtual/net/mv0", 13, "be:bb:ab:57:94:d1").attr("iflink", "2")
                    .link("lower_eth0", "sys/devices/pci0000:00/0000:00:03.0/virtio2/net/eth0");
            NetCapability mv = net("virtual/net/mv0");
            assertThat(mv.kind()).isEqualTo(Kind.MACVLAN);
            assertThat(mv.lower()).isEqualTo("eth0");
            assertThat(mv.veth()).isNull();
        }

        @Test
        void stackedLinkSharingItsLowersMacIsAnIpvlan() {
            eth0();
            iface("virtual/net/ipv0", 14, "02:FC:00:00:00:01").attr("iflink", "2")
                    .link("lower_eth0", "sys/devices/pci0000:00/0000:00:03.0/virtio2/net/eth0");
            NetCapability ipv = net("virtual/net/ipv0");
            assertThat(ipv.kind()).isEqualTo(Kind.IPVLAN);
            assertThat(ipv.lower()).isEqualTo("eth0");
        }

        @Test
        void macvtapIsKnownByItsMacvtapDirectory() {
            eth0();
            iface("virtual/net/macvtap0", 16, "8a:27:6d:60:7a:c8").attr("iflink", "2")
                    .link("lower_eth0", "sys/devices/pci0000:00/0000:00:03.0/virtio2/net/eth0")
                    .link("tap16", "sys/devices/virtual/net/macvtap0/macvtap/tap16");
            fs.dir("sys/devices/virtual/net/macvtap0/macvtap/tap16");
            NetCapability mvt = net("virtual/net/macvtap0");
            assertThat(mvt.kind()).isEqualTo(Kind.MACVTAP);
            assertThat(mvt.lower()).isEqualTo("eth0");
        }

        @Test
        void tunHasNoAddress() {
            iface("virtual/net/tun0", 18, "").attr("type", "65534").attr("tun_flags", "0x1001");
            NetCapability tun = net("virtual/net/tun0");
            assertThat(tun.kind()).isEqualTo(Kind.TUN);
            assertThat(tun.address()).isNull();
        }

        @Test
        void tapIsAnEthernetTunDevice() {
            iface("virtual/net/tap0", 17, "de:2b:40:75:49:79").attr("tun_flags", "0x1802");
            NetCapability tap = net("virtual/net/tap0");
            assertThat(tap.kind()).isEqualTo(Kind.TAP);
            assertThat(tap.address()).isEqualTo("de:2b:40:75:49:79");
        }

        @Test
        void loopbackIsKnownByItsArpType() {
            iface("virtual/net/lo", 1, "00:00:00:00:00:00").attr("type", "772").attr("mtu", "65536")
                    .attr("operstate", "unknown");
            NetCapability lo = net("virtual/net/lo");
            assertThat(lo).isEqualTo(new NetCapability("lo", "00:00:00:00:00:00", 1, 65536,
                    new NetCapability.Link("unknown", null), Kind.LOOPBACK, null, null, null, null, null, null));
        }

        @Test
        void wirelessWinsOverItsBusDevice() {
            fs.busDevice("pci0000:00/0000:00:14.3", "pci");
            iface("pci0000:00/0000:00:14.3/net/wlan0", 3, "a0:b1:c2:d3:e4:f5").uevent("DEVTYPE=wlan")
                    .link("device", "sys/devices/pci0000:00/0000:00:14.3")
                    .link("phy80211", "sys/devices/pci0000:00/0000:00:14.3/ieee80211/phy0");
            assertThat(net("pci0000:00/0000:00:14.3/net/wlan0").kind()).isEqualTo(Kind.WIRELESS);
        }

        @Test
        void ifbIsAPlainVirtualLink() {
            iface("virtual/net/ifb0", 2, "86:ab:d8:05:b7:b2");
            assertThat(net("virtual/net/ifb0").kind()).isEqualTo(Kind.VIRTUAL);
        }

        @Test
        void tunnelWithIflinkZeroIsNotAVeth() {
            // ipip/gre fallback devices (tunl0, gre0) report iflink 0 and a non-Ethernet type
            iface("virtual/net/tunl0", 3, "00:00:00:00").attr("type", "768").attr("iflink", "0");
            NetCapability t = net("virtual/net/tunl0");
            assertThat(t.kind()).isEqualTo(Kind.VIRTUAL);
            assertThat(t.veth()).isNull();
        }

        @Test
        void masterOfSeveralLowersThatIsItsOwnIflinkIsVirtual() {
            iface("virtual/net/team0", 20, "52:54:00:00:00:20")
                    .link("lower_eth1", "sys/devices/virtual/net/eth1")
                    .link("lower_eth2", "sys/devices/virtual/net/eth2");
            NetCapability team = net("virtual/net/team0");
            assertThat(team.kind()).isEqualTo(Kind.VIRTUAL);
            assertThat(team.lower()).isEqualTo("eth1");
        }

        @Test
        void tunDeviceWithUnreadableFlagsHasNoKind() {
            iface("virtual/net/tun1", 18, "").attr("type", "65534").attr("tun_flags", "garbage");
            assertThat(net("virtual/net/tun1").kind()).isNull();
        }

        @Test
        void binaryGarbageInEveryAttributeMakesValuesAbsentNotErrors() {
            byte[] junk = {(byte) 0xff, 0x00, (byte) 0xfe, 0x01, '\n', (byte) 0x80, ' ', 'x'};
            FakeSysfs.Dev d = fs.classDevice("virtual/net/junk0", "net").uevent("INTERFACE=junk0", "IFINDEX=x");
            for (String attr : List.of("address", "ifindex", "iflink", "mtu", "operstate", "speed", "type",
                    "bonding/mode", "bonding/slaves")) {
                d.rawAttr(attr, junk);
            }
            d.uevent("DEVTYPE=bond");
            SysfsScan scan = scan();
            assertThat(scan.problems()).isEmpty();
            NetCapability n = net(scan, "virtual/net/junk0");
            assertThat(n.interfaceName()).isEqualTo("junk0");
            assertThat(n.address()).isNull();
            assertThat(n.ifindex()).isNull();
            assertThat(n.link()).isNull();
            assertThat(n.mtu()).isNull();
            assertThat(n.kind()).isEqualTo(Kind.BOND);
            assertThat(n.bond().mode()).isNull();
            assertThat(n.bond().slaves()).allSatisfy(s -> assertThat(NetReader.validInterfaceName(s)).isTrue());
        }

        @Test
        void garbageVlanProcFileAndHostileInterfaceNameReadNothingOutsideTheRoot() {
            iface("virtual/net/v1", 9, "02:fc:00:00:00:01").uevent("DEVTYPE=vlan", "INTERFACE=../../../etc/passwd");
            fs.bytes("proc/net/vlan/config", new byte[] {0, 1, 2, (byte) 0xff, '|', '|'});
            fs.file("etc/passwd", "VID: 12\n");
            HostFiles files = HostFiles.recording(HostRoot.of(root));
            SysfsScan scan = new SysfsProbe().probe(files);
            NetCapability n = net(scan, "virtual/net/v1");
            assertThat(n.vlan()).isEqualTo(new NetCapability.Vlan(null));
            assertThat(files.accesses()).extracting(a -> a.path().toString()).noneMatch(p -> p.contains("passwd"));
        }

        @Test
        void absentOptionalFilesAreNotOpened() {
            iface("virtual/net/ifb0", 2, "86:ab:d8:05:b7:b2");
            HostFiles files = HostFiles.recording(HostRoot.of(root));
            new SysfsProbe().probe(files);
            assertThat(files.accesses()).extracting(a -> a.path().toString())
                    .noneMatch(s -> s.contains("tun_flags") || s.contains("bonding") || s.contains("brif")
                            || s.contains("proc/net/vlan"));
        }

    }
}
