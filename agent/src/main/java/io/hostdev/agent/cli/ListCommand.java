package io.hostdev.agent.cli;

import io.hostdev.exporters.JsonExporter;
import io.hostdev.exporters.ListSummary;
import io.hostdev.exporters.TableExporter;
import io.hostdev.exporters.TreeExporter;
import io.hostdev.exporters.YamlExporter;
import io.hostdev.exporters.libvirt.LibvirtView;
import io.hostdev.exporters.libvirt.NodeDeviceXmlExporter;
import io.hostdev.probes.sysfs.SysfsScan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List every device of the host.")
final class ListCommand implements Runnable {

    @Mixin
    HostOptions host;

    @Option(names = "--tree", description = "Same as --output tree.")
    boolean tree;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
            description = "tree, table, json, yaml or xml (libvirt node-device documents in a <devices> element; "
                    + "only the devices libvirt's node-device XML can describe) (default: table, or tree with --tree).")
    OutputFormat output;

    @Option(names = "--summary", description = "Print only the count of devices per subsystem and the exclusions.")
    boolean summaryOnly;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        SysfsScan scan = host.scan();
        ListSummary summary = ListSummary.of(scan.tree(), scan.excluded());
        PrintWriter out = spec.commandLine().getOut();
        if (summaryOnly) {
            out.print(summary.table());
            return;
        }
        OutputFormat format = output != null ? output : tree ? OutputFormat.TREE : OutputFormat.TABLE;
        String text = switch (format) {
            case TREE -> TreeExporter.render(scan.tree(), summary);
            case TABLE -> TableExporter.render(scan.tree().devices(), summary);
            case JSON -> JsonExporter.devices(scan.tree().devices(), summary);
            case YAML -> YamlExporter.devices(scan.tree().devices(), summary);
            case XML -> NodeDeviceXmlExporter.devices(LibvirtView.of(scan.tree()));
        };
        out.print(text);
        out.flush();
    }
}
