package io.hostdev.agent.cli;

import io.hostdev.agent.client.AgentClient;
import io.hostdev.agent.client.ApiException;
import io.hostdev.agent.client.ClientException;
import io.hostdev.agent.client.Problem;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Options of the commands that can ask a running agent instead of probing this host: where the
 * agent is, the token to show it, the CA to trust. Exit codes beyond {@link Cli}'s: {@link #RESYNC}.
 */
final class RemoteOptions {

    /** The agent cannot serve the cursor any more: list again and continue from its head. */
    static final int RESYNC = 3;

    @Option(names = "--url", paramLabel = "URL",
            description = "Ask the agent at URL (http://127.0.0.1:PORT, https://HOST:PORT) instead of probing this host.")
    String url;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Send the token in FILE as a bearer token: a file holding just the token, or the agent's "
                    + "token file ('SCOPE TOKEN' lines: the first read token is used). Never printed.")
    Path tokenFile;

    @Option(names = "--cacert", paramLabel = "FILE",
            description = "Trust the PEM certificates in FILE (a private CA, the agent's own certificate) for an "
                    + "https:// URL, instead of the system's CAs.")
    Path caCert;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long to wait to connect to the agent and for its answer (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    boolean active() {
        return url != null;
    }

    /**
     * Fails on the options that only mean something without {@code --url}, and on {@code --url}'s own
     * options given without it.
     */
    void check(CommandSpec spec, String... localOnly) {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        if (!active()) {
            for (String o : List.of("--token-file", "--cacert", "--timeout")) {
                if (parsed.hasMatchedOption(o)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), o + " needs --url");
                }
            }
            return;
        }
        List<String> given = new ArrayList<>();
        for (String o : localOnly) {
            if (parsed.hasMatchedOption(o)) {
                given.add(o);
            }
        }
        if (!given.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--url and " + String.join(", ", given)
                    + " exclude each other: the agent probes its own host with its own settings");
        }
        if (timeoutSeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be at least 1 second");
        }
    }

    AgentClient client() {
        try {
            return AgentClient.create(url, tokenFile, caCert, Duration.ofSeconds(timeoutSeconds));
        } catch (ClientException e) {
            throw new Cli.CommandFailure(e.getMessage());
        }
    }

    /**
     * Prints an error answer the way the local commands print the same error, and returns the exit
     * code: a selector error with the expression and a caret under the column (2), any other 400 (2),
     * a resync (3), the rest as one line (1).
     */
    static int report(ApiException e, String selector, PrintWriter err) {
        Problem p = e.problem();
        if (p.status() == 400 && p.column() != null && selector != null) {
            err.println("hostdev: bad selector: " + p.oneLine());
            err.println("  " + printable(selector));
            err.println("  " + " ".repeat(Math.max(0, p.column() - 1)) + "^");
            err.flush();
            return Cli.USAGE;
        }
        if (p.status() == 410) {
            err.println("hostdev: resync needed: " + p.oneLine()
                    + (p.head() != null ? "; list again, then continue from " + p.head() : ""));
            err.flush();
            return RESYNC;
        }
        err.println("hostdev: " + p.oneLine());
        err.flush();
        return p.status() == 400 ? Cli.USAGE : Cli.FAILED;
    }

    /** Control characters as spaces, so that the caret stays under the right character (as locally). */
    private static String printable(String expression) {
        StringBuilder line = new StringBuilder();
        expression.codePoints().forEach(cp -> line.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        return line.toString();
    }
}
