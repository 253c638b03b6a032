package io.hostdev.agent.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code sysfs} probe: its schedule and what {@code hostdev list} takes as flags.
 *
 * @param exclude subsystems left out (counted, not listed)
 * @param disable typed readers switched off ({@code sysfs.pci}...): their devices stay, generic
 * @param pciIds  a pci.ids file for a root without one; null: the root's own
 * @param uevents run the probe when the kernel reports a device event (docs/uevents.md), besides the schedule
 */
public record SysfsSettings(ProbeSchedule schedule, List<String> exclude, List<String> disable, Path pciIds,
                            boolean uevents) {

    public SysfsSettings {
        exclude = List.copyOf(exclude);
        disable = List.copyOf(disable);
    }
}
