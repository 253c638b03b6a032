package io.hostdev.agent.http;

import io.hostdev.agent.journal.Cursor;
import io.hostdev.agent.service.StateSnapshot;
import io.hostdev.agent.testing.Trees;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ListingCacheTest {

    private static final UUID EPOCH = UUID.randomUUID();

    private static StateSnapshot snapshot(long sequence) {
        return new StateSnapshot(Trees.computer().build(), null, new Cursor(EPOCH, sequence, 0), Instant.EPOCH);
    }

    @Test
    void aListingIsKeptPerSelectorAndTypeForItsSnapshotOnly() {
        ListingCache cache = new ListingCache(8, 1 << 20);
        StateSnapshot first = snapshot(1);
        cache.put(first, "cap='net'", "application/json", new byte[] {1});
        cache.put(first, null, "application/json", new byte[] {2});

        assertThat(cache.get(first, "cap='net'", "application/json")).containsExactly(1);
        assertThat(cache.get(first, null, "application/json")).containsExactly(2);
        assertThat(cache.get(first, "cap='net'", "application/xml")).isNull();
        assertThat(cache.get(first, "cap='pci'", "application/json")).isNull();
        // equal but not the same snapshot: the agent publishes a new object for every new state
        assertThat(cache.get(snapshot(1), null, "application/json")).isNull();
    }

    @Test
    void aNewSnapshotEmptiesIt() {
        ListingCache cache = new ListingCache(8, 1 << 20);
        StateSnapshot first = snapshot(1);
        StateSnapshot second = snapshot(2);
        cache.put(first, null, "application/json", new byte[] {1});
        cache.put(second, "cap='net'", "application/json", new byte[] {2});

        assertThat(cache.get(first, null, "application/json")).isNull();
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void theLeastRecentlyUsedGoWhenEntriesOrBytesRunOver() {
        ListingCache cache = new ListingCache(2, 100);
        StateSnapshot s = snapshot(1);
        cache.put(s, "a", "t", new byte[40]);
        cache.put(s, "b", "t", new byte[40]);
        cache.get(s, "a", "t");
        cache.put(s, "c", "t", new byte[10]);
        assertThat(cache.get(s, "b", "t")).as("b was used least recently").isNull();
        assertThat(cache.get(s, "a", "t")).isNotNull();

        cache.put(s, "d", "t", new byte[90]);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.get(s, "d", "t")).hasSize(90);

        cache.put(s, "huge", "t", new byte[101]);
        assertThat(cache.get(s, "huge", "t")).as("larger than the whole cache").isNull();
        assertThat(cache.get(s, "d", "t")).isNotNull();
    }
}
