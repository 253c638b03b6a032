package io.hostdev.agent.cli;

import io.hostdev.agent.client.ApiException;
import io.hostdev.agent.client.ChangesPage;
import io.hostdev.agent.client.ClientException;
import io.hostdev.model.ModelJson;
import io.hostdev.model.change.ChangeEvent;
import io.hostdev.model.change.FieldChange;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "changes", mixinStandardHelpOptions = true,
        description = "The changes a running agent recorded after a cursor (or all it keeps), as a selector sees them: "
                + "a device that starts matching is 'added', one that stops is 'removed'.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the events (maybe none)", "1:the agent could not be asked, or failed",
                "2:usage error: bad option, selector or cursor",
                "3:the cursor is too old (or from another journal): list again and continue from the head"})
final class ChangesCommand implements Callable<Integer> {

    @Mixin
    RemoteOptions remote;

    @Option(names = "--since", paramLabel = "CURSOR",
            description = "Only the events after CURSOR (a cursor from list --output json, changes or watch --output "
                    + "json). Default: from the oldest event the agent keeps.")
    String since;

    @Option(names = {"-s", "--selector"}, paramLabel = "EXPR", description = "Only the changes of the devices that "
            + "match, e.g. \"cap='net'\" (docs/selectors.md).")
    String selector;

    @Option(names = "--limit", paramLabel = "N",
            description = "Read at most N events (the agent's default is 1000, its maximum 10000); 'next' says where "
                    + "to continue.")
    Integer limit;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (cursor, kind, name, changed fields) or json (the agent's page: events, next, head, "
                    + "more) (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!remote.active()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "changes asks a running agent (hostdev agent): give its --url");
        }
        remote.check(spec);
        if (output != OutputFormat.TABLE && output != OutputFormat.JSON) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "changes prints a table or json, not " + output.name().toLowerCase(Locale.ROOT));
        }
        if (limit != null && limit < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1");
        }
        ChangesPage page;
        try {
            page = remote.client().changes(since, selector, limit);
        } catch (ApiException e) {
            return RemoteOptions.report(e, selector, spec.commandLine().getErr());
        } catch (ClientException e) {
            throw new Cli.CommandFailure(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(output == OutputFormat.JSON ? ModelJson.toJson(page.document()) : table(page));
        out.flush();
        return Cli.OK;
    }

    /** One row per event, then where to continue. */
    static String table(ChangesPage page) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"CURSOR", "KIND", "NAME", "FIELDS"});
        for (ChangesPage.Entry e : page.events()) {
            rows.add(new String[] {e.cursor() == null ? "-" : e.cursor(), e.event().kind().json(), e.event().name(),
                    fields(e.event())});
        }
        int[] width = new int[3];
        for (String[] r : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                line.append(r[i]).append(" ".repeat(width[i] - r[i].length() + 2));
            }
            line.append(r[3]);
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        int n = page.events().size();
        sb.append('\n').append(n).append(n == 1 ? " event" : " events").append("; next: ").append(page.next());
        if (page.more()) {
            sb.append("; more follow: --since ").append(page.next());
        }
        return sb.append('\n').toString();
    }

    /** The changed fields of an update, comma-separated; "-" for an addition or removal. */
    static String fields(ChangeEvent e) {
        if (e.changes().isEmpty()) {
            return "-";
        }
        return e.changes().stream().map(FieldChange::field).collect(Collectors.joining(","));
    }
}
