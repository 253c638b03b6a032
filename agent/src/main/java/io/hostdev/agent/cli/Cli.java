package io.hostdev.agent.cli;

import picocli.CommandLine;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Runs the {@code hostdev} command line with the given streams, so tests drive the real CLI in
 * process. Exit codes: 0 success, 1 the request failed (unknown device, unreadable root...),
 * 2 usage error.
 */
public final class Cli {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private Cli() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        PrintWriter outWriter = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter errWriter = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        CommandLine cl = new CommandLine(new HostdevCommand());
        cl.setOut(outWriter);
        cl.setErr(errWriter);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CommandFailure f) {
                commandLine.getErr().println("hostdev: " + f.getMessage());
                return FAILED;
            }
            commandLine.getErr().println("hostdev: " + e);
            Logger.getLogger("io.hostdev").log(Level.FINE, "command failed", e);
            return FAILED;
        });
        int code = cl.execute(args);
        outWriter.flush();
        errWriter.flush();
        return code;
    }

    /** Routes JDK logging to stderr, one line per record; quiet unless {@code verbose}. */
    static void configureLogging(boolean verbose) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord r) {
                String msg = "hostdev: " + r.getLevel().getName().toLowerCase(java.util.Locale.ROOT) + ": "
                        + formatMessage(r) + System.lineSeparator();
                if (r.getThrown() != null && verbose) {
                    java.io.StringWriter sw = new java.io.StringWriter();
                    r.getThrown().printStackTrace(new PrintWriter(sw));
                    msg += sw;
                }
                return msg;
            }
        });
        Level level = verbose ? Level.FINE : Level.WARNING;
        handler.setLevel(level);
        root.addHandler(handler);
        root.setLevel(level);
    }

    /** A failure to report in one line without a stack trace. */
    static final class CommandFailure extends RuntimeException {
        CommandFailure(String message) {
            super(message);
        }
    }
}
