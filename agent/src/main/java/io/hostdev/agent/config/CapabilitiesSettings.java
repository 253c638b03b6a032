package io.hostdev.agent.config;

import java.time.Duration;
import java.util.List;

/**
 * The {@code capabilities} probe: its schedule and what {@code hostdev capabilities} takes as flags.
 *
 * @param disable         capabilities sources switched off ({@code qemu}, {@code hypervisor.xen}...)
 * @param emulatorDirs    extra directories, as seen on the host, searched for {@code qemu-system-*}
 *                        after {@code PATH} and the defaults
 * @param emulatorTimeout the most one emulator may take to list its machine types
 */
public record CapabilitiesSettings(ProbeSchedule schedule, List<String> disable, List<String> emulatorDirs,
                                   Duration emulatorTimeout) {

    public CapabilitiesSettings {
        disable = List.copyOf(disable);
        emulatorDirs = List.copyOf(emulatorDirs);
    }
}
