package io.hostdev.probes.uevent;

import io.hostdev.probes.HostRoot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where JNA has no native support (a read-only or noexec temp directory, an unsupported
 * platform), opening is an {@link UeventMonitor.Absent} with its reason, not an exception: shown
 * in a separate JVM told not to find JNA's native library.
 */
class UeventMonitorAbsentTest {

    /** Run in the child JVM: prints what {@link UeventMonitor#open} gave. */
    public static void main(String[] args) {
        UeventMonitor.Open open = UeventMonitor.open(HostRoot.live(), UeventOptions.defaults());
        System.out.println("RESULT " + open);
        open.available().ifPresent(UeventMonitor::close);
    }

    @Test
    void withoutJnaNativeSupportTheSourceIsAbsentWithItsReason() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(List.of(java, "-Djna.nounpack=true", "-Djna.nosys=true", "-Djna.noclasspath=true",
                "-cp", System.getProperty("java.class.path"), UeventMonitorAbsentTest.class.getName()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("RESULT absent: ").doesNotContain("Exception");
        assertThat(out.lines().filter(l -> l.startsWith("RESULT"))).singleElement().asString()
                .matches("RESULT absent: (JNA cannot bind libc here: .+|not Linux on a supported architecture .+)");
    }
}
