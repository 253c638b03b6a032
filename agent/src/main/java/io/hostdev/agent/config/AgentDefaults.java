package io.hostdev.agent.config;

import io.hostdev.agent.journal.JournalConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every default of the agent's configuration, in one place (docs/agent.md lists them). The only
 * host paths in the agent's settings are here: where the state lives and the root probed.
 */
public final class AgentDefaults {

    private AgentDefaults() {
    }

    /**
     * 8742: not in the IANA registry's common assignments nor in {@code /etc/services}, outside
     * Prometheus's exporter range (9100–9999, so no clash with node_exporter on the same host), and
     * away from libvirt's 16509/16514.
     */
    public static final int PORT = 8742;

    /** Loopback only: nothing else can reach the API until the operator chooses an address and TLS. */
    public static final ListenAddress LISTEN = new ListenAddress("127.0.0.1", PORT);

    /** The state directory of an agent running as root (FHS: variable state of a system daemon). */
    public static final Path ROOT_STATE_DIR = Path.of("/var/lib/hostdev");

    /** The state directory of a user's agent: {@code $XDG_STATE_HOME/hostdev}, else this below the home directory. */
    public static final String USER_STATE_DIR = ".local/state/hostdev";

    /** The host root probed: the machine the agent runs on. */
    public static final Path ROOT = Path.of("/");

    /** Cheap (about 15 ms on a small VM, 0.2 s on 10,000 devices) and the latency of every hotplug until uevents arrive. */
    public static final ProbeSchedule SYSFS = new ProbeSchedule(true, Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(1));

    /** Runs QEMU (once per emulator build, then cached): rarely, with room for several cold emulator starts. */
    public static final ProbeSchedule CAPABILITIES = new ProbeSchedule(true, Duration.ofMinutes(10),
            Duration.ofMinutes(2), Duration.ofSeconds(30));

    public static final Duration EMULATOR_TIMEOUT = Duration.ofSeconds(10);

    /**
     * OSHI forks dmidecode/lshw (300+ ms) to learn what rarely changes but sensors: hourly, with room
     * for a slow fork on a loaded host (docs/oshi.md).
     */
    public static final OshiSettings OSHI = new OshiSettings(true, Duration.ofHours(1), Duration.ofMinutes(2));

    /** The first OSHI read waits this long after the start, leaving the CPU to the first scan and the HTTP server. */
    public static final Duration OSHI_FIRST_DELAY = Duration.ofSeconds(5);

    public static final HttpLimits LIMITS = new HttpLimits(1024, 4096, 64 * 1024, Duration.ofSeconds(15), 1024);

    public static final DeviceFactsConfig DEVICE_FACTS = new DeviceFactsConfig(null, 5000);

    /** How long a stopping agent waits for running probes before it abandons them. */
    /** The largest share of the time one probe may spend running (docs/agent.md, "Scheduling"). */
    public static final double PROBE_MAX_SHARE = 0.05;

    public static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    public static final JournalConfig JOURNAL = JournalConfig.DEFAULTS;

    /**
     * Every D-Bus source, on the system bus: {@code DBUS_SYSTEM_BUS_ADDRESS}, else the socket under
     * the host root (the bridge resolves it; docs/dbus.md).
     */
    public static final DbusSettings DBUS = new DbusSettings(true, null,
            List.copyOf(io.hostdev.probes.dbus.DbusConfig.ALL_SOURCES));

    /**
     * The default state directory: {@link #ROOT_STATE_DIR} for root; otherwise
     * {@code $XDG_STATE_HOME/hostdev} when that is an absolute path (the XDG rule: a relative one
     * is invalid and ignored), else {@code ~/.local/state/hostdev}.
     */
    public static Path stateDir(boolean root, Map<String, String> env, Path home) {
        if (root) {
            return ROOT_STATE_DIR;
        }
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg).resolve("hostdev");
        }
        return home.resolve(USER_STATE_DIR);
    }

    /** The ids of the probes the agent schedules, in id order. */
    public static final List<String> PROBE_IDS = List.of("capabilities", "sysfs");
}
