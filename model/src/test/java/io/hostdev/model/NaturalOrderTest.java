package io.hostdev.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NaturalOrderTest {

    @ParameterizedTest
    @CsvSource({
            "memory_memory2, memory_memory10",
            "block_sda, block_sdb",
            "block_vda, block_vda1",
            "net_eth2_x, net_eth10_x",
            "tty_tty02, tty_tty3",
            "tty_tty02, tty_tty2",
    })
    void ordersNumbersByValue(String first, String second) {
        assertThat(NaturalOrder.INSTANCE.compare(first, second)).isNegative();
        assertThat(NaturalOrder.INSTANCE.compare(second, first)).isPositive();
    }

    @Test
    void isTotalAndConsistentWithEquals() {
        List<String> names = new ArrayList<>(List.of("a10", "a9", "a09", "a", "b1", "a1b2", "a1b10", "A1"));
        names.sort(NaturalOrder.INSTANCE);
        assertThat(names).containsExactly("A1", "a", "a1b2", "a1b10", "a09", "a9", "a10", "b1");
        for (String x : names) {
            assertThat(NaturalOrder.INSTANCE.compare(x, x)).isZero();
        }
    }
}
