package io.hostdev.agent.metrics;

import io.hostdev.model.select.Selector;

import java.util.Objects;

/**
 * What the metrics export about individual devices: the devices whose facts (PCIe link, net link,
 * SR-IOV, storage size) become series, and the most such series one scrape may carry. Every device
 * fact is one series per device, so an unbounded selector on a host with thousands of VFs or
 * partitions would grow Prometheus's index without bound; the cap keeps a scrape's size fixed.
 *
 * @param deviceFacts          selector of the devices whose facts are exported (docs/selectors.md)
 * @param deviceFactsSeriesCap the most device-fact series per scrape; beyond it series are dropped
 *                             (counted in {@code hostdev_device_fact_series_dropped}); 0 exports none
 */
public record MetricsSettings(Selector deviceFacts, int deviceFactsSeriesCap) {

    /**
     * PCI functions, network interfaces on a PCI device (not the veths and bridges of a container
     * host, thousands of them) and block devices: the devices the facts are about.
     */
    public static final String DEFAULT_DEVICE_FACTS = "cap='pci' or (cap='net' and bus='pci') or cap='storage'";

    /** Ten times a large host's interesting devices; a scrape stays a few hundred KiB. */
    public static final int DEFAULT_DEVICE_FACTS_SERIES_CAP = 2000;

    public MetricsSettings {
        Objects.requireNonNull(deviceFacts, "deviceFacts");
        if (deviceFactsSeriesCap < 0) {
            throw new IllegalArgumentException("the device facts series cap must not be negative: "
                    + deviceFactsSeriesCap);
        }
    }

    /**
     * Settings from configuration text.
     *
     * @throws io.hostdev.model.select.SelectorSyntaxException when the selector does not parse
     */
    public static MetricsSettings of(String deviceFacts, int deviceFactsSeriesCap) {
        return new MetricsSettings(Selector.parse(deviceFacts), deviceFactsSeriesCap);
    }

    public static MetricsSettings defaults() {
        return of(DEFAULT_DEVICE_FACTS, DEFAULT_DEVICE_FACTS_SERIES_CAP);
    }
}
