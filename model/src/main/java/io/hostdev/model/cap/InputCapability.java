package io.hostdev.model.cap;

/**
 * An input device ({@code inputN}: name, phys, uniq and the bus/vendor/product/version ids) or
 * one of its handler nodes ({@code eventN}, {@code mouseN}, {@code jsN}), told apart by {@code kind}.
 */
public record InputCapability(
        String kind,
        String name,
        String phys,
        String uniq,
        String bustype,
        String vendor,
        String product,
        String version) implements Capability {

    public static final String TYPE = "input";

    @Override
    public String type() {
        return TYPE;
    }
}
