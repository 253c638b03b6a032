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

    /** The IOMMU group number and the addresses of every function in it (this one included). */
    public record IommuGroup(int number, List<String> members) {
        public IommuGroup {
            members = members == null ? List.of() : List.copyOf(members);
        }
    }

    /** PCIe link capability ({@code max_link_*}) and status ({@code current_link_*}). */
    public record Link(LinkState max, LinkState current) {
    }

    /** Speed in GT/s and lane count; either is absent when the kernel reports it unknown. */
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
     * One line of the {@code resource} file: BAR {@code index} 0–5, 6 for the expansion ROM, 7 and
     * up for bridge windows. Addresses are printed in hex.
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
