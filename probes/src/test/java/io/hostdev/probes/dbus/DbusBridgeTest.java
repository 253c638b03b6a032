package io.hostdev.probes.dbus;

import io.hostdev.probes.HostRoot;
import io.hostdev.probes.dbus.DbusChange.Kind;
import io.hostdev.probes.dbus.DbusFixtureServices.HalDeviceObject;
import io.hostdev.probes.dbus.DbusFixtureServices.SystemdUnit;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bridge against a real private dbus-daemon and fixture services that speak UDisks2, systemd
 * and HAL (see {@link DbusFixtureServices}).
 */
class DbusBridgeTest {

    static final String SDA_SYSFS = "/sys/devices/pci0000:00/0000:00:01.1/ata1/host0/target0:0:0/0:0:0:0/block/sda";
    static final String LO_SYSFS = "/sys/devices/virtual/net/lo";
    static final String HAL_COMPUTER = "/org/freedesktop/Hal/devices/computer";
    static final String HAL_NIC = "/org/freedesktop/Hal/devices/net_52_54_00_12_34_56";

    @TempDir
    Path dir;
    PrivateDbusDaemon daemon;
    DbusFixtureServices services;
    DbusBridge bridge;
    LogCapture logs;
    final List<DbusChange> changes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startBus() throws Exception {
        daemon = PrivateDbusDaemon.start(dir.resolve("bus/socket"));
        logs = LogCapture.install();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        if (services != null) {
            services.close();
        }
        if (logs != null) {
            logs.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    HostRoot root() {
        return HostRoot.of(dir.resolve("root"));
    }

    /** The system bus named by DBUS_SYSTEM_BUS_ADDRESS, as on a host; quick backoff for the tests. */
    DbusConfig config() {
        return DbusConfig.defaults(root())
                .withEnvironment(name -> DbusConfig.SYSTEM_BUS_ENV.equals(name) ? daemon.address : null)
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(400));
    }

    DbusBridge open(DbusConfig config) throws Exception {
        bridge = DbusBridge.open(config);
        bridge.onChange(changes::add);
        return bridge;
    }

    void startServices() throws Exception {
        services = DbusFixtureServices.connect(daemon.address);
        services.udisks.objects.put(new org.freedesktop.dbus.DBusPath(DbusFixtureServices.drivePath("QEMU_HARDDISK_QM1")),
                DbusFixtureServices.driveObject("ATA", "QEMU HARDDISK", "QM1", 10L << 30, 5400, "ata"));
        services.udisks.objects.put(new org.freedesktop.dbus.DBusPath(DbusFixtureServices.blockPath("sda")),
                DbusFixtureServices.blockObject("/dev/sda", 10L << 30, DbusFixtureServices.drivePath("QEMU_HARDDISK_QM1"), "", ""));
        services.udisks.objects.put(new org.freedesktop.dbus.DBusPath(DbusFixtureServices.blockPath("loop0")),
                DbusFixtureServices.blockObject("/dev/loop0", 1L << 20, null, "3f1c-22aa", "vfat"));
        services.exportUdisks();

        services.addUnit(new SystemdUnit("dev-sda.device", SDA_SYSFS, "active"), false);
        services.addUnit(new SystemdUnit("sys-devices-pci0000:00-0000:00:01.1-ata1-host0-target0:0:0-0:0:0:0-block-sda.device",
                SDA_SYSFS, "active"), false);
        services.addUnit(new SystemdUnit("sys-devices-virtual-net-lo.device", LO_SYSFS, "active"), false);
        services.addUnit(new SystemdUnit("ssh.service", "", "active"), false);
        services.exportSystemd();

        services.addHalDevice(new HalDeviceObject(HAL_COMPUTER, Map.of(
                "info.udi", new Variant<>(HAL_COMPUTER),
                "info.product", new Variant<>("Computer"),
                "info.subsystem", new Variant<>("unknown"))), false);
        services.addHalDevice(new HalDeviceObject(HAL_NIC, Map.of(
                "info.udi", new Variant<>(HAL_NIC),
                "info.parent", new Variant<>(HAL_COMPUTER),
                "info.capabilities", new Variant<>(List.of("net", "net.80203"), "as"),
                "net.address", new Variant<>("52:54:00:12:34:56"),
                "net.interface", new Variant<>("eth0"),
                "net.linux.ifindex", new Variant<>(2),
                "linux.sysfs_path", new Variant<>("/sys/devices/pci0000:00/0000:00:03.0/net/eth0"))), false);
        services.exportHal();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Nested
    class ReadingFixtureServices {

        @Test
        void udisksBlocksAreKeyedByDeviceNodeWithTheirDriveJoined() throws Exception {
            startServices();
            DbusSnapshot snap = open(config()).snapshot();

            assertThat(snap.states()).containsEntry(UdisksSource.ID, DbusSourceState.PRESENT);
            assertThat(snap.udisks2().blocks()).containsOnlyKeys("/dev/loop0", "/dev/sda");
            UdisksBlock sda = snap.udisks2().blocks().get("/dev/sda");
            assertThat(sda.size()).isEqualTo(10L << 30);
            assertThat(sda.drive()).isEqualTo(new UdisksDrive(DbusFixtureServices.drivePath("QEMU_HARDDISK_QM1"),
                    "ATA-QEMU HARDDISK-QM1", "ATA", "QEMU HARDDISK", "QM1", null, null, false, false, true, 5400,
                    10L << 30, "ata"));
            UdisksBlock loop = snap.udisks2().blocks().get("/dev/loop0");
            assertThat(loop.drive()).isNull();
            assertThat(loop.idUuid()).isEqualTo("3f1c-22aa");
            assertThat(loop.idType()).isEqualTo("vfat");
            assertThat(loop.idLabel()).isNull();
        }

        @Test
        void systemdDeviceUnitsCarryTheirSysfsPathAndOtherUnitsAreLeftOut() throws Exception {
            startServices();
            DbusSnapshot snap = open(config()).snapshot();

            assertThat(snap.states()).containsEntry(SystemdSource.ID, DbusSourceState.PRESENT);
            assertThat(snap.systemd().units()).hasSize(3).doesNotContainKey("ssh.service");
            assertThat(snap.systemd().units().get("dev-sda.device").sysfsPath()).isEqualTo(SDA_SYSFS);
            assertThat(snap.systemd().units().get("dev-sda.device").activeState()).isEqualTo("active");
            assertThat(snap.systemd().bySysfsPath()).containsOnlyKeys(SDA_SYSFS, LO_SYSFS);
            assertThat(snap.systemd().bySysfsPath().get(SDA_SYSFS)).hasSize(2);
            assertThat(services.systemd.subscribed).as("Subscribe called, else no UnitNew/UnitRemoved").isTrue();
        }

        @Test
        void aSystemdWithoutListUnitsByPatternsIsReadThroughListUnits() throws Exception {
            services = DbusFixtureServices.connect(daemon.address);
            services.addUnit(new SystemdUnit("dev-sda.device", SDA_SYSFS, "active"), false);
            services.addUnit(new SystemdUnit("ssh.service", "", "active"), false);
            services.exportOldSystemd();

            DbusSnapshot snap = open(config()).snapshot();

            assertThat(snap.states()).containsEntry(SystemdSource.ID, DbusSourceState.PRESENT);
            assertThat(snap.systemd().units()).containsOnlyKeys("dev-sda.device");
            assertThat(snap.systemd().units().get("dev-sda.device").sysfsPath()).isEqualTo(SDA_SYSFS);
        }

        @Test
        void halDevicesHaveTypedPropertiesThatMapOntoModelFields() throws Exception {
            startServices();
            DbusSnapshot snap = open(config()).snapshot();

            assertThat(snap.states()).containsEntry(HalSource.ID, DbusSourceState.PRESENT);
            assertThat(snap.hal().devices()).containsOnlyKeys(HAL_COMPUTER, HAL_NIC);
            HalDevice nic = snap.hal().devices().get(HAL_NIC);
            assertThat(nic.properties()).containsEntry("net.linux.ifindex", 2L)
                    .containsEntry("info.capabilities", List.of("net", "net.80203"));
            HalFacts facts = HalMapping.map(nic);
            assertThat(facts.fields()).containsEntry("net.address", "52:54:00:12:34:56")
                    .containsEntry("net.interface", "eth0")
                    .containsEntry("net.ifindex", 2)
                    .containsEntry("path", "/sys/devices/pci0000:00/0000:00:03.0/net/eth0");
            assertThat(facts.parentUdi()).isEqualTo(HAL_COMPUTER);
        }

        @Test
        void aConfiguredAddressIsUsedWhenTheEnvironmentNamesNone() throws Exception {
            startServices();
            DbusBridge b = open(config().withEnvironment(name -> null).withAddress(daemon.address));

            assertThat(b.address()).isEqualTo(daemon.address);
            assertThat(b.snapshot().udisks2().blocks()).containsKey("/dev/sda");
        }

        @Test
        void withoutEnvironmentOrConfigTheSystemSocketUnderTheHostRootIsUsed() throws Exception {
            daemon.close();
            daemon = PrivateDbusDaemon.start(root().run().resolve(DbusConfig.SYSTEM_BUS_SOCKET));
            startServices();
            DbusBridge b = open(config().withEnvironment(name -> null));

            assertThat(b.address()).isEqualTo("unix:path=" + root().run().resolve("dbus/system_bus_socket"));
            assertThat(b.snapshot().states().values()).containsOnly(DbusSourceState.PRESENT);
        }

        @Test
        void aDisabledSourceIsNeitherReadNorListed() throws Exception {
            startServices();
            DbusSnapshot snap = open(config().withSources(Set.of(HalSource.ID))).snapshot();

            assertThat(snap.states()).containsOnlyKeys(HalSource.ID);
            assertThat(snap.udisks2().blocks()).isEmpty();
        }
    }

    @Nested
    class Signals {

        @Test
        void interfacesAddedAndRemovedReportTheDeviceNode() throws Exception {
            startServices();
            open(config());

            services.addUdisksObject(DbusFixtureServices.blockPath("sdb"),
                    DbusFixtureServices.blockObject("/dev/sdb", 1L << 30, null, "", ""));
            await("sdb added", () -> changes.contains(new DbusChange(UdisksSource.ID, Kind.ADDED, "/dev/sdb")));
            assertThat(bridge.snapshot().udisks2().blocks()).containsKey("/dev/sdb");

            services.removeUdisksObject(DbusFixtureServices.blockPath("sdb"));
            await("sdb removed", () -> changes.contains(new DbusChange(UdisksSource.ID, Kind.REMOVED, "/dev/sdb")));
            assertThat(bridge.snapshot().udisks2().blocks()).doesNotContainKey("/dev/sdb");
        }

        @Test
        void propertiesChangedOnADriveReportsItsBlockDevicesAsChanged() throws Exception {
            startServices();
            open(config());

            String drive = DbusFixtureServices.drivePath("QEMU_HARDDISK_QM1");
            services.udisks.objects.put(new org.freedesktop.dbus.DBusPath(drive),
                    DbusFixtureServices.driveObject("ATA", "QEMU HARDDISK", "QM1-NEW", 10L << 30, 5400, "ata"));
            services.connection.sendMessage(new org.freedesktop.dbus.interfaces.Properties.PropertiesChanged(drive,
                    UdisksSource.DRIVE, Map.of("Serial", new Variant<>("QM1-NEW")), List.of()));

            await("sda changed", () -> changes.contains(new DbusChange(UdisksSource.ID, Kind.CHANGED, "/dev/sda")));
            assertThat(bridge.snapshot().udisks2().blocks().get("/dev/sda").drive().serial()).isEqualTo("QM1-NEW");
            assertThat(changes).doesNotContain(new DbusChange(UdisksSource.ID, Kind.CHANGED, "/dev/loop0"));
        }

        @Test
        void unitNewAndUnitRemovedReportTheSysfsPath() throws Exception {
            startServices();
            open(config());

            String eth0 = "/sys/devices/pci0000:00/0000:00:03.0/net/eth0";
            services.addUnit(new SystemdUnit("sys-subsystem-net-devices-eth0.device", eth0, "active"), true);
            await("eth0 unit added", () -> changes.contains(new DbusChange(SystemdSource.ID, Kind.ADDED, eth0)));

            services.removeUnit("sys-subsystem-net-devices-eth0.device");
            await("eth0 unit removed", () -> changes.contains(new DbusChange(SystemdSource.ID, Kind.REMOVED, eth0)));
            assertThat(bridge.snapshot().systemd().bySysfsPath()).doesNotContainKey(eth0);
        }

        @Test
        void halDeviceAddedRemovedAndPropertyModifiedReportTheUdi() throws Exception {
            startServices();
            open(config());

            String usb = "/org/freedesktop/Hal/devices/usb_device_46d_c52b_noserial";
            services.addHalDevice(new HalDeviceObject(usb, Map.of(
                    "usb_device.vendor_id", new Variant<>(0x46d),
                    "usb_device.product_id", new Variant<>(0xc52b))), true);
            await("usb added", () -> changes.contains(new DbusChange(HalSource.ID, Kind.ADDED, usb)));
            assertThat(HalMapping.map(bridge.snapshot().hal().devices().get(usb)).fields())
                    .containsEntry("usb_device.vendor.id", "0x046d")
                    .containsEntry("usb_device.product.id", "0xc52b");

            services.modifyHalProperty(HAL_NIC, "net.address", new Variant<>("52:54:00:aa:bb:cc"));
            await("nic changed", () -> changes.contains(new DbusChange(HalSource.ID, Kind.CHANGED, HAL_NIC)));
            assertThat(bridge.snapshot().hal().devices().get(HAL_NIC).properties())
                    .containsEntry("net.address", "52:54:00:aa:bb:cc");

            services.removeHalDevice(usb);
            await("usb removed", () -> changes.contains(new DbusChange(HalSource.ID, Kind.REMOVED, usb)));
        }

        @Test
        void aBurstOfSignalsIsOneReadAndOneChangePerKey() throws Exception {
            startServices();
            open(config());

            for (int i = 0; i < 20; i++) {
                services.modifyHalProperty(HAL_COMPUTER, "info.product", new Variant<>("Computer " + i));
            }
            await("last value read", () -> "Computer 19".equals(
                    bridge.snapshot().hal().devices().get(HAL_COMPUTER).properties().get("info.product")));
            Thread.sleep(200);
            assertThat(changes).filteredOn(c -> c.key().equals(HAL_COMPUTER)).hasSizeLessThan(20);
        }
    }

    @Nested
    class Absence {

        @Test
        void aServiceNotOnTheBusIsAbsentWithOneInfoLineAndAppearsWhenItStarts() throws Exception {
            open(config());
            Thread.sleep(1000);

            assertThat(bridge.snapshot().states().values()).containsOnly(DbusSourceState.ABSENT);
            assertThat(ours(logs.lines())).hasSize(3).allMatch(l -> l.contains("not on the bus"));
            assertThat(logs.lines()).as("with dbus-java's one line per connection").hasSizeLessThanOrEqualTo(4);

            startServices();
            await("udisks present", () -> bridge.snapshot().states().get(UdisksSource.ID) == DbusSourceState.PRESENT);
            await("sda reported", () -> changes.contains(new DbusChange(UdisksSource.ID, Kind.ADDED, "/dev/sda")));
        }

        @Test
        void aServiceLeavingTheBusTurnsAbsentAndItsKeysAreRemoved() throws Exception {
            startServices();
            open(config());

            services.close();
            services = null;
            await("hal absent", () -> bridge.snapshot().states().get(HalSource.ID) == DbusSourceState.ABSENT);
            await("nic removed", () -> changes.contains(new DbusChange(HalSource.ID, Kind.REMOVED, HAL_NIC)));
            assertThat(bridge.snapshot().hal().devices()).isEmpty();
        }

        @Test
        void noBusAtAllIsOneInfoLineOverFiveSecondsOfRetries() throws Exception {
            daemon.close();
            DbusBridge b = open(config().withEnvironment(name -> null)
                    .withAddress("unix:path=" + dir.resolve("nobody/listens")));
            Thread.sleep(5000);

            assertThat(b.snapshot().states().values()).containsOnly(DbusSourceState.NO_BUS);
            assertThat(logs.lines()).as("log lines over 5 s without a bus").hasSize(1);
            assertThat(logs.lines().get(0)).contains("no bus at");
        }
    }

    static List<String> ours(List<String> lines) {
        return lines.stream().filter(l -> l.contains(" io.hostdev.")).toList();
    }

    @Nested
    class Reconnection {

        @Test
        void aKilledDaemonsLeftoverSocketIsRetriedQuietlyUntilItListensAgain() throws Exception {
            startServices();
            open(config());
            logs.clear();

            daemon.kill();
            Thread.sleep(5000);

            assertThat(daemon.socket).as("SIGKILL leaves the socket file").exists();
            List<String> whileDead = new ArrayList<>(logs.lines());
            assertThat(ours(whileDead)).as("our log lines over 5 s of retries on a dead socket").hasSize(1);
            assertThat(whileDead).as("all log lines over 5 s of retries on a dead socket").hasSizeLessThanOrEqualTo(3);
            assertThat(bridge.snapshot().states().values()).containsOnly(DbusSourceState.STALE);

            services.close();
            daemon.start();
            startServices();
            await("all present again", () -> bridge.snapshot().states().values().stream()
                    .allMatch(s -> s == DbusSourceState.PRESENT));
            assertThat(bridge.snapshot().udisks2().blocks()).containsKey("/dev/sda");
        }

        @Test
        void aRestartedDaemonIsReconnectedResubscribedAndReRead() throws Exception {
            startServices();
            open(config());
            assertThat(bridge.snapshot().udisks2().blocks()).containsKey("/dev/sda");

            logs.clear();
            changes.clear();
            daemon.stop();
            Thread.sleep(5000);

            List<String> whileDead = new ArrayList<>(logs.lines());
            assertThat(ours(whileDead)).as("our log lines over 5 s of a dead bus").hasSize(1)
                    .allMatch(l -> l.contains("lost the bus"));
            // dbus-java's reader thread logs one SEVERE line per dead connection: the bridge's and the fixture's
            assertThat(whileDead).as("all log lines over 5 s of a dead bus").hasSizeLessThanOrEqualTo(3);
            assertThat(bridge.snapshot().states().values()).containsOnly(DbusSourceState.STALE);
            assertThat(bridge.snapshot().udisks2().blocks()).as("last records kept").containsKey("/dev/sda");
            assertThat(changes).as("no removals while the bus is away").isEmpty();

            services.close();
            daemon.start();
            startServices();
            services.addUdisksObject(DbusFixtureServices.blockPath("sdc"),
                    DbusFixtureServices.blockObject("/dev/sdc", 1L << 30, null, "", ""));
            await("all present again", () -> bridge.snapshot().states().values().stream()
                    .allMatch(s -> s == DbusSourceState.PRESENT));
            await("sdc read after the restart", () -> bridge.snapshot().udisks2().blocks().containsKey("/dev/sdc"));
            assertThat(changes).contains(new DbusChange(UdisksSource.ID, Kind.ADDED, "/dev/sdc"))
                    .doesNotContain(new DbusChange(UdisksSource.ID, Kind.REMOVED, "/dev/sda"));

            // signals flow on the new connection
            services.addHalDevice(new HalDeviceObject("/org/freedesktop/Hal/devices/new", Map.of(
                    "info.product", new Variant<>("new"))), true);
            await("signal after reconnect", () -> changes.contains(
                    new DbusChange(HalSource.ID, Kind.ADDED, "/org/freedesktop/Hal/devices/new")));
        }
    }
}
