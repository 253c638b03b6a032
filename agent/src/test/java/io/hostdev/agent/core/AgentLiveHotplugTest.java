package io.hostdev.agent.core;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import static io.hostdev.agent.core.LiveAgent.exec;
import static io.hostdev.agent.core.LiveAgent.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 6's live hotplug on this machine: {@code hostdev agent} probing the real host and an open
 * {@code hostdev watch}; a veth pair, a bridge ({@code ip link}) and a loop device that did not exist
 * before ({@code LOOP_CTL_ADD}, then {@code losetup}) each show up on the watch stream, in
 * {@code hostdev list --url} and at {@code /v1/devices/NAME}, and are gone from all three after their
 * removal. Root only (creating links and loop devices needs CAP_NET_ADMIN and CAP_SYS_ADMIN); skips
 * with a message otherwise, or when {@code ip} / {@code losetup} are missing.
 *
 * <p>The main cases run the agent with an interval of an hour: only a kernel uevent can have started
 * the scans that see these devices. One veth case polls instead. Every wait is bounded generously
 * (a loaded CI machine); the latencies are printed, not asserted: the benchmark measures them.
 * Devices are named {@code hdlive*} with a random part, and loop devices take an index of at least
 * 64, so that runs in parallel (other worktrees, the benchmark's {@code hdbench*}) do not collide;
 * whatever a test made is removed after it, also when it fails.
 */
class AgentLiveHotplugTest {

    private static final String NET = "cap='net'";
    private static final String STORAGE = "cap='storage'";

    /** How long one step may take to reach the watch, the listing and the device endpoint. */
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private final String tag = "hdlive" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    /** What undoes the host changes made so far, last first. */
    private final Deque<Cleanup> cleanups = new ArrayDeque<>();
    private LiveAgent agent;

    @FunctionalInterface
    private interface Cleanup {
        void run() throws Exception;
    }

    /** Registers {@code undo} to run after the test, whatever its outcome; returns it for {@link #done}. */
    private Cleanup undoLater(Cleanup undo) {
        cleanups.push(undo);
        return undo;
    }

    /**
     * The test undid it itself: not again, since by then another run may have made a device of the
     * same name (a loop index is reused at once).
     */
    private void done(Cleanup undo) {
        cleanups.remove(undo);
    }

    @AfterEach
    void cleanUp() {
        List<String> failed = new ArrayList<>();
        while (!cleanups.isEmpty()) {
            try {
                cleanups.pop().run();
            } catch (Exception | AssertionError e) {
                failed.add(e.toString());
            }
        }
        if (agent != null) {
            agent.close();
        }
        assertThat(failed).as("cleaning up the devices this test made (some may be left behind)").isEmpty();
    }

    @Nested
    class Polling {

        /** The sysfs probe's interval here; the default jitter adds up to a second. */
        private static final Duration INTERVAL = Duration.ofSeconds(2);
        /** What may come on top of the interval and its jitter: the probe itself, the JVMs on a busy 2-core VM. */
        private static final Duration SLACK = Duration.ofSeconds(5);

        @Test
        void aVethPairAppearsOnAnOpenNetWatchWithinOneIntervalAndSoDoesItsDeletion() throws Exception {
            LiveAgent.assumeRoot();
            LiveAgent.assumeTool("ip", "-V");
            agent = LiveAgent.start(tmp.resolve("state"), "--interval", "sysfs=" + INTERVAL.toMillis() + "ms",
                    "--set", "probes.sysfs.uevents=false");
            assertThat(agent.started).as("the agent's start line").contains("polling only");
            vethPair(INTERVAL.plusSeconds(1).plus(SLACK), "polling every " + INTERVAL.toMillis() + " ms",
                    false);
        }
    }

    @Nested
    class WithKernelUevents {

        @BeforeEach
        void startAgent() throws Exception {
            LiveAgent.assumeRoot();
            LiveAgent.assumeTool("ip", "-V");
            // an interval of an hour: only a uevent can have started the scans that find the devices
            agent = LiveAgent.start(tmp.resolve("state"), "--interval", "sysfs=1h");
            assertThat(agent.started).as("the agent's start line says kernel uevents are heard")
                    .doesNotContain("polling only");
        }

        @Test
        void aVethPairAppearsEverywhereAndSoDoesItsDeletion() throws Exception {
            vethPair(WAIT, "on uevents", true);
        }

        @Test
        void aBridgeAppearsEverywhereAsABridgeAndSoDoesItsDeletion() throws Exception {
            String br = tag + "br";
            LiveAgent.Watch watch = agent.watch(NET);
            Cleanup undo = undoLater(() -> exec("ip", "link", "del", br));

            long t = System.nanoTime();
            run("ip", "link", "add", br, "type", "bridge");
            Seen added = appears(watch, NET, "bridge " + br,
                    d -> interfaceIs(br).test(d) && "bridge".equals(d.path("net").path("kind").asText())
                            && "bridge".equals(d.path("devtype").asText()), t);
            assertThat(added.device.path("subsystem").asText()).isEqualTo("net");
            assertThat(sources(added)).as("a device the kernel announced").contains("uevent");
            assertThat(added.device.path("caps")).extracting(JsonNode::asText).contains("net");

            t = System.nanoTime();
            run("ip", "link", "del", br);
            done(undo);
            Duration removed = disappears(watch, NET, added.name, t);
            print("bridge", added, removed);
            assertThat(addedOrRemoved(watch, added.name)).containsExactly("added", "removed");
        }

        @Test
        void aNewLoopDeviceAppearsThenCarriesItsBackingFileAndIsGoneAfterItsRemoval() throws Exception {
            LiveAgent.assumeTool("losetup", "--version");
            Path root = Path.of("/");
            LoopControl loops = new LoopControl(root);
            assumeTrue(loops.available(), "no " + loops.controlDevice() + " (no loop support): live loop hotplug skipped");
            long size = 8L << 20;
            Path file = tmp.resolve(tag + ".img");
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(size);
            }
            String backing = file.toRealPath().toString();
            LiveAgent.Watch watch = agent.watch(STORAGE);

            long t = System.nanoTime();
            int index = loops.addAbove(64, root.resolve("sys").resolve("class").resolve("block"));
            Path node = root.resolve("dev").resolve("loop" + index);
            Cleanup undo = undoLater(() -> {
                exec("losetup", "-d", node.toString());
                assertThat(loops.remove(index)).as("LOOP_CTL_REMOVE %d", index).isTrue();
            });
            String name = "block_loop" + index;
            Seen added = appears(watch, STORAGE, "new loop device " + index,
                    d -> name.equals(d.path("name").asText()) && "loop".equals(d.path("storage").path("kind").asText()),
                    t);
            assertThat(added.device.path("storage").path("size").asLong(-1)).as("an unbound loop device's size")
                    .isZero();
            assertThat(added.device.path("storage").has("backing_file")).as("an unbound loop device's backing file")
                    .isFalse();
            assertThat(added.device.path("storage").path("block").asText()).as("its device node").isEqualTo(node.toString());
            assertThat(sources(added)).as("a device the kernel announced").contains("uevent");

            NetHost.await(WAIT, node + " from devtmpfs", () -> Files.exists(node));
            t = System.nanoTime();
            run("losetup", node.toString(), file.toString());
            Predicate<JsonNode> bound = d -> backing.equals(d.path("storage").path("backing_file").asText())
                    && d.path("storage").path("size").asLong(-1) == size;
            watch.await("updated " + name + " bound to " + backing,
                    e -> isEvent(e, "updated", name) && bound.test(e.path("after").path("device")), WAIT);
            Duration bind = since(t);
            // one update, or two when a scan someone else's uevent started ran between the kernel's two steps
            assertThat(watch.events()).filteredOn(e -> isEvent(e, "updated", name))
                    .flatExtracting(e -> e.path("changes").findValuesAsText("field"))
                    .contains("storage.backing_file", "storage.size");
            Duration bindListed = awaitListed(name, STORAGE, bound, t);

            t = System.nanoTime();
            run("losetup", "-d", node.toString());
            watch.await("updated " + name + " without a backing file",
                    e -> isEvent(e, "updated", name) && !e.path("after").path("device").path("storage").has("backing_file"),
                    WAIT);
            Duration detach = since(t);

            t = System.nanoTime();
            assertThat(loops.remove(index)).as("LOOP_CTL_REMOVE %d", index).isTrue();
            done(undo);
            Duration removed = disappears(watch, STORAGE, name, t);
            print("new loop device " + name, added, removed);
            System.out.printf("  losetup: on the watch after %d ms, listed after %d ms; losetup -d on the watch after %d ms%n",
                    bind.toMillis(), bindListed.toMillis(), detach.toMillis());
            assertThat(addedOrRemoved(watch, name)).containsExactly("added", "removed");
        }
    }

    /**
     * Adds and deletes a veth pair (the agent is running): both interfaces appear everywhere, as
     * veths naming each other as peers, and are gone after the deletion; each within {@code wait}.
     */
    private void vethPair(Duration wait, String how, boolean announced) throws Exception {
        String a = tag + "a";
        String b = tag + "b";
        LiveAgent.Watch watch = agent.watch(NET);
        Cleanup undo = undoLater(() -> exec("ip", "link", "del", a));

        long t = System.nanoTime();
        run("ip", "link", "add", a, "type", "veth", "peer", "name", b);
        Seen addedA = appears(watch, NET, "veth " + a, veth(a), vethOf(a, b), t, wait);
        Seen addedB = appears(watch, NET, "veth " + b, veth(b), vethOf(b, a), t, wait);
        assertThat(sources(addedA)).as("sources of %s", a).isEqualTo(announced ? List.of("sysfs", "uevent")
                : List.of("sysfs"));

        t = System.nanoTime();
        run("ip", "link", "del", a);
        done(undo);
        Duration removedA = disappears(watch, NET, addedA.name, t, wait);
        disappears(watch, NET, addedB.name, t, wait);

        print("veth (" + how + ")", addedA, removedA);
        assertThat(addedOrRemoved(watch, addedA.name)).containsExactly("added", "removed");
        assertThat(addedOrRemoved(watch, addedB.name)).containsExactly("added", "removed");
    }

    private static Predicate<JsonNode> veth(String name) {
        return d -> interfaceIs(name).test(d) && "veth".equals(d.path("net").path("kind").asText());
    }

    /**
     * A veth named {@code name} whose peer is {@code peer}. Checked in the listing only: a scan that
     * ran while the pair was being made may have seen one half, and the next one completes it.
     */
    private static Predicate<JsonNode> vethOf(String name, String peer) {
        return veth(name).and(d -> peer.equals(d.path("net").path("veth").path("peer").asText()));
    }

    private static Predicate<JsonNode> interfaceIs(String name) {
        return d -> name.equals(d.path("net").path("interface").asText());
    }

    /** What a device looked like where: the watch's {@code added} event, then the listing. */
    private record Seen(String name, JsonNode device, Duration onWatch, Duration listed) {
    }

    private Seen appears(LiveAgent.Watch watch, String selector, String what, Predicate<JsonNode> device, long since) {
        return appears(watch, selector, what, device, device, since, WAIT);
    }

    /**
     * Awaits an {@code added} event whose device {@code onWatch} accepts, then the same device (by
     * name), as {@code listed} wants it, in {@code list --url --selector S} and at
     * {@code /v1/devices/NAME}. Those two may lag the stream by a moment: the core delivers a batch
     * to the streams, then swaps its state.
     */
    private Seen appears(LiveAgent.Watch watch, String selector, String what, Predicate<JsonNode> onWatch,
            Predicate<JsonNode> listed, long since, Duration wait) {
        JsonNode e = watch.await("added " + what, ev -> "added".equals(ev.path("kind").asText())
                && onWatch.test(ev.path("after").path("device")), wait);
        Duration seen = since(since);
        String name = e.path("name").asText();
        Duration inListing = awaitListed(name, selector, listed, since, wait);
        return new Seen(name, e.path("after").path("device"), seen, inListing);
    }

    private Duration awaitListed(String name, String selector, Predicate<JsonNode> device, long since) {
        return awaitListed(name, selector, device, since, WAIT);
    }

    /**
     * Awaits device {@code name}, as {@code device} wants it, in {@code list --url --selector S} and
     * at {@code /v1/devices/NAME}; the time since {@code since}.
     */
    private Duration awaitListed(String name, String selector, Predicate<JsonNode> device, long since, Duration wait) {
        List<Optional<JsonNode>> last = new ArrayList<>(List.of(Optional.empty(), Optional.empty()));
        try {
            NetHost.await(wait, name + " in list --url --selector \"" + selector + "\" and at /v1/devices/" + name, () -> {
                last.set(0, agent.listed(selector, name));
                last.set(1, agent.device(name));
                return last.get(0).filter(device).isPresent() && last.get(1).filter(device).isPresent();
            });
        } catch (AssertionError err) {
            throw new AssertionError(err.getMessage() + "; listed: " + last.get(0) + "; /v1/devices: " + last.get(1), err);
        }
        return since(since);
    }

    private Duration disappears(LiveAgent.Watch watch, String selector, String name, long since) {
        return disappears(watch, selector, name, since, WAIT);
    }

    /**
     * Awaits the {@code removed} event of {@code name}, then its absence from {@code list --url
     * --selector S} and a 404 at {@code /v1/devices/NAME}; the time the event took.
     */
    private Duration disappears(LiveAgent.Watch watch, String selector, String name, long since, Duration wait) {
        watch.await("removed " + name, e -> isEvent(e, "removed", name), wait);
        Duration onWatch = since(since);
        NetHost.await(wait, name + " gone from list --url --selector \"" + selector + "\" and from /v1/devices",
                () -> agent.listed(selector, name).isEmpty() && agent.device(name).isEmpty());
        return onWatch;
    }

    private static boolean isEvent(JsonNode e, String kind, String name) {
        return kind.equals(e.path("kind").asText()) && name.equals(e.path("name").asText());
    }

    private static List<String> sources(Seen seen) {
        List<String> out = new java.util.ArrayList<>();
        seen.device.path("sources").forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The kinds of the {@code added} and {@code removed} events of {@code name} so far, in order. */
    private static List<String> addedOrRemoved(LiveAgent.Watch watch, String name) {
        return watch.events().stream().filter(e -> name.equals(e.path("name").asText()))
                .map(e -> e.path("kind").asText()).filter(k -> !k.equals("updated")).toList();
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    private static void print(String what, Seen added, Duration removed) {
        System.out.printf("%s: on the watch after %d ms (sources %s), listed after %d ms; its removal on the watch "
                + "after %d ms%n", what, added.onWatch.toMillis(), added.device.path("sources"), added.listed.toMillis(),
                removed.toMillis());
    }
}
