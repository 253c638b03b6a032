package io.hostdev.agent.config;

import io.hostdev.agent.journal.JournalConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The agent's whole configuration, checked: what {@link ConfigLoader} makes of the config file,
 * the flags and the defaults. Every key, its default and the example file: docs/agent.md.
 *
 * @param listen          where the HTTP API listens
 * @param stateDir        the journal, the state snapshot and the emulator cache live here
 * @param root            the host root the probes read
 * @param insecure        allows a non-loopback {@code listen} without TLS and tokens
 * @param tls             TLS material for the HTTP API
 * @param tokens          the bearer-token file ({@code auth.tokens}); null: no authentication (loopback only)
 * @param limits          the HTTP layer's limits
 * @param sysfs           the device tree probe
 * @param capabilities    the host capabilities probe
 * @param journal         the change journal's retention and fsync policy
 * @param deviceFacts     device facts in {@code /metrics}
 * @param shutdownTimeout how long a stop waits for running probes
 * @param probeMaxShare   the largest share of the time one probe may spend running ({@code probes.maxShare})
 * @param oshi            the OSHI enrichment ({@code oshi.*})
 * @param dbus            the D-Bus bridge ({@code dbus.*})
 */
public record AgentConfig(ListenAddress listen, Path stateDir, Path root, boolean insecure, TlsConfig tls, Path tokens,
                          HttpLimits limits, SysfsSettings sysfs, CapabilitiesSettings capabilities,
                          JournalConfig journal, DeviceFactsConfig deviceFacts, Duration shutdownTimeout,
                          double probeMaxShare, OshiSettings oshi, DbusSettings dbus) {

    public AgentConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(sysfs, "sysfs");
        Objects.requireNonNull(capabilities, "capabilities");
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(deviceFacts, "deviceFacts");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(oshi, "oshi");
        Objects.requireNonNull(dbus, "dbus");
        if (!(probeMaxShare > 0 && probeMaxShare <= 1)) {
            throw new IllegalArgumentException("probeMaxShare must be in (0, 1], not " + probeMaxShare);
        }
    }

    /** The schedule of a probe by id; null for an unknown id. */
    public ProbeSchedule schedule(String probeId) {
        return switch (probeId) {
            case "sysfs" -> sysfs.schedule();
            case "capabilities" -> capabilities.schedule();
            default -> null;
        };
    }
}
