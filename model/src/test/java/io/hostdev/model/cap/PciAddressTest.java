package io.hostdev.model.cap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PciAddressTest {

    @ParameterizedTest
    @CsvSource({
            "0000:00:1f.2, 0000:00:1f.2, 00:1f.2, pci_0000_00_1f_2",
            "00:1f.2,      0000:00:1f.2, 00:1f.2, pci_0000_00_1f_2",
            "0000:00:1F.2, 0000:00:1f.2, 00:1f.2, pci_0000_00_1f_2",
            "0001:af:00.7, 0001:af:00.7, af:00.7, pci_0001_af_00_7",
            "10000:e1:00.0, 10000:e1:00.0, e1:00.0, pci_10000_e1_00_0",
            "' 0000:03:00.1\n', 0000:03:00.1, 03:00.1, pci_0000_03_00_1",
    })
    void parsesBothFormsAndPrintsCanonically(String text, String full, String shortForm, String name) {
        PciAddress a = PciAddress.parse(text).orElseThrow();
        assertThat(a.toString()).isEqualTo(full);
        assertThat(a.shortForm()).isEqualTo(shortForm);
        assertThat(a.libvirtName()).isEqualTo(name);
        assertThat(PciAddress.parse(a.toString())).contains(a);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0000:00:20.0", "0000:00:1f.8", "0000:100:00.0", "00:1f", "1f.2", "x0:00.0",
            "0000:00:00:00.0", "0000:00:1f.", "123456789:00:00.0", "\u0000\u0001", "0000:00:\u0661f.2",
            "+000:00:1f.2"})
    void rejectsWhatIsNotAnAddress(String text) {
        assertThat(PciAddress.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"0000:00:1f.2, 0000:01:00.0", "0000:00:02.0, 0000:00:10.0", "0000:ff:00.0, 0001:00:00.0"})
    void ordersByDomainBusSlotFunction(String lower, String higher) {
        assertThat(PciAddress.parse(lower).orElseThrow()).isLessThan(PciAddress.parse(higher).orElseThrow());
    }
}
