package io.hostdev.probes.dbus;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a HAL device says in our model's terms ({@link HalMapping}): its udi (an alias for the
 * device), the sysfs path that joins it to a sysfs device, HAL's own category, capabilities, product
 * and vendor, and {@code fields}: values by our dotted field path ({@code pci.vendor.id},
 * {@code net.address}, {@code storage.serial}...), typed as the model types them.
 */
public record HalFacts(
        String udi,
        String parentUdi,
        String sysfsPath,
        String category,
        List<String> capabilities,
        String product,
        String vendor,
        SortedMap<String, Object> fields) {

    public HalFacts {
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        fields = Collections.unmodifiableSortedMap(new TreeMap<>(fields));
    }
}
