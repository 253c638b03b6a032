package io.hostdev.probes.sysfs;

import io.hostdev.model.DeviceTree;

import java.util.List;
import java.util.Map;

/**
 * What one sysfs scan found.
 *
 * @param tree     every device, rooted at {@code computer}
 * @param excluded devices left out by configuration, counted per subsystem
 * @param vanished devices enumerated but gone before they could be read (normal during hotplug)
 * @param problems things worth a look that did not stop the scan, each naming its path
 */
public record SysfsScan(DeviceTree tree, Map<String, Integer> excluded, int vanished, List<String> problems) {

    public SysfsScan {
        excluded = Map.copyOf(excluded);
        problems = List.copyOf(problems);
    }
}
