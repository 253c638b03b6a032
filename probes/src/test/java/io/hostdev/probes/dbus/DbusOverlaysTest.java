package io.hostdev.probes.dbus;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.Overlay;
import io.hostdev.model.cap.NetCapability;
import io.hostdev.model.cap.StorageCapability;
import io.hostdev.model.cap.StorageCapability.Kind;
import io.hostdev.model.cap.SystemdCapability;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The bridge's records laid over sysfs devices, and the devices a change names; tables, no bus. */
class DbusOverlaysTest {

    static final String SDA = "/sys/devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda";
    static final String SDA1 = SDA + "/sda1";
    static final String ETH0 = "/sys/devices/pci0000:00/0000:00:03.0/net/eth0";
    static final String DM0 = "/sys/devices/virtual/block/dm-0";
    static final String DRIVE = "/org/freedesktop/UDisks2/drives/Kingston_DT_S1";
    static final String HAL_DISK = "/org/freedesktop/Hal/devices/storage_serial_S1";
    static final String HAL_VOLUME = "/org/freedesktop/Hal/devices/volume_uuid_1234";
    static final String HAL_NIC = "/org/freedesktop/Hal/devices/net_52_54_00_12_34_56";

    static StorageCapability storage(Kind kind, String node, Long size, Boolean removable, Boolean rotational,
                                     String model, String vendor, String serial) {
        return new StorageCapability(kind, node, size, 512, removable, rotational, false, model, vendor, serial, null,
                kind == Kind.PARTITION ? 1 : null, null, null, null, null);
    }

    /** As sysfs reads a USB stick behind SCSI: no serial (no vpd_pg80), nothing of UDisks2's own. */
    static Device sda() {
        return new Device("block_sda", "scsi_0_0_0_0", SDA, "block", null, "disk", null, List.of("/dev/sda"),
                List.of(SDA), List.of(storage(Kind.DISK, "/dev/sda", 1L << 30, true, false, "DataTraveler", "Kingston",
                null)), false, List.of(Device.SYSFS));
    }

    static Device sda1() {
        return new Device("block_sda1", "block_sda", SDA1, "block", null, "partition", null, List.of("/dev/sda1"),
                List.of(), List.of(storage(Kind.PARTITION, "/dev/sda1", null, true, false, null, null, null)), false,
                List.of(Device.SYSFS));
    }

    static Device dm0() {
        return new Device("block_dm_0", "computer", DM0, "block", null, "disk", null, List.of("/dev/dm-0"), List.of(),
                List.of(storage(Kind.DEVICE_MAPPER, "/dev/dm-0", 4096L, false, false, null, null, null)), false,
                List.of(Device.SYSFS));
    }

    static Device eth0() {
        return new Device("net_eth0_52_54_00_12_34_56", "pci_0000_00_03_0", ETH0, "net", null, null, null, List.of(),
                List.of("eth0"), List.of(new NetCapability("eth0", "52:54:00:12:34:56", 2, 1500, null,
                NetCapability.Kind.PHYSICAL, null, null, null, null, null, null)), false, List.of(Device.SYSFS));
    }

    static Device computer() {
        return new Device("computer", null, null, null, null, null, null, List.of(), List.of(), List.of(), false,
                List.of(Device.SYSFS));
    }

    static UdisksDrive drive(String serial, String media, Integer rotationRate, String bus) {
        return new UdisksDrive(DRIVE, "Kingston-DT-" + serial, "Kingston Technology", "DT 101 G2", serial,
                "0x5000000000000001", media, true, true, rotationRate != null, rotationRate, 1L << 30, bus);
    }

    static UdisksSnapshot udisks(UdisksBlock... blocks) {
        SortedMap<String, UdisksBlock> byNode = new TreeMap<>();
        for (UdisksBlock b : blocks) {
            byNode.put(b.device(), b);
        }
        return new UdisksSnapshot(byNode, new TreeMap<>());
    }

    static UdisksBlock block(String node, Long size, UdisksDrive drive) {
        return new UdisksBlock(node, node, "/org/freedesktop/UDisks2/block_devices/" + node.substring(5), size, null,
                null, null, drive);
    }

    static HalDevice hal(String udi, Map<String, Object> properties) {
        return new HalDevice(udi, new TreeMap<>(properties));
    }

