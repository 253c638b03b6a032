package io.hostdev.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.hostdev.agent.client.ApiException;
import io.hostdev.agent.client.ClientException;
import io.hostdev.agent.client.Problem;
import io.hostdev.agent.client.Watch;
import io.hostdev.model.ModelJson;
import io.hostdev.model.change.ChangeEvent;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Follow a running agent's changes as they happen, one line per event: KIND NAME [FIELDS]. "
                + "A dropped connection is resumed where it stopped; nothing is lost or repeated.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"1:the agent could not be asked, refused, or could not be reached within --retries",
                "2:usage error: bad option, selector or cursor",
                "3:resync: the agent could not keep up with this watcher, or the cursor is too old; list again and "
                        + "watch --since the head it names"})
final class WatchCommand implements Callable<Integer> {

    private static final ObjectWriter LINE = ModelJson.configure(JsonMapper.builder()).build().writer();

    /** How events are printed. */
    enum Format {
        /** {@code added NAME}, {@code removed NAME}, {@code updated NAME FIELD,FIELD...}. */
        TEXT,
        /** One JSON object per line: {@code {"cursor": C, "event": {...}}}. */
        JSON
    }

    @Mixin
    RemoteOptions remote;

    @Option(names = {"-s", "--selector"}, paramLabel = "EXPR", description = "Only the changes of the devices that "
            + "match, e.g. \"cap='net'\": a device that starts matching is 'added', one that stops is 'removed'.")
    String selector;

    @Option(names = "--since", paramLabel = "CURSOR",
            description = "Start after CURSOR (from list --output json, changes, or a previous watch --output json), "
                    + "with the events since then. Default: from now.")
    String since;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (KIND NAME [FIELDS]) or json (JSON lines with each event's cursor) "
                    + "(default: ${DEFAULT-VALUE}).")
    Format output;

    @Option(names = "--retries", paramLabel = "N",
            description = "Give up after N failed reconnection attempts in a row (default: never).")
    Integer retries;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "45",
            description = "Reconnect when nothing, not even a heartbeat, arrives for this long (default: "
                    + "${DEFAULT-VALUE}; the agent sends a heartbeat every 15 s).")
    long idleTimeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!remote.active()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "watch follows a running agent (hostdev agent): give its --url");
        }
        remote.check(spec);
        if (retries != null && retries < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--retries must not be negative");
        }
        if (idleTimeout < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--idle-timeout must be at least 1 second");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Watch watch;
        try {
            watch = remote.client().watch(selector, since).idleTimeout(Duration.ofSeconds(idleTimeout))
                    .maxRetries(retries);
        } catch (ClientException e) {
            throw new Cli.CommandFailure(e.getMessage());
        }
        Problem resync;
        try {
            resync = watch.run(new Watch.Listener() {
                @Override
                public void event(String cursor, ChangeEvent event) {
                    out.println(output == Format.JSON ? jsonLine(cursor, event) : textLine(event));
                    // a pipe must see each event when it happens, not when a buffer fills
                    out.flush();
                }

                @Override
                public void reconnecting(String why, Duration delay) {
                    err.println("hostdev: watch: " + why + "; reconnecting in " + delay.toMillis() + " ms");
                    err.flush();
                }
            });
        } catch (ApiException e) {
            return RemoteOptions.report(e, selector, err);
        } catch (ClientException e) {
            throw new Cli.CommandFailure(e.getMessage());
        }
        err.println("hostdev: resync needed: " + resync.oneLine()
                + (resync.head() != null ? "; list again, then watch --since " + resync.head() : ""));
        err.flush();
        return RemoteOptions.RESYNC;
    }

    /** {@code KIND NAME}, and for an update its changed fields, comma-separated. */
    static String textLine(ChangeEvent e) {
        String line = e.kind().json() + " " + e.name();
        return e.kind() == ChangeEvent.Kind.UPDATED && !e.changes().isEmpty()
                ? line + " " + ChangesCommand.fields(e) : line;
    }

    static String jsonLine(String cursor, ChangeEvent event) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("cursor", cursor);
        line.put("event", event);
        try {
            return LINE.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
