package io.hostdev.agent.cli;

import io.hostdev.agent.client.AgentClient;
import io.hostdev.agent.client.ApiException;
import io.hostdev.agent.client.ClientException;
import io.hostdev.agent.client.Listing;
import io.hostdev.exporters.JsonExporter;
import io.hostdev.exporters.ListSummary;
import io.hostdev.exporters.TableExporter;
import io.hostdev.exporters.TreeExporter;
import io.hostdev.exporters.YamlExporter;
import io.hostdev.exporters.libvirt.LibvirtView;
import io.hostdev.exporters.libvirt.NodeDeviceXmlExporter;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceMatcher;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.ModelJson;
import io.hostdev.model.select.Fields;
import io.hostdev.model.select.Selector;
import io.hostdev.model.select.SelectorSyntaxException;
import io.hostdev.model.select.Vocabulary;
import io.hostdev.probes.sysfs.SysfsScan;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List every device of the host, or those a selector matches.")
final class ListCommand implements Callable<Integer> {

    @Mixin
    HostOptions host;

    @Mixin
    RemoteOptions remote;

    @Option(names = "--tree", description = "Same as --output tree.")
    boolean tree;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
            description = "tree, table, json, yaml or xml (libvirt node-device documents in a <devices> element; "
                    + "only the devices libvirt's node-device XML can describe) (default: table, or tree with --tree).")
    OutputFormat output;

    @Option(names = {"-s", "--selector"}, paramLabel = "EXPR",
            description = "Only the devices that match, e.g. \"bus='pci' and cap='net'\" (docs/selectors.md). "
                    + "The tree shows their ancestors too, in parentheses.")
    String selector;

    @Option(names = "--summary", description = "Print only the count of devices per subsystem and the exclusions.")
    boolean summaryOnly;

    @ArgGroup(exclusive = true)
    Vocab vocab;

    /** What a selector can name on this host, instead of the devices. */
    static final class Vocab {
        @Option(names = "--fields", description = "List the selector fields the devices have, with their type and "
                + "how many devices have each (what exists(FIELD) selects).")
        boolean fields;

        @Option(names = "--buses", description = "List the buses, with how many devices bus='BUS' selects.")
        boolean buses;

        @Option(names = "--caps", description = "List the capability types, with how many devices cap='TYPE' selects.")
        boolean caps;
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        remote.check(spec, "--root", "--exclude", "--pci-ids", "--disable");
        Selector parsed = null;
        // with --url the agent parses the selector: its answer carries the column of an error
        if (selector != null && !remote.active()) {
            try {
                parsed = Selector.parse(selector);
            } catch (SelectorSyntaxException e) {
                // a usage error, like a bad option: the message, then the expression with a caret under the column
                PrintWriter err = spec.commandLine().getErr();
                err.println("hostdev: bad selector: " + e.getMessage());
                for (String line : e.pointer().split("\n", -1)) {
                    err.println("  " + line);
                }
                err.flush();
                return Cli.USAGE;
            }
        }
        OutputFormat format = output != null ? output : tree ? OutputFormat.TREE : OutputFormat.TABLE;
        if (vocab != null && format != OutputFormat.TABLE && format != OutputFormat.JSON) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--fields, --buses and --caps print a table or json, not " + format.name().toLowerCase(Locale.ROOT));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (remote.active()) {
            try {
                return remoteList(remote.client(), format, out);
            } catch (ApiException e) {
                return RemoteOptions.report(e, selector, spec.commandLine().getErr());
            } catch (ClientException e) {
                throw new Cli.CommandFailure(e.getMessage());
            }
        }
        SysfsScan scan = host.scan();
        DeviceTree all = scan.tree();
        List<Device> devices = parsed == null ? all.devices() : parsed.select(all);
        ListSummary summary = parsed == null ? ListSummary.of(all, scan.excluded())
                : new ListSummary(devices.size(), ListSummary.of(devices).bySubsystem(), scan.excluded());
        Set<String> chosen = parsed == null ? null : ListSummary.names(devices);
        if (format == OutputFormat.XML && vocab == null && !summaryOnly) {
            out.print(NodeDeviceXmlExporter.devices(LibvirtView.of(all), d -> chosen == null || chosen.contains(d.name())));
            out.flush();
            return Cli.OK;
        }
        return print(out, format, all, devices, summary, parsed != null ? parsed : DeviceMatcher.ALL, chosen);
    }

    /**
     * The same views from an agent's answers: the listing as it sends it, and for the tree and the
     * vocabulary, which need every device, the whole listing too, taken at the same cursor.
     */
    private int remoteList(AgentClient client, OutputFormat format, PrintWriter out) {
        if (format == OutputFormat.XML && vocab == null && !summaryOnly) {
            out.print(client.devicesXml(selector));
            out.flush();
            return Cli.OK;
        }
        Listing selected = client.devices(selector);
        DeviceTree all = null;
        Set<String> chosen = null;
        if (vocab != null || format == OutputFormat.TREE) {
            if (selector == null) {
                all = DeviceTree.of(selected.devices());
            } else {
                Listing whole = client.devices(null);
                // a probe cycle between the two requests would mix two states: ask again (cursors name states)
                for (int i = 0; i < 3 && !java.util.Objects.equals(whole.cursor(), selected.cursor()); i++) {
                    selected = client.devices(selector);
                    whole = client.devices(null);
                }
                all = DeviceTree.of(whole.devices());
                chosen = ListSummary.names(selected.devices());
            }
        }
        Set<String> matched = chosen;
        DeviceMatcher matcher = matched == null ? DeviceMatcher.ALL : (d, c) -> matched.contains(d.name());
        ListSummary summary = selected.summary() != null ? selected.summary()
                : ListSummary.of(selected.devices());
        return print(out, format, all, selected.devices(), summary, matcher, chosen);
    }

    private int print(PrintWriter out, OutputFormat format, DeviceTree all, List<Device> devices, ListSummary summary,
                      DeviceMatcher matcher, Set<String> chosen) {
        if (vocab != null) {
            out.print(vocabulary(Vocabulary.of(all, matcher), format));
            out.flush();
            return Cli.OK;
        }
        if (summaryOnly) {
            out.print(summary.table());
            out.flush();
            return Cli.OK;
        }
        String text = switch (format) {
            case TREE -> TreeExporter.render(all, chosen, summary);
            case TABLE -> TableExporter.render(devices, summary);
            case JSON -> JsonExporter.devices(devices, summary);
            case YAML -> YamlExporter.devices(devices, summary);
            case XML -> throw new IllegalStateException("xml is written before");
        };
        out.print(text);
        out.flush();
        return Cli.OK;
    }

    private String vocabulary(Vocabulary v, OutputFormat format) {
        return format == OutputFormat.JSON ? ModelJson.toJson(vocabularyDoc(v)) : vocabularyTable(v);
    }

    private String vocabularyTable(Vocabulary v) {
        StringBuilder sb = new StringBuilder();
        if (vocab.fields) {
            table(sb, List.of("FIELD", "TYPE", "DEVICES"), fieldRows(v));
        } else if (vocab.buses) {
            table(sb, List.of("BUS", "DEVICES"), rows(v.buses()));
        } else {
            table(sb, List.of("CAP", "DEVICES"), rows(v.caps()));
        }
        return sb.toString();
    }

    private Object vocabularyDoc(Vocabulary v) {
        Map<String, Object> doc = new LinkedHashMap<>();
        if (vocab.fields) {
            Map<String, Object> fields = new LinkedHashMap<>();
            v.fields().forEach((path, n) -> {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("type", type(path).label());
                f.put("devices", n);
                fields.put(path, f);
            });
            doc.put("fields", fields);
        } else if (vocab.buses) {
            doc.put("buses", v.buses());
        } else {
            doc.put("caps", v.caps());
        }
        return doc;
    }

    private static Fields.Type type(String path) {
        return Fields.lookup(path).map(Fields.Field::type).orElse(Fields.Type.STRING);
    }

    private static List<List<String>> fieldRows(Vocabulary v) {
        List<List<String>> rows = new ArrayList<>();
        v.fields().forEach((path, n) -> rows.add(List.of(path, type(path).label(), Integer.toString(n))));
        return rows;
    }

    private static List<List<String>> rows(Map<String, Integer> counts) {
        List<List<String>> rows = new ArrayList<>();
        counts.forEach((k, n) -> rows.add(List.of(k, Integer.toString(n))));
        return rows;
    }

    private static void table(StringBuilder sb, List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> r : all) {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        for (List<String> r : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                line.append(r.get(i));
                if (i < r.size() - 1) {
                    line.append(" ".repeat(width[i] - r.get(i).length() + 2));
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
