package io.hostdev.probes.host;

import io.hostdev.model.host.Host;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.Probe;
import io.hostdev.probes.SysfsValues;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The system sleep states the kernel offers ({@code sysfs.power}), from {@code sys/power/state}
 * (e.g. {@code freeze mem disk}) and {@code sys/power/disk}, the hibernation modes with the
 * selected one in brackets (e.g. {@code [platform] shutdown reboot suspend test_resume})
 * (Documentation/ABI/testing/sysfs-power, Documentation/admin-guide/pm/sleep-states.rst).
 *
 * <p>The rule, in libvirt's terms:
 * <ul>
 *   <li>{@code suspend_mem}: {@code mem} is in {@code state}. Which variant it enters
 *       ({@code mem_sleep}: s2idle, shallow or deep) does not matter here: every one keeps memory
 *       powered and resumes from it, and the kernel lists {@code mem} only when one exists;</li>
 *   <li>{@code suspend_disk}: {@code disk} is in {@code state} and {@code disk} offers
 *       {@code platform} or {@code shutdown}, the modes that write the image and power off (when
 *       {@code disk} cannot be read, {@code state} alone decides);</li>
 *   <li>{@code suspend_hybrid}: both of the above, and {@code disk} offers {@code suspend}, the
 *       mode that writes the image and then suspends to memory.</li>
 * </ul>
 * Whether a suspend would succeed (enough swap, firmware that resumes) is not something these
 * files can tell.
 */
public final class PowerProbe implements Probe<Host.PowerManagement> {

    public static final String ID = "sysfs.power";

    @Override
    public String id() {
        return ID;
    }

    /** The modes, or {@code null} when {@code sys/power/state} cannot be read (no sleep support built in, or no sysfs). */
    @Override
    public Host.PowerManagement probe(HostFiles files) {
        Path power = files.root().sys().resolve("power");
        return parse(files.read(power.resolve("state")), files.read(power.resolve("disk")));
    }

    static Host.PowerManagement parse(String state, String disk) {
        if (state == null) {
            return null;
        }
        Set<String> states = words(state);
        Set<String> diskModes = disk == null ? null : words(disk);
        boolean mem = states.contains("mem");
        boolean hibernate = states.contains("disk")
                && (diskModes == null || diskModes.contains("platform") || diskModes.contains("shutdown"));
        boolean hybrid = mem && hibernate && diskModes != null && diskModes.contains("suspend");
        return new Host.PowerManagement(mem, hibernate, hybrid);
    }

    /** The words of a line, the brackets around the selected one removed. */
    static Set<String> words(String line) {
        Set<String> out = new HashSet<>();
        String s = SysfsValues.text(line);
        if (s == null) {
            return out;
        }
        for (String w : s.split("\\s+")) {
            if (w.length() > 2 && w.startsWith("[") && w.endsWith("]")) {
                w = w.substring(1, w.length() - 1);
            }
            out.add(w);
        }
        return out;
    }
}
