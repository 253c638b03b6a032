package io.hostdev.probes.uevent;

import io.hostdev.probes.HostRoot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The live kernel for tests: root check, `ip` runs, and an opened monitor or a skip. */
final class LiveHost {

    private LiveHost() {
    }

    /** Skips unless root with a usable `ip`; returns an opened monitor or skips with the absent reason. */
    static UeventMonitor openOrSkip(UeventOptions options) {
        assumeTrue(isRoot(), "not root: live uevent tests skipped (they create veth interfaces)");
        assumeTrue(ipWorks(), "no usable `ip` command: live uevent tests skipped");
        UeventMonitor.Open open = UeventMonitor.open(HostRoot.live(), options);
        assumeTrue(open.available().isPresent(), () -> "uevent socket " + open + ": live test skipped");
        return open.available().get();
    }

    static boolean isRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    private static boolean ipWorks() {
        try {
            return run(List.of("ip", "-V")) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** A fresh interface name prefix: "hdue" and six hex digits, 10 characters (IFNAMSIZ is 16). */
    static String freshName() {
        return String.format("hdue%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    }

    static int run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return -1;
        }
    }

    /** Runs `ip -batch` over the given lines (one `ip` process for many operations); exit status. */
    static int ipBatch(List<String> lines) throws IOException {
        Path file = Files.createTempFile("hdue", ".ip");
        try {
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            return run(List.of("ip", "-force", "-batch", file.toString()));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static List<String> vethAdds(String prefix, int pairs) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            out.add("link add " + prefix + "a" + i + " type veth peer name " + prefix + "b" + i);
        }
        return out;
    }

    static List<String> vethDels(String prefix, int pairs) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            out.add("link del " + prefix + "a" + i);
        }
        return out;
    }
}
