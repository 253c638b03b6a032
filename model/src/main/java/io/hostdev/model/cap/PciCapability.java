package io.hostdev.model.cap;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.List;

/**
 * A PCI function, from the attributes of its directory under {@code sys/bus/pci/devices}
 * (see the kernel's Documentation/ABI/testing/sysfs-bus-pci). Structured values only: an address,
 * ids with names, typed resource ranges.
 */
public record PciCapability(
        PciAddress address,
        IdName vendor,
        IdName product,
        IdName subsystemVendor,
        IdName subsystemProduct,
        @JsonProperty("class") IdName deviceClass,
        String revision,
        IommuGroup iommuGroup,
        Integer numaNode,
        Link link,
        Sriov sriov,
        List<Resource> resources,
        boolean assignable) implements Capability {

    public static final String TYPE = "pci";

    public PciCapability {
        resources = resources == null ? List.of() : List.copyOf(resources);
    }

    /**
     * The IOMMU group number and every member of it, this function included: PCI addresses in address
     * order, then any non-PCI member (a platform device on some SoCs) by name.
     */
    public record IommuGroup(int number, List<String> members) {
        public IommuGroup {
            members = members == null ? List.of() : List.copyOf(members);
        }
    }

    /** PCIe link capability ({@code max_link_*}) and status ({@code current_link_*}). */
    public record Link(LinkState max, LinkState current) {
    }

    /**
     * Speed in GT/s (2.5, 5.0, 8.0, 16.0, 32.0, 64.0) and lane count; either is absent when the kernel
     * reports it unknown (a speed of "Unknown", a width of 0 or 255).
     */
    public record LinkState(Double speed, Integer width) {
    }

    /**
     * SR-IOV: on a physical function the VF counts and VF addresses; on a virtual function the
     * address of its PF.
     */
    public record Sriov(Integer totalVfs, Integer numVfs, List<String> vfs, String pf) {
        public Sriov {
            vfs = vfs == null ? List.of() : List.copyOf(vfs);
        }
    }

    /**
     * One line of the {@code resource} file, {@code index} being its line number: BARs 0–5, 6 the
     * expansion ROM; above that the kernel's own numbering, which depends on its configuration: with
     * SR-IOV support (CONFIG_PCI_IOV) 7–12 are the VF BARs of a physical function and a bridge's
     * windows start at 13, without it they start at 7. {@code flags} are the kernel's IORESOURCE_*
     * bits. Addresses are printed in hex; {@code end} is inclusive.
     */
    public record Resource(
            int index,
            ResourceKind kind,
            @JsonSerialize(using = HexLong.Serializer.class) @JsonDeserialize(using = HexLong.Deserializer.class)
            long start,
            @JsonSerialize(using = HexLong.Serializer.class) @JsonDeserialize(using = HexLong.Deserializer.class)
            long end,
            @JsonSerialize(using = HexLong.Serializer.class) @JsonDeserialize(using = HexLong.Deserializer.class)
            long flags) {

        /** Inclusive range size in bytes. */
        public long size() {
            return end - start + 1;
        }
    }

    public enum ResourceKind {
        MMIO, IO;

        @JsonValue
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }
}
