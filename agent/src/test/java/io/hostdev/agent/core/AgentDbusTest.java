package io.hostdev.agent.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hostdev.probes.dbus.DbusFixtureServices;
import io.hostdev.probes.dbus.DbusFixtureServices.HalDeviceObject;
import io.hostdev.probes.dbus.DbusFixtureServices.SystemdUnit;
import io.hostdev.probes.dbus.PrivateDbusDaemon;
import io.hostdev.probes.testing.FakeSysfs;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static io.hostdev.agent.core.NetHost.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The D-Bus bridge in the real agent, end to end: {@code hostdev agent} in a child JVM over a fixture
 * sysfs root (a PCI NIC, its interface, a SCSI disk), talking to a real private {@code dbus-daemon}
 * on which this test runs UDisks2, systemd and HAL fixture services. The agent's sysfs interval is
 * an hour and kernel uevents are off, so only the D-Bus signal path can explain an event arriving
 * in seconds. Without dbus-daemon the test is skipped, unless {@code HOSTDEV_REQUIRE_DBUS=1} (CI),
 * where it fails.
 */
class AgentDbusTest {

    /** dbus-java logs every call that fails on the fixture services' dead connections; held so the level sticks. */
    private static final java.util.logging.Logger DBUS_JAVA_LOG = java.util.logging.Logger.getLogger("org.freedesktop.dbus");

    static {
        NetHost.quietLogs();
        DBUS_JAVA_LOG.setLevel(java.util.logging.Level.OFF);
    }

    static final String PCI = "pci0000:00/0000:00:03.0";
    static final String SCSI = "pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0";
    static final String SDA = "/sys/devices/" + SCSI + "/block/sda";
    static final String ETH0 = "/sys/devices/" + PCI + "/net/eth0";
    static final String HAL_DISK = "/org/freedesktop/Hal/devices/storage_serial_QM_0001";
    static final String HAL_ETH0 = "/org/freedesktop/Hal/devices/net_52_54_00_12_34_56";
    static final String HAL_ETH1 = "/org/freedesktop/Hal/devices/net_52_54_00_12_34_57";
    static final String HAL_PCI = "/org/freedesktop/Hal/devices/pci_1af4_1000";
    static final String SDA_DRIVE = DbusFixtureServices.drivePath("QEMU_HARDDISK_QM_0001");
    /**
     * Far below the hour-long sysfs interval, and generous for a loaded CI machine: the signal path
     * takes tens of milliseconds (the test prints each measured figure).
     */
    static final Duration SIGNAL_BOUND = Duration.ofSeconds(15);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    PrivateDbusDaemon daemon;
    DbusFixtureServices services;
    FakeSysfs fs;
    ChildJvm agent;
    String url;
    Watch watch;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void startBusAndHost() throws Exception {
        daemon = PrivateDbusDaemon.start(tmp.resolve("bus/socket"));
        fs = new FakeSysfs(tmp.resolve("root"));
        fs.busDevice(PCI, "pci").attr("vendor", "0x1af4").attr("device", "0x1000").attr("class", "0x020000")
                .uevent("PCI_SLOT_NAME=0000:00:03.0");
        nic("eth0", 2);
        disk("sda", 0);
    }