    static HalSnapshot halSnapshot(HalDevice... devices) {
        SortedMap<String, HalDevice> byUdi = new TreeMap<>();
        for (HalDevice d : devices) {
            byUdi.put(d.udi(), d);
        }
        return new HalSnapshot(byUdi);
    }

    static SystemdSnapshot systemdSnapshot(SystemdDeviceUnit... units) {
        SortedMap<String, SystemdDeviceUnit> byName = new TreeMap<>();
        for (SystemdDeviceUnit u : units) {
            byName.put(u.unit(), u);
        }
        return new SystemdSnapshot(byName);
    }

    static SystemdDeviceUnit unit(String name, String sysfsPath, String active) {
        return new SystemdDeviceUnit(name, sysfsPath, active, "active".equals(active) ? "plugged" : "dead",
                "/org/freedesktop/systemd1/unit/" + name.replace('-', '_'));
    }

    static DbusSnapshot snapshot(Map<String, DbusSourceState> states, UdisksSnapshot u, SystemdSnapshot s,
                                 HalSnapshot h) {
        return new DbusSnapshot(new TreeMap<>(states), u, s, h);
    }

    @Nested
    class Udisks2 {

        final Overlay overlay = DbusOverlays.udisks2(udisks(
                block("/dev/sda", 1L << 30, drive("S1", "thumb", null, "usb")),
                block("/dev/sda1", 1L << 29, drive("S1", "thumb", null, "usb")),
                new UdisksBlock("/dev/dm-0", "/dev/mapper/vg-root", "/org/freedesktop/UDisks2/block_devices/dm_2d0",
                        4096L, null, null, null, null)));

        @Test
        void aDiskGetsTheDrivesFactsWhereSysfsIsSilentAndKeepsSysfsValues() {
            Device d = overlay.apply(sda());
            StorageCapability s = d.capability(StorageCapability.class).orElseThrow();

            assertThat(s.serial()).as("sysfs had none").isEqualTo("S1");
            assertThat(s.media()).isEqualTo("thumb");
            assertThat(s.connectionBus()).isEqualTo("usb");
            assertThat(s.wwn()).isEqualTo("0x5000000000000001");
            assertThat(s.rotationRate()).as("not rotating: no rate").isNull();
            assertThat(s.vendor()).as("sysfs wins").isEqualTo("Kingston");
            assertThat(s.model()).as("sysfs wins").isEqualTo("DataTraveler");
            assertThat(s.size()).isEqualTo(1L << 30);
            assertThat(d.sources()).containsExactly("dbus.udisks2", "sysfs");
        }

        @Test
        void aPartitionGetsOnlyItsBlocksSizeNotItsDrivesIdentity() {
            Device d = overlay.apply(sda1());
            StorageCapability s = d.capability(StorageCapability.class).orElseThrow();

            assertThat(s.size()).isEqualTo(1L << 29);
            assertThat(s.serial()).isNull();
            assertThat(s.media()).isNull();
            assertThat(s.connectionBus()).isNull();
            assertThat(d.sources()).contains("dbus.udisks2");
        }

        @Test
        void thePreferredDeviceNodeBecomesAnAlias() {
            assertThat(overlay.apply(dm0()).aliases()).contains("/dev/mapper/vg-root");
            assertThat(overlay.apply(sda()).aliases()).as("preferred = device: nothing new").containsExactly(SDA);
        }

        @Test
        void aDeviceUdisksDoesNotKnowIsTheSameInstance() {
            Device eth0 = eth0();
            Device computer = computer();
            Device sdb = new Device("block_sdb", "computer", "/sys/devices/x/block/sdb", "block", null, "disk", null,
                    List.of("/dev/sdb"), List.of(), List.of(storage(Kind.DISK, "/dev/sdb", 1L, false, false, null,
                    null, null)), false, List.of(Device.SYSFS));
            Device noStorage = new Device("block_sda", "computer", SDA, "block", null, "disk", null,
                    List.of("/dev/sda"), List.of(), List.of(), false, List.of(Device.SYSFS));
            assertThat(overlay.apply(eth0)).isSameAs(eth0);
            assertThat(overlay.apply(computer)).isSameAs(computer);
            assertThat(overlay.apply(sdb)).isSameAs(sdb);
            assertThat(overlay.apply(noStorage)).as("a node of UDisks2's, but no storage capability").isSameAs(noStorage);
        }

