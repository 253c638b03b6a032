package io.hostdev.agent.cli;

import io.hostdev.agent.client.AgentClient;
import io.hostdev.agent.client.ApiException;
import io.hostdev.agent.client.ClientException;
import io.hostdev.exporters.JsonExporter;
import io.hostdev.exporters.YamlExporter;
import io.hostdev.exporters.libvirt.CapabilitiesXmlExporter;
import io.hostdev.model.host.Capabilities;
import io.hostdev.probes.CapabilitiesProbe;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.virt.MachineTypeCache;
import io.hostdev.probes.virt.QemuProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

@Command(name = "capabilities", mixinStandardHelpOptions = true,
        description = "What this host can run: its CPU, NUMA cells, caches, IOMMU and the guests its hypervisors and "
                + "emulators offer, like `virsh capabilities`.")
final class CapabilitiesCommand implements Runnable {

    @Mixin
    HostOptions host;

    @Mixin
    RemoteOptions remote;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "json",
            description = "json, yaml or xml (libvirt's capabilities document) (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Option(names = "--emulator-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "The most one emulator may take to list its machine types (default: ${DEFAULT-VALUE}).")
    long emulatorTimeout;

    @Option(names = "--emulator-dir", paramLabel = "DIR",
            description = "Also look for qemu-system-* in DIR (repeatable), after PATH and the default directories.")
    java.util.List<String> emulatorDirs = java.util.List.of();

    @Option(names = "--machine-cache", paramLabel = "FILE",
            description = "Where emulators' machine types are remembered, by binary path, mtime and size (default: "
                    + "$XDG_CACHE_HOME/hostdev/qemu-machine-types.json or ~/.cache/...). 'none' keeps them in memory.")
    String machineCache;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (output != OutputFormat.JSON && output != OutputFormat.YAML && output != OutputFormat.XML) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "capabilities prints json, yaml or xml, not " + output.name().toLowerCase(Locale.ROOT));
        }
        remote.check(spec, "--root", "--exclude", "--pci-ids", "--disable", "--emulator-timeout", "--emulator-dir",
                "--machine-cache");
        if (remote.active()) {
            spec.commandLine().getOut().print(remoteText());
            spec.commandLine().getOut().flush();
            return;
        }
        Cli.configureLogging(host.verbose);
        HostRoot root = host.hostRoot();
        QemuProbe.Settings found = QemuProbe.Settings.forRoot(root, Duration.ofSeconds(Math.max(1, emulatorTimeout)));
        java.util.List<String> dirs = new java.util.ArrayList<>(found.searchDirs());
        for (String d : emulatorDirs) {
            String abs = Path.of(d).toAbsolutePath().normalize().toString();
            if (!dirs.contains(abs)) {
                dirs.add(abs);
            }
        }
        CapabilitiesProbe.Options options = new CapabilitiesProbe.Options(host.disabledSources(),
                new QemuProbe.Settings(dirs, found.timeout()), cache());
        Capabilities caps = new CapabilitiesProbe(options).probe(HostFiles.of(root));
        if (output == OutputFormat.XML && (caps.host().cpu() == null || caps.host().cpu().arch() == null)) {
            // libvirt's document requires the host architecture; making one up would be worse than saying so
            throw new Cli.CommandFailure("the capabilities XML needs the host CPU architecture, and none could be "
                    + "read under " + root.path() + " (proc/cpuinfo, proc/sys/kernel/arch); json and yaml show the rest");
        }
        String text = switch (output) {
            case XML -> CapabilitiesXmlExporter.write(caps);
            case YAML -> YamlExporter.capabilities(caps);
            default -> JsonExporter.capabilities(caps);
        };
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
    }

    /** The agent's document, rendered by the same exporters (its XML as it sends it); its error as one line. */
    private String remoteText() {
        try {
            AgentClient client = remote.client();
            return switch (output) {
                case XML -> client.capabilitiesXml();
                case YAML -> YamlExporter.capabilities(client.capabilities());
                default -> JsonExporter.capabilities(client.capabilities());
            };
        } catch (ApiException | ClientException e) {
            throw new Cli.CommandFailure(e.getMessage());
        }
    }

    private MachineTypeCache cache() {
        if ("none".equals(machineCache)) {
            return MachineTypeCache.inMemory();
        }
        if (machineCache != null) {
            return MachineTypeCache.persistent(Path.of(machineCache));
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return MachineTypeCache.persistent(base.resolve("hostdev").resolve("qemu-machine-types.json"));
    }
}
