package io.hostdev.probes.virt;

import io.hostdev.model.host.Guest;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * This machine's emulators against the real libvirt's view of them ({@code virsh -c qemu:///system
 * capabilities}): the same guests, and for each the same emulator, machine types (name, canonical,
 * maxCpus, deprecated) and domain types. Skipped, saying why, when virsh cannot reach a daemon or
 * no qemu-system-x86_64 is installed.
 */
class QemuLiveTest {

    static List<CapsXml.GuestView> libvirts;
    static List<CapsXml.GuestView> ours;

    /** STAND-IN, TEST CODE ONLY, for the CPU probe's host arch: the JVM's name for it, in libvirt's words. */
    static String hostArch() {
        String a = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64" -> "x86_64";
            case "x86", "i386", "i686" -> "i686";
            default -> a;
        };
    }

    @BeforeAll
    static void probeBoth() {
        EmulatorProcess.Outcome virsh = EmulatorProcess.run(List.of("virsh", "-c", "qemu:///system", "capabilities"),
                "", Duration.ofSeconds(60));
        assumeTrue(virsh.startError() == null, "no virsh: skipped");
        assumeTrue(virsh.succeeded() && virsh.stdout().contains("<capabilities>"),
                "virsh cannot reach a libvirt daemon (" + virsh.describe() + "): skipped");
        List<Guest> guests = new QemuProbe(hostArch(), QemuProbe.Settings.defaults(), MachineTypeCache.inMemory())
                .probe(HostFiles.of(HostRoot.live()));
        assumeTrue(guests.stream().anyMatch(g -> g.arch().equals("x86_64")), "no qemu-system-x86_64 installed: skipped");
        assertThat(CapsXml.hostArch(virsh.stdout())).as("libvirt's host arch").isEqualTo(hostArch());
        libvirts = CapsXml.guests(virsh.stdout()).stream().filter(g -> g.osType().equals("hvm")).toList();
        ours = CapsXml.view(guests);
    }

    static Map<String, CapsXml.GuestView> byArch(List<CapsXml.GuestView> guests) {
        return guests.stream().collect(Collectors.toMap(CapsXml.GuestView::arch, Function.identity()));
    }

    @Test
    void x86_64MachinesAndDomainTypesAreLibvirts() {
        CapsXml.GuestView theirs = byArch(libvirts).get("x86_64");
        CapsXml.GuestView mine = byArch(ours).get("x86_64");
        assertThat(theirs).as("libvirt lists x86_64").isNotNull();
        assertThat(mine.machines()).isEqualTo(theirs.machines());
        assertThat(mine.domains()).isEqualTo(theirs.domains());
        assertThat(mine.emulator()).isEqualTo(theirs.emulator());
    }

    @Test
    void everyGuestLibvirtListsWeListTheSame() {
        assertThat(byArch(ours).keySet()).isEqualTo(byArch(libvirts).keySet());
        for (CapsXml.GuestView theirs : libvirts) {
            CapsXml.GuestView mine = byArch(ours).get(theirs.arch());
            assertThat(mine.emulator()).as(theirs.arch() + " emulator").isEqualTo(theirs.emulator());
            assertThat(mine.wordsize()).as(theirs.arch() + " wordsize").isEqualTo(theirs.wordsize());
            assertThat(mine.machines()).as(theirs.arch() + " machines").isEqualTo(theirs.machines());
            assertThat(mine.domains()).as(theirs.arch() + " domains").isEqualTo(theirs.domains());
        }
    }
}
