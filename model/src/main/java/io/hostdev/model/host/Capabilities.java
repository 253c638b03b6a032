package io.hostdev.model.host;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What this host can run: the host itself and one entry per kind of guest, as libvirt's
 * capabilities document has them. Guests are ordered by (os_type, arch) so the document is
 * byte-stable.
 */
public record Capabilities(Host host, List<Guest> guests) {

    public Capabilities {
        Objects.requireNonNull(host, "host");
        guests = guests == null ? List.of()
                : guests.stream().sorted(Comparator.comparing(Guest::osType).thenComparing(Guest::arch)).toList();
    }
}
