package io.hostdev.agent.config;

/**
 * Which devices' facts {@code /metrics} shows (PCIe link degraded, net link up, SR-IOV VFs in use,
 * storage size), and the hard cap on the series they may add.
 *
 * @param selector  a selector (docs/selectors.md), checked when the configuration loads; null: every device
 * @param maxSeries series beyond this are dropped, and the drop is itself a metric
 */
public record DeviceFactsConfig(String selector, int maxSeries) {
}
