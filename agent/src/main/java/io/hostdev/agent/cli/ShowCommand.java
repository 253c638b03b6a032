package io.hostdev.agent.cli;

import io.hostdev.agent.client.AgentClient;
import io.hostdev.agent.client.ApiException;
import io.hostdev.agent.client.ClientException;
import io.hostdev.exporters.JsonExporter;
import io.hostdev.exporters.YamlExporter;
import io.hostdev.exporters.libvirt.LibvirtView;
import io.hostdev.exporters.libvirt.NodeDeviceXmlExporter;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.Lookup;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.sysfs.SysfsScan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show one device, found by name or alias (PCI address, interface, MAC, /dev node, sysfs path).")
final class ShowCommand implements Runnable {

    @Mixin
    HostOptions host;

    @Mixin
    RemoteOptions remote;

    @Parameters(paramLabel = "NAME", description = "Device name or alias.")
    String key;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "json",
            description = "json, yaml or xml (libvirt's node-device document, parent as libvirt shows it) "
                    + "(default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (output != OutputFormat.JSON && output != OutputFormat.YAML && output != OutputFormat.XML) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "show prints json or yaml (or libvirt xml), not " + output.name().toLowerCase(java.util.Locale.ROOT));
        }
        remote.check(spec, "--root", "--exclude", "--pci-ids", "--disable");
        if (remote.active()) {
            print(remoteText());
            return;
        }
        SysfsScan scan = host.scan();
        Device device = resolve(scan.tree(), key, host.hostRoot());
        print(switch (output) {
            case YAML -> YamlExporter.device(device);
            case XML -> xml(scan.tree(), device);
            default -> JsonExporter.device(device);
        });
    }

    private void print(String text) {
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
    }

    /** The agent's answer, rendered by the same exporters (its XML as it sends it); its error as one line. */
    private String remoteText() {
        try {
            AgentClient client = remote.client();
            return switch (output) {
                case XML -> client.deviceXml(key);
                case YAML -> YamlExporter.device(client.device(key));
                default -> JsonExporter.device(client.device(key));
            };
        } catch (ApiException | ClientException e) {
            throw new Cli.CommandFailure(e.getMessage());
        }
    }

    /** The device's libvirt document; a device libvirt's XML cannot describe is a failure, with the reason. */
    private static String xml(DeviceTree tree, Device device) {
        return LibvirtView.of(tree).get(device.name()).map(NodeDeviceXmlExporter::device)
                .orElseThrow(() -> new Cli.CommandFailure(LibvirtView.exclusion(device)
                        .orElse(device.name() + " is not a libvirt node device") + " (try --output json)"));
    }

    /**
     * Looks the key up; a path such as {@code /sys/class/net/eth0} that names no device as written
     * is resolved through its symlinks inside the root and tried again.
     */
    static Device resolve(DeviceTree tree, String key, HostRoot root) {
        Lookup lookup = tree.lookup(key);
        if (lookup instanceof Lookup.NotFound && key.startsWith("/")) {
            try {
                Path real = root.fromHostPath(key).toRealPath();
                if (root.contains(real)) {
                    Lookup again = tree.lookup(root.hostPath(real));
                    if (again instanceof Lookup.Found) {
                        lookup = again;
                    }
                }
            } catch (IOException | SecurityException e) {
                // not a path on this host: report the original lookup
            }
        }
        if (lookup instanceof Lookup.Found found) {
            return found.device();
        }
        if (lookup instanceof Lookup.Ambiguous amb) {
            throw new Cli.CommandFailure("'" + key + "' matches several devices: " + String.join(", ", amb.candidates())
                    + "; use one of the names");
        }
        Lookup.NotFound nf = (Lookup.NotFound) lookup;
        throw new Cli.CommandFailure("no device '" + key + "'" + (nf.suggestions().isEmpty() ? ""
                : "; did you mean " + String.join(", ", nf.suggestions()) + "?"));
    }
}