        @Test
        void aBlockIsFoundByTheStorageNodeWhenTheDeviceListsNoDevnode() {
            Device noNodes = new Device("block_sda", "computer", SDA, "block", null, "disk", null, List.of(),
                    List.of(), List.of(storage(Kind.DISK, "/dev/sda", 1L << 30, false, false, null, null, null)),
                    false, List.of(Device.SYSFS));
            assertThat(overlay.apply(noNodes).capability(StorageCapability.class).orElseThrow().serial())
                    .isEqualTo("S1");
        }

        @Test
        void rotationRateAndMediaRemovableFillWhatSysfsLeftAbsent() {
            Device bare = new Device("block_sda", "computer", SDA, "block", null, "disk", null, List.of("/dev/sda"),
                    List.of(), List.of(storage(Kind.DISK, "/dev/sda", null, null, null, null, null, null)), false,
                    List.of(Device.SYSFS));
            Device d = DbusOverlays.udisks2(udisks(block("/dev/sda", null, drive("S1", null, 7200, "ata"))))
                    .apply(bare);
            StorageCapability s = d.capability(StorageCapability.class).orElseThrow();
            assertThat(s.rotational()).isTrue();
            assertThat(s.rotationRate()).isEqualTo(7200);
            assertThat(s.removable()).as("the drive's MediaRemovable").isTrue();
            assertThat(s.size()).as("no block size: stays absent").isNull();
            assertThat(s.media()).isNull();
        }

        @Test
        void noBlocksIsNoOverlay() {
            assertThat(DbusOverlays.udisks2(UdisksSnapshot.EMPTY)).isSameAs(Overlay.NONE);
        }
    }

    @Nested
    class Systemd {

        final Overlay overlay = DbusOverlays.systemd(systemdSnapshot(
                unit("sys-devices-pci0000:00-0000:00:1f.2-ata1-host0-target0:0:0-0:0:0:0-block-sda.device", SDA,
                        "active"),
                unit("dev-sda.device", SDA, "active"),
                unit("dev-disk-by\\x2did-usb\\x2dKingston.device", SDA, "active"),
                unit("sys-subsystem-net-devices-eth0.device", ETH0, "inactive"),
                unit("dev-ttyS9.device", null, "inactive")));

        @Test
        void theUnitsNamingADeviceBecomeItsSystemdCapability() {
            Device d = overlay.apply(sda());
            assertThat(d.capability(SystemdCapability.class)).contains(new SystemdCapability(List.of(
                    "dev-disk-by\\x2did-usb\\x2dKingston.device", "dev-sda.device",
                    "sys-devices-pci0000:00-0000:00:1f.2-ata1-host0-target0:0:0-0:0:0:0-block-sda.device"),
                    SDA, "active", "plugged"));
            assertThat(d.sources()).containsExactly("dbus.systemd", "sysfs");
            assertThat(overlay.apply(eth0()).capability(SystemdCapability.class).orElseThrow().activeState())
                    .isEqualTo("inactive");
        }

        @Test
        void aDeviceNoUnitNamesIsTheSameInstance() {
            Device sda1 = sda1();
            Device computer = computer();
            assertThat(overlay.apply(sda1)).isSameAs(sda1);
            assertThat(overlay.apply(computer)).isSameAs(computer);
        }

        @Test
        void unitsWithoutASysfsPathAreNoOverlay() {
            assertThat(DbusOverlays.systemd(systemdSnapshot(unit("dev-ttyS9.device", null, "inactive"))))
                    .isSameAs(Overlay.NONE);
        }
    }

    @Nested
    class Hal {

        final Overlay overlay = DbusOverlays.hal(halSnapshot(
                hal(HAL_DISK, Map.of("linux.sysfs_path", SDA, "storage.serial", "HALSERIAL",
                        "storage.vendor", "HAL vendor", "storage.drive_type", "disk")),
                hal(HAL_VOLUME, Map.of("linux.sysfs_path", SDA + "/", "volume.size", 4096L)),
                hal(HAL_NIC, Map.of("linux.sysfs_path", ETH0, "net.address", "52:54:00:AA:BB:CC",
                        "net.interface", "eth0")),
                hal("/org/freedesktop/Hal/devices/computer", Map.of("info.product", "Computer"))));

