package io.hostdev.agent.cli;

import io.hostdev.agent.fixture.ArchiveException;
import io.hostdev.agent.fixture.Capture;
import io.hostdev.agent.fixture.PciIdsSubset;
import io.hostdev.agent.fixture.Scrubber;
import io.hostdev.agent.fixture.TreeArchive;
import io.hostdev.agent.fixture.Unpacker;
import io.hostdev.model.Device;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.probes.CapabilitiesProbe;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.virt.MachineTypeCache;
import io.hostdev.probes.virt.QemuProbe;
import io.hostdev.probes.sysfs.SysfsScan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(name = "capture", mixinStandardHelpOptions = true, subcommands = CaptureCommand.Unpack.class,
        description = {"Probe the host and record every file the probes read into a fixture archive "
                + "(see docs/fixtures.md).",
                "'hostdev capture unpack FILE DIR' then 'hostdev list --root DIR' lists the same devices."})
final class CaptureCommand implements Runnable {

    @Mixin
    HostOptions host;

    // not 'required': picocli would then demand it of 'capture unpack' too
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write the archive (required).")
    Path output;

    @Option(names = "--scrub",
            description = "Replace serial numbers, UUIDs, WWNs and MAC addresses with same-shaped values "
                    + "from a random salt (consistent within this capture, unlinkable across captures).")
    boolean scrub;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (output == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--output=FILE'");
        }
        Cli.configureLogging(host.verbose);
        HostFiles files = HostFiles.recording(host.hostRoot());
        SysfsScan scan = host.scan(files);
        // the capabilities sources read cpuinfo, topology, NUMA and look for emulators: record those too
        // (emulators found are archived as empty placeholders; a fixture root never runs them)
        // only the default emulator directories: the capturing shell's PATH says nothing about the host
        new CapabilitiesProbe(new CapabilitiesProbe.Options(host.disabledSources(),
                new QemuProbe.Settings(QemuProbe.DEFAULT_EMULATOR_DIRS, QemuProbe.DEFAULT_TIMEOUT),
                MachineTypeCache.inMemory())).probe(files);
        List<PciCapability> pci = new ArrayList<>();
        for (Device d : scan.tree().devices()) {
            d.capability(PciCapability.class).ifPresent(pci::add);
        }
        List<String> comments = List.of(
                "captured by 'hostdev capture" + (scrub ? " --scrub" : "") + "': " + scan.tree().size() + " devices",
                "format: docs/fixtures.md; replay: hostdev capture unpack FILE DIR && hostdev list --root DIR");
        Capture.Options options = new Capture.Options(scrub ? Scrubber.withRandomSalt() : null,
                PciIdsSubset.FOR_CAPTURE);
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

    @Command(name = "unpack", mixinStandardHelpOptions = true,
            description = "Unpack a fixture archive into an empty directory, to look at it or to run "
                    + "'hostdev list --root DIR' on it.")
    static final class Unpack implements Runnable {

        @Parameters(index = "0", paramLabel = "ARCHIVE",
                description = "The archive, e.g. tests/src/test/resources/fixtures/server.hda.")
        Path archive;

        @Parameters(index = "1", paramLabel = "DIR", description = "An empty or missing directory.")
        Path dir;

        @Option(names = "--unprivileged",
                description = "Show the tree as a non-root owner would see it, even when run as root: "
                        + "files without owner read permission become unreadable.")
        boolean unprivileged;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try {
                TreeArchive tree = TreeArchive.read(archive);
                Unpacker.unpack(tree, dir, unprivileged ? Unpacker.View.UNPRIVILEGED : Unpacker.View.AS_IS);
                spec.commandLine().getErr().println("hostdev: unpacked " + tree.entries().size() + " entries into "
                        + dir);
            } catch (ArchiveException e) {
                throw new Cli.CommandFailure(e.getMessage());
            } catch (java.io.IOException e) {
                throw new Cli.CommandFailure("cannot unpack " + archive + " into " + dir + ": " + e);
            }
        }
    }
}