    @AfterEach
    void stopAll() throws Exception {
        if (watch != null) {
            watch.close();
        }
        if (agent != null) {
            agent.kill();
        }
        if (services != null) {
            services.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    // ---- the fixture host

    FakeSysfs.Dev nic(String name, int index) {
        return fs.classDevice(PCI + "/net/" + name, "net").uevent("INTERFACE=" + name, "IFINDEX=" + index)
                .attr("address", mac(index)).attr("ifindex", Integer.toString(index)).attr("mtu", "1500");
    }

    static String mac(int index) {
        return String.format("52:54:00:12:34:%02x", 0x54 + index);
    }

    /** A SCSI disk without vpd_pg80: sysfs has no serial for it, UDisks2 has. */
    void disk(String name, int minor) {
        String scsi = SCSI.replace("0:0:0:0", "0:0:" + minor + ":0").replace("target0:0:0", "target0:0:" + minor);
        fs.busDevice(scsi, "scsi").attr("type", "0").attr("vendor", "ATA     ").attr("model", "QEMU HARDDISK   ");
        fs.classDevice(scsi + "/block/" + name, "block")
                .uevent("MAJOR=8", "MINOR=" + minor * 16, "DEVNAME=" + name, "DEVTYPE=disk")
                .attr("ro", "0").attr("size", "2097152").attr("removable", "0")
                .attr("queue/logical_block_size", "512").attr("queue/rotational", "1")
                .link("device", "sys/devices/" + scsi);
    }

    static String diskPath(String name, int minor) {
        return "/sys/devices/" + SCSI.replace("0:0:0:0", "0:0:" + minor + ":0").replace("target0:0:0", "target0:0:" + minor)
                + "/block/" + name;
    }

    /** Removes a class device: its class link first, so a scan sees all of it or none. */
    void removeClassDevice(String cls, String hostPath) throws IOException {
        String name = hostPath.substring(hostPath.lastIndexOf('/') + 1);
        java.nio.file.Files.deleteIfExists(fs.root().resolve("sys/class").resolve(cls).resolve(name));
        NetHost.deleteTree(fs.root().resolve(hostPath.substring(1)));
    }

    // ---- the fixture services

    void startServices(String serial) throws Exception {
        services = DbusFixtureServices.connect(daemon.address);
        services.udisks.objects.put(new DBusPath(SDA_DRIVE), DbusFixtureServices.driveObject("ATA", "QEMU HARDDISK",
                serial, 1L << 30, 7200, "usb", "thumb"));
        services.udisks.objects.put(new DBusPath(DbusFixtureServices.blockPath("sda")),
                DbusFixtureServices.blockObject("/dev/sda", 1L << 30, SDA_DRIVE, "", ""));
        services.exportUdisks();

        services.addUnit(new SystemdUnit("dev-sda.device", SDA, "active"), false);
        services.addUnit(new SystemdUnit(SDA.substring(1).replace('/', '-') + ".device", SDA, "active"), false);
        services.addUnit(new SystemdUnit("sys-subsystem-net-devices-eth0.device", ETH0, "active"), false);
        services.exportSystemd();

        services.addHalDevice(new HalDeviceObject(HAL_DISK, Map.of(
                "info.udi", new Variant<>(HAL_DISK),
                "linux.sysfs_path", new Variant<>(SDA),
                "block.device", new Variant<>("/dev/sda"),
                "storage.serial", new Variant<>("HAL-SERIAL"))), false);
        services.addHalDevice(halNic(HAL_ETH0, ETH0, "eth0", 2), false);
        services.addHalDevice(new HalDeviceObject(HAL_PCI, Map.of(
                "info.udi", new Variant<>(HAL_PCI),
                "linux.sysfs_path", new Variant<>("/sys/devices/" + PCI),
                "pci.vendor_id", new Variant<>(0x1af4),
                "pci.vendor", new Variant<>("Red Hat, Inc."))), false);
        services.exportHal();
    }

    static HalDeviceObject halNic(String udi, String sysfsPath, String name, int index) {
        return new HalDeviceObject(udi, Map.of(
                "info.udi", new Variant<>(udi),
                "linux.sysfs_path", new Variant<>(sysfsPath),
                "net.interface", new Variant<>(name),
                "net.address", new Variant<>(mac(index))));
    }

    // ---- the agent

    void startAgent() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        url = "http://127.0.0.1:" + port;
        agent = new ChildJvm(List.of("io.hostdev.agent.cli.Main", "agent", "--root", fs.root().toString(),
                "--state-dir", tmp.resolve("state").toString(), "--listen", "127.0.0.1:" + port,
                "--interval", "sysfs=1h", "--disable-probe", "capabilities",
                "--set", "probes.sysfs.uevents=false", "--set", "dbus.address=" + daemon.address));
        String started = agent.awaitLine("hostdev: agent " + agent.process.pid() + " started");
        assertThat(started).contains("D-Bus at " + daemon.address + ": dbus.hal, dbus.systemd, dbus.udisks2 present");
        await(ChildJvm.WAIT, "the agent to be ready", () -> status("/readyz") == 200);
    }

    int status(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    /** The device sysfs has at {@code path}, as the agent serves it. */
    JsonNode device(String path) throws Exception {
        return get("/v1/devices/" + encode(path));
    }

    // ---- the tests

    @Test
    void theAgentMergesUdisks2SystemdAndHalFactsAndFollowsTheirSignalsAndABusRestart() throws Exception {
        startServices("QM-0001");
        startAgent();
        watch = Watch.open(http, url + "/v1/watch");

        // 1. merged: UDisks2's serial, media and connection bus, the systemd units, HAL's udi
        await(ChildJvm.WAIT, "the D-Bus facts on sda", () -> {
            try {
                return texts(device(SDA).get("sources")).contains("dbus.hal");
            } catch (Exception e) {
                return false;
            }
        });
        JsonNode sda = device(SDA);
        String sdaName = sda.get("name").asText();
        assertThat(sda.at("/storage/serial").asText()).as("UDisks2 before HAL; sysfs has none").isEqualTo("QM-0001");
        assertThat(sda.at("/storage/media").asText()).isEqualTo("thumb");
        assertThat(sda.at("/storage/connection_bus").asText()).isEqualTo("usb");
        assertThat(sda.at("/storage/rotation_rate").asInt()).isEqualTo(7200);
        assertThat(sda.at("/storage/vendor").asText()).as("sysfs wins").isEqualTo("ATA");
        assertThat(texts(sda.get("caps"))).contains("storage", "systemd");
        assertThat(texts(sda.at("/systemd/units"))).containsExactly("dev-sda.device",
                SDA.substring(1).replace('/', '-') + ".device");
        assertThat(sda.at("/systemd/sysfs_path").asText()).isEqualTo(SDA);
        assertThat(sda.at("/systemd/active_state").asText()).isEqualTo("active");
        assertThat(texts(sda.get("aliases"))).contains(HAL_DISK);
        assertThat(texts(sda.get("sources"))).containsExactly("dbus.hal", "dbus.systemd", "dbus.udisks2", "sysfs");
        assertThat(get("/v1/devices/" + encode(HAL_DISK)).get("name").asText()).as("lookup by udi").isEqualTo(sdaName);
        assertThat(get("/v1/devices?selector=" + encode("source='dbus.udisks2'")).get("devices"))
                .extracting(d -> d.get("name").asText()).containsExactly(sdaName);
        JsonNode eth0 = device(ETH0);
        assertThat(texts(eth0.get("aliases"))).contains(HAL_ETH0);
        assertThat(texts(eth0.get("sources"))).containsExactly("dbus.hal", "dbus.systemd", "sysfs");
        JsonNode pci = device("/sys/devices/" + PCI);
        assertThat(pci.at("/pci/vendor/id").asText()).isEqualTo("0x1af4");
        assertThat(pci.at("/pci/vendor/name").asText()).as("the root has no pci.ids: HAL's name fills it")
                .isEqualTo("Red Hat, Inc.");

        // 2. UDisks2 InterfacesAdded for a disk sysfs has but the tree does not yet: added, with its facts
        disk("sdc", 2);
        String sdc = diskPath("sdc", 2);
        String sdcDrive = DbusFixtureServices.drivePath("QEMU_HARDDISK_QM_0003");
        long t0 = System.nanoTime();
        services.addUdisksObject(sdcDrive, DbusFixtureServices.driveObject("ATA", "QEMU HARDDISK", "QM-0003",
                1L << 30, 0, "sdio", "flash_sd"));
        services.addUdisksObject(DbusFixtureServices.blockPath("sdc"),
                DbusFixtureServices.blockObject("/dev/sdc", 1L << 30, sdcDrive, "", ""));
        Event added = watch.await("added " + sdc, e -> e.kind.equals("added") && sdc.equals(e.path()));
        report("UDisks2 InterfacesAdded -> added", t0, added);
        assertThat(added.device().at("/storage/serial").asText()).isEqualTo("QM-0003");
        assertThat(added.device().at("/storage/media").asText()).isEqualTo("flash_sd");
        assertThat(texts(added.device().get("sources"))).contains("dbus.udisks2");

        // ... and InterfacesRemoved with the disk gone from sysfs: removed
        removeClassDevice("block", sdc);
        t0 = System.nanoTime();
        services.removeUdisksObject(DbusFixtureServices.blockPath("sdc"));
        Event removed = watch.await("removed " + sdc, e -> e.kind.equals("removed") && e.name.equals(added.name));
        report("UDisks2 InterfacesRemoved -> removed", t0, removed);

        // 3. HAL DeviceAdded for an interface that sysfs has and the tree lacks: added, with the udi
        String eth1 = "/sys/devices/" + PCI + "/net/eth1";
        nic("eth1", 3);
        t0 = System.nanoTime();
        services.addHalDevice(halNic(HAL_ETH1, eth1, "eth1", 3), true);
        Event halAdded = watch.await("added " + eth1, e -> e.kind.equals("added") && eth1.equals(e.path()));
        report("HAL DeviceAdded -> added", t0, halAdded);
        assertThat(texts(halAdded.device().get("aliases"))).contains(HAL_ETH1);
        assertThat(texts(halAdded.device().get("sources"))).contains("dbus.hal", "sysfs");
        assertThat(get("/v1/devices/" + encode(HAL_ETH1)).get("name").asText()).isEqualTo(halAdded.name);

        // ... and DeviceRemoved with the interface gone from sysfs: removed
        removeClassDevice("net", eth1);
        t0 = System.nanoTime();
        services.removeHalDevice(HAL_ETH1);
        Event halRemoved = watch.await("removed " + eth1, e -> e.kind.equals("removed")
                && e.name.equals(halAdded.name));
        report("HAL DeviceRemoved -> removed", t0, halRemoved);

        // 4. a HAL device leaving while sysfs keeps the device: updated, only its D-Bus facts go
        t0 = System.nanoTime();
        services.removeHalDevice(HAL_ETH0);
        Event factsGone = watch.await("eth0 without HAL", e -> e.kind.equals("updated") && ETH0.equals(e.path())
                && !texts(e.device().get("sources")).contains("dbus.hal"));
        report("HAL DeviceRemoved (sysfs keeps it) -> updated", t0, factsGone);
        assertThat(texts(factsGone.device().get("aliases"))).doesNotContain(HAL_ETH0);
        // ... and back: updated again
        t0 = System.nanoTime();
        services.addHalDevice(halNic(HAL_ETH0, ETH0, "eth0", 2), true);
        Event factsBack = watch.await("eth0 with HAL again", e -> e.kind.equals("updated") && ETH0.equals(e.path())
                && texts(e.device().get("aliases")).contains(HAL_ETH0));
        report("HAL DeviceAdded (sysfs has it) -> updated", t0, factsBack);

        // 5. the bus stopped (SIGTERM), then killed (SIGKILL): the agent serves on, the facts stay, a
        // handful of log lines; on the same address again the data comes back, with what changed meanwhile
        outage(daemon::stop, "stopped", sdaName, "QM-0002");
        outage(daemon::kill, "killed", sdaName, "QM-0004");
    }

    interface Stop {
        void run() throws Exception;
    }

    private void outage(Stop stop, String how, String sdaName, String nextSerial) throws Exception {
        int linesBefore = agent.lines().size();
        int eventsBefore = watch.events().size();
        stop.run();
        // a connection whose bus died spends dbus-java's method timeout (20 s) on each name it
        // releases: let it, off the test's path, as a service on a dead bus would
        DbusFixtureServices dead = services;
        services = null;
        Thread closer = new Thread(dead::close, "dead-services-close");
        closer.setDaemon(true);
        closer.start();
        // long enough for several reconnection attempts (250 ms, doubled each time)
        Thread.sleep(5000);

        assertThat(status("/readyz")).as("the agent serves with the bus %s", how).isEqualTo(200);
        JsonNode sda = device(SDA);
        assertThat(sda.at("/storage/serial").asText()).as("UDisks2's facts kept (stale)").isNotEqualTo("");
        assertThat(texts(sda.get("sources"))).contains("dbus.udisks2", "dbus.systemd", "dbus.hal");
        assertThat(watch.events().subList(eventsBefore, watch.events().size()))
                .as("no event while the bus is %s", how).isEmpty();
        List<String> logged = agent.lines().subList(linesBefore, agent.lines().size());
        System.out.println("agent log lines over 5 s with the bus " + how + ": " + logged.size() + " " + logged);
        assertThat(logged).as("a handful of log lines, not one per retry").hasSizeLessThanOrEqualTo(3);

        daemon.start();
        long t0 = System.nanoTime();
        startServices(nextSerial);
        Event back = watch.await("sda's serial " + nextSerial, e -> e.kind.equals("updated") && e.name.equals(sdaName)
                && nextSerial.equals(e.device().at("/storage/serial").asText()));
        // the reconnection's backoff, not the signal path, decides this one: reported, not bounded
        System.out.printf("bus %s and back -> updated: %d ms after the daemon listened again%n", how,
                (back.arrived - t0) / 1_000_000);
        assertThat(back.data.get("changes")).extracting(c -> c.get("field").asText()).contains("storage.serial");
        assertThat(status("/readyz")).isEqualTo(200);
        // the bridge may reconnect between two services registering: one is absent for a moment and
        // its facts leave and return (two events); wait until every fact is back and delivered
        await(ChildJvm.WAIT, "every D-Bus fact back", () -> {
            try {
                return texts(device(SDA).get("sources")).containsAll(List.of("dbus.hal", "dbus.systemd",
                        "dbus.udisks2")) && texts(device(ETH0).get("aliases")).contains(HAL_ETH0);
            } catch (Exception e) {
                return false;
            }
        });
        Thread.sleep(500);
    }

    private static void report(String what, long t0, Event e) {
        System.out.printf("%s: %d ms from the signal to the watch event%n", what, (e.arrived - t0) / 1_000_000);
        assertThat(Duration.ofNanos(e.arrived - t0)).as(what).isLessThan(SIGNAL_BOUND);
    }

    /** One watch event: its kind, device name, the ChangeEvent JSON, when it arrived. */
    record Event(String kind, String name, JsonNode data, long arrived) {
        JsonNode device() {
            JsonNode state = data.has("after") ? data.get("after") : data.get("before");
            return state.get("device");
        }

        String path() {
            return device().path("path").asText(null);
        }
    }

    /** {@code /v1/watch} read line by line as it comes, on a thread of its own. */
    static final class Watch implements AutoCloseable {
        private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
        private final CompletableFuture<HttpResponse<Stream<String>>> response;

        private Watch(HttpClient http, String url) {
            response = http.sendAsync(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream")
                    .build(), HttpResponse.BodyHandlers.ofLines());
            Thread reader = new Thread(this::read, "watch-reader");
            reader.setDaemon(true);
            reader.start();
        }

        static Watch open(HttpClient http, String url) {
            Watch w = new Watch(http, url);
            NetHost.await(ChildJvm.WAIT, "the watch's head frame", () -> w.headSeen);
            return w;
        }

        private volatile boolean headSeen;

        private void read() {
            try (Stream<String> lines = response.join().body()) {
                String event = null;
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.startsWith("event: ")) {
                        event = line.substring("event: ".length());
                    } else if (line.startsWith("data: ") && event != null) {
                        if (event.equals("head")) {
                            headSeen = true;
                        } else {
                            JsonNode data = JSON.readTree(line.substring("data: ".length()));
                            events.add(new Event(event, data.get("name").asText(), data, System.nanoTime()));
                        }
                    } else if (line.isEmpty()) {
                        event = null;
                    }
                }
            } catch (Exception e) {
                // the stream ends with the test
            }
        }

        List<Event> events() {
            synchronized (events) {
                return List.copyOf(events);
            }
        }

        Event await(String what, Predicate<Event> match) {
            try {
                NetHost.await(ChildJvm.WAIT, what + " on the watch stream",
                        () -> events().stream().anyMatch(match));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; it got " + events().stream()
                        .map(x -> x.kind + " " + x.name).toList(), e);
            }
            return events().stream().filter(match).findFirst().orElseThrow();
        }

        @Override
        public void close() {
            response.cancel(true);
            response.thenAccept(r -> r.body().close());
        }
    }
}