        @Test
        void theUdiIsAnAliasAndHalFillsOnlyAbsentFields() {
            Device d = overlay.apply(sda());
            StorageCapability s = d.capability(StorageCapability.class).orElseThrow();
            assertThat(d.aliases()).contains(HAL_DISK, HAL_VOLUME, SDA);
            assertThat(s.serial()).isEqualTo("HALSERIAL");
            assertThat(s.vendor()).as("sysfs wins").isEqualTo("Kingston");
            assertThat(s.size()).as("sysfs wins over volume.size").isEqualTo(1L << 30);
            assertThat(d.sources()).containsExactly("dbus.hal", "sysfs");

            Device nic = overlay.apply(eth0());
            assertThat(nic.aliases()).containsExactly(HAL_NIC, "eth0");
            assertThat(nic.capability(NetCapability.class).orElseThrow().address()).as("sysfs wins")
                    .isEqualTo("52:54:00:12:34:56");
        }

        @Test
        void aDeviceHalDoesNotNameIsTheSameInstance() {
            Device sda1 = sda1();
            Device computer = computer();
            assertThat(overlay.apply(sda1)).isSameAs(sda1);
            assertThat(overlay.apply(computer)).as("HAL's computer has no sysfs path").isSameAs(computer);
        }

        @ParameterizedTest(name = "\"{0}\" -> {1}")
        @MethodSource("io.hostdev.probes.dbus.DbusOverlaysTest#halPaths")
        void halSysfsPathsAreTakenWithoutTrailingSlashesAndOnlyWhenAbsolute(String raw, String expected) {
            Map<String, Object> p = raw == null ? Map.of() : Map.of("linux.sysfs_path", raw);
            assertThat(DbusOverlays.sysfsPath(HalMapping.map(hal("/u", p)))).isEqualTo(expected);
        }
    }

    static Stream<Arguments> halPaths() {
        return Stream.of(
                Arguments.of(SDA, SDA),
                Arguments.of(SDA + "/", SDA),
                Arguments.of(SDA + "//", SDA),
                Arguments.of("/", "/"),
                Arguments.of("sys/devices/x", null),
                Arguments.of("", null),
                Arguments.of(null, null));
    }

    @Nested
    class Snapshots {

        final UdisksSnapshot u = udisks(block("/dev/sda", 1L << 30, drive("S1", "thumb", null, "usb")));
        final SystemdSnapshot s = systemdSnapshot(unit("dev-sda.device", SDA, "active"));
        final HalSnapshot h = halSnapshot(hal(HAL_DISK, Map.of("linux.sysfs_path", SDA)));

        @ParameterizedTest(name = "{0}")
        @EnumSource(DbusSourceState.class)
        void presentAndStaleSourcesLayTheirRecordsAbsentOnesNothing(DbusSourceState state) {
            SortedMap<String, Overlay> overlays = DbusOverlays.of(snapshot(Map.of(UdisksSource.ID, state,
                    SystemdSource.ID, state, HalSource.ID, state), u, s, h));
            assertThat(overlays).containsOnlyKeys("dbus.hal", "dbus.systemd", "dbus.udisks2");
            boolean facts = state == DbusSourceState.PRESENT || state == DbusSourceState.STALE;
            Device d = sda();
            for (Overlay o : overlays.values()) {
                d = o.apply(d);
            }
            if (facts) {
                assertThat(d.sources()).containsExactly("dbus.hal", "dbus.systemd", "dbus.udisks2", "sysfs");
                assertThat(d.aliases()).contains(HAL_DISK);
                assertThat(d.capabilityTypes()).containsExactly("storage", "systemd");
            } else {
                assertThat(overlays.values()).containsOnly(Overlay.NONE);
            }
        }

        @Test
        void onlyTheSourcesTheSnapshotHasAStateForGetAnOverlay() {
            assertThat(DbusOverlays.of(snapshot(Map.of(HalSource.ID, DbusSourceState.PRESENT), u, s, h)))
                    .containsOnlyKeys("dbus.hal");
        }

        @Test
        void overTheTreeTheFactsMergeWithoutTouchingTopology() {
            DeviceTree tree = DeviceTree.of(List.of(computer(), sda().withParent("computer"),
                    sda1().withParent("block_sda"), eth0().withParent("computer")));
            DeviceTree merged = Overlay.over(tree, List.copyOf(DbusOverlays.of(snapshot(Map.of(
                    UdisksSource.ID, DbusSourceState.PRESENT, SystemdSource.ID, DbusSourceState.PRESENT,
                    HalSource.ID, DbusSourceState.PRESENT), u, s, h)).values()));

            assertThat(merged.devices()).extracting(Device::name).containsExactlyElementsOf(
                    tree.devices().stream().map(Device::name).toList());
            assertThat(merged.devices()).extracting(Device::parent).containsExactlyElementsOf(
                    tree.devices().stream().map(Device::parent).toList());
            assertThat(merged.get("block_sda").orElseThrow().sources()).hasSize(4);
            assertThat(merged.get("block_sda1").orElseThrow()).isEqualTo(tree.get("block_sda1").orElseThrow());
        }
    }

