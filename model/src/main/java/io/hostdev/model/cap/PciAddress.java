package io.hostdev.model.cap;

import java.util.Optional;

/**
 * A PCI function address. Prints as {@code 0000:00:1f.2}; parses that form and the short
 * {@code 00:1f.2} form (domain 0) that lspci prints.
 */
public record PciAddress(int domain, int bus, int slot, int function) implements Comparable<PciAddress> {

    public PciAddress {
        if (domain < 0 || bus < 0 || bus > 0xff || slot < 0 || slot > 0x1f || function < 0 || function > 7) {
            throw new IllegalArgumentException("PCI address out of range: domain=" + domain + " bus=" + bus
                    + " slot=" + slot + " function=" + function);
        }
    }

    /**
     * Parses {@code DDDD:BB:SS.F} or {@code BB:SS.F}, hex digits in either case. Domains wider than
     * four digits occur (Intel VMD, Hyper-V) and are accepted.
     */
    public static Optional<PciAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.strip();
        int dot = s.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String[] parts = s.substring(0, dot).split(":", -1);
        String fn = s.substring(dot + 1);
        long domain;
        int first;
        if (parts.length == 3) {
            domain = hex(parts[0], 8);
            first = 1;
        } else if (parts.length == 2) {
            domain = 0;
            first = 0;
        } else {
            return Optional.empty();
        }
        long bus = hex(parts[first], 2);
        long slot = hex(parts[first + 1], 2);
        long function = hex(fn, 1);
        if (domain < 0 || domain > Integer.MAX_VALUE || bus < 0 || slot < 0 || slot > 0x1f || function < 0
                || function > 7) {
            return Optional.empty();
        }
        return Optional.of(new PciAddress((int) domain, (int) bus, (int) slot, (int) function));
    }

    private static long hex(String digits, int maxLength) {
        if (digits.isEmpty() || digits.length() > maxLength) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            // ASCII only: Character.digit would also take other scripts' digits
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                return -1;
            }
            value = value * 16 + d;
        }
        return value;
    }

    /** The short form, {@code 00:1f.2}; only unambiguous for domain 0. */
    public String shortForm() {
        return String.format("%02x:%02x.%x", bus, slot, function);
    }

    /** libvirt's node-device name, {@code pci_0000_00_1f_2}. */
    public String libvirtName() {
        return String.format("pci_%04x_%02x_%02x_%x", domain, bus, slot, function);
    }

    @Override
    public String toString() {
        return String.format("%04x:%02x:%02x.%x", domain, bus, slot, function);
    }

    @Override
    public int compareTo(PciAddress o) {
        int c = Integer.compare(domain, o.domain);
        if (c == 0) {
            c = Integer.compare(bus, o.bus);
        }
        if (c == 0) {
            c = Integer.compare(slot, o.slot);
        }
        return c != 0 ? c : Integer.compare(function, o.function);
    }
}
