package io.hostdev.agent.cli;

import io.hostdev.agent.fixture.Capture;
import io.hostdev.agent.fixture.Scrubber;
import io.hostdev.agent.fixture.TreeArchive;
import io.hostdev.model.Device;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.sysfs.SysfsScan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(name = "capture", mixinStandardHelpOptions = true,
        description = {"Probe the host and record every file the probes read into a fixture archive "
                + "(see docs/fixtures.md).",
                "Replaying the archive with 'hostdev list --root DIR' gives the same devices."})
final class CaptureCommand implements Runnable {

    @Mixin
    HostOptions host;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true,
            description = "Where to write the archive.")
    Path output;

    @Option(names = "--scrub",
            description = "Replace serial numbers, UUIDs, WWNs and MAC addresses with same-shaped values "
                    + "from a random salt (consistent within this capture, unlinkable across captures).")
    boolean scrub;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Cli.configureLogging(host.verbose);
        HostFiles files = HostFiles.recording(host.hostRoot());
        SysfsScan scan = host.scan(files);
        List<PciCapability> pci = new ArrayList<>();
        for (Device d : scan.tree().devices()) {
            d.capability(PciCapability.class).ifPresent(pci::add);
        }
        List<String> comments = List.of(
                "captured by 'hostdev capture" + (scrub ? " --scrub" : "") + "': " + scan.tree().size() + " devices",
                "format: docs/fixtures.md; replay: hostdev list --root DIR after unpacking");
        Capture.Options options = new Capture.Options(scrub ? Scrubber.withRandomSalt() : null,
                Capture.Options.PLAIN.pciIds());
        Capture.Result result;
        try {
            result = Capture.of(files.root(), files.accesses(), pci, options, comments);
            result.archive().write(output);
        } catch (IOException e) {
            throw new Cli.CommandFailure("capture into " + output + " failed: " + e);
        }
        var err = spec.commandLine().getErr();
        for (String note : result.notes()) {
            err.println("hostdev: capture: " + note);
        }
        err.println("hostdev: captured " + result.archive().entries().size() + " entries for "
                + scan.tree().size() + " devices into " + output + (scrub ? " (scrubbed)" : ""));
        err.flush();
    }
}