    @Nested
    class Reprobes {

        final DeviceTree tree = DeviceTree.of(List.of(computer(), sda().withParent("computer"),
                sda1().withParent("block_sda"), eth0().withParent("computer")));
        final DbusSnapshot before = snapshot(Map.of(), UdisksSnapshot.EMPTY, SystemdSnapshot.EMPTY, halSnapshot(
                hal(HAL_NIC, Map.of("linux.sysfs_path", ETH0))));
        final DbusSnapshot after = snapshot(Map.of(), UdisksSnapshot.EMPTY, SystemdSnapshot.EMPTY, halSnapshot(
                hal(HAL_DISK, Map.of("linux.sysfs_path", SDA)),
                hal("/org/freedesktop/Hal/devices/usb_new", Map.of("linux.sysfs_path", "/sys/devices/usb1/1-1")),
                hal("/org/freedesktop/Hal/devices/computer", Map.of("info.product", "Computer"))));

        static DbusChange change(String source, DbusChange.Kind kind, String key) {
            return new DbusChange(source, kind, key);
        }

        static Stream<Arguments> cases() {
            DbusChange.Kind added = DbusChange.Kind.ADDED;
            DbusChange.Kind removed = DbusChange.Kind.REMOVED;
            DbusChange.Kind changed = DbusChange.Kind.CHANGED;
            return Stream.of(
                    Arguments.of("a udisks2 node of the tree", change("dbus.udisks2", changed, "/dev/sda1"),
                            Set.of(SDA1), false),
                    Arguments.of("a udisks2 node the tree lacks", change("dbus.udisks2", added, "/dev/sdb"),
                            Set.of(), true),
                    Arguments.of("a udisks2 node gone from both", change("dbus.udisks2", removed, "/dev/sdb"),
                            Set.of(), false),
                    Arguments.of("a systemd sysfs path", change("dbus.systemd", added, ETH0), Set.of(ETH0), false),
                    Arguments.of("a systemd path of no device yet", change("dbus.systemd", added,
                            "/sys/devices/usb1/1-1"), Set.of("/sys/devices/usb1/1-1"), false),
                    Arguments.of("a systemd unit without a path", change("dbus.systemd", removed, "dev-ttyS9.device"),
                            Set.of(), false),
                    Arguments.of("a HAL udi of a device sysfs lacks yet", change("dbus.hal", added,
                            "/org/freedesktop/Hal/devices/usb_new"), Set.of("/sys/devices/usb1/1-1"), false),
                    Arguments.of("a removed HAL udi, found before", change("dbus.hal", removed, HAL_NIC),
                            Set.of(ETH0), false),
                    Arguments.of("a HAL udi without a sysfs path", change("dbus.hal", changed,
                            "/org/freedesktop/Hal/devices/computer"), Set.of(), false),
                    Arguments.of("a HAL udi known to neither", change("dbus.hal", removed, "/nowhere"), Set.of(),
                            false),
                    Arguments.of("a source this version does not know", change("dbus.future", added, "/x"),
                            Set.of(), false));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("cases")
        void eachChangeNamesTheDeviceToReadAgain(String what, DbusChange change, Set<String> paths, boolean full) {
            assertThat(DbusOverlays.reprobe(List.of(change), tree, before, after))
                    .isEqualTo(new DbusOverlays.Reprobe(paths, full));
        }

        @Test
        void aBatchIsOneReprobeOfEveryPathItNames() {
            DbusOverlays.Reprobe r = DbusOverlays.reprobe(List.of(
                    change("dbus.udisks2", DbusChange.Kind.CHANGED, "/dev/sda"),
                    change("dbus.hal", DbusChange.Kind.ADDED, HAL_DISK),
                    change("dbus.systemd", DbusChange.Kind.ADDED, ETH0),
                    change("dbus.udisks2", DbusChange.Kind.ADDED, "/dev/sdz")), tree, before, after);
            assertThat(r.paths()).containsExactlyInAnyOrder(SDA, ETH0);
            assertThat(r.fullRun()).isTrue();
        }
    }
}
