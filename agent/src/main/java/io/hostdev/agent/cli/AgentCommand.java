package io.hostdev.agent.cli;

import io.hostdev.agent.config.AgentConfig;
import io.hostdev.agent.config.ConfigException;
import io.hostdev.agent.config.ConfigLoader;
import io.hostdev.agent.core.AgentCore;
import io.hostdev.agent.core.DbusEnrichment;
import io.hostdev.agent.core.HttpServerFactory;
import io.hostdev.agent.core.OshiEnrichment;
import io.hostdev.agent.core.StandardProbes;
import io.hostdev.agent.journal.JournalException;
import io.hostdev.agent.journal.JournalLockedException;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.sysfs.SysfsProbe;
import io.hostdev.probes.uevent.UeventMonitor;
import io.hostdev.probes.uevent.UeventOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "agent", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the agent: probes this host on a schedule, journals every device change in the state "
                + "directory, and serves devices, capabilities and changes over HTTP (docs/agent.md).",
                "Settings come from the defaults, then --config FILE, then the flags below."})
final class AgentCommand implements Callable<Integer> {

    /** The HTTP API and /metrics (AgentServer). */
    static final HttpServerFactory HTTP = new AgentServer();

    /** Quartz's own INFO/FINE lines (banners, every trigger acquisition) say nothing an operator needs; held so the level sticks. */
    private static final java.util.logging.Logger QUARTZ_LOG = java.util.logging.Logger.getLogger("org.quartz");

    /**
     * dbus-java logs a line per connection it opens and a SEVERE one per connection that dies: a bus
     * that goes away would repeat them on every retry. The bridge says what matters itself.
     */
    private static final java.util.logging.Logger DBUS_LOG = java.util.logging.Logger.getLogger("org.freedesktop.dbus");

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config file (every key: docs/agent.md).")
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Where the HTTP API listens (default 127.0.0.1:8742).")
    String listen;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Journal and state snapshot (default /var/lib/hostdev as root, else $XDG_STATE_HOME/hostdev "
                    + "or ~/.local/state/hostdev).")
    String stateDir;

    @Option(names = "--root", paramLabel = "DIR", description = "Host root: probes read DIR/sys, DIR/proc... (default /).")
    String root;

    @Option(names = "--insecure", description = "Serve on a non-loopback address without TLS and tokens.")
    boolean insecure;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain (with --tls-key).")
    String tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key.")
    String tlsKey;

    @Option(names = "--tls-keystore", paramLabel = "FILE", description = "PKCS#12 keystore (with --tls-keystore-password-file).")
    String tlsKeystore;

    @Option(names = "--tls-keystore-password-file", paramLabel = "FILE", description = "File holding the keystore's password.")
    String tlsKeystorePasswordFile;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Bearer tokens with their scopes (auth.tokens).")
    String tokenFile;

    @Option(names = "--fsync", paramLabel = "POLICY", description = "Journal fsync policy: always, interval or never.")
    String fsync;

    @Option(names = "--interval", paramLabel = "PROBE=DURATION", description = "A probe's interval, e.g. sysfs=5s (repeatable).")
    List<String> intervals = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "PROBE=DURATION", description = "A probe's timeout, e.g. capabilities=5m (repeatable).")
    List<String> timeouts = new ArrayList<>();

    @Option(names = "--disable-probe", paramLabel = "PROBE", split = ",", description = "Do not run these probes.")
    List<String> disabledProbes = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Any config key, e.g. journal.maxRecords=50000 or probes.sysfs.exclude=memory,tty (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--print-config", description = "Print the effective configuration as YAML and exit.")
    boolean printConfig;

    @Option(names = {"-v", "--verbose"}, description = "Log what the probes skip and why.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Cli.configureLogging(verbose);
        QUARTZ_LOG.setLevel(java.util.logging.Level.WARNING);
        DBUS_LOG.setLevel(verbose ? java.util.logging.Level.INFO : java.util.logging.Level.OFF);
        AgentConfig cfg;
        try {
            cfg = ConfigLoader.load(config, overrides(), ConfigLoader.Environment.current());
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("hostdev: " + e.getMessage());
            return Cli.USAGE;
        }
        if (printConfig) {
            spec.commandLine().getOut().print(ConfigLoader.describe(cfg));
            spec.commandLine().getOut().flush();
            return Cli.OK;
        }
        AgentCore core;
        try {
            core = AgentCore.open(AgentCore.Options.of(cfg), StandardProbes.of(cfg));
        } catch (JournalLockedException e) {
            throw new Cli.CommandFailure("another agent uses the state directory " + cfg.stateDir() + ": " + e.getMessage());
        } catch (JournalException e) {
            throw new Cli.CommandFailure(e.getMessage());
        }
        Thread hook = new Thread(core::close, "hostdev-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        HttpServerFactory.Server server;
        try {
            server = HTTP.start(core, cfg);
        } catch (Exception e) {
            core.close();
            Runtime.getRuntime().removeShutdownHook(hook);
            throw new Cli.CommandFailure("cannot serve on " + cfg.listen() + ": " + e.getMessage());
        }
        core.addCloseHook(server::close);
        core.start();
        String uevents = listenForUevents(core, cfg);
        // OSHI's read runs on a thread of its own, closed with the core (docs/oshi.md)
        String oshi = OshiEnrichment.start(core, cfg);
        String dbus = enrichWithDbus(core, cfg);
        spec.commandLine().getErr().println("hostdev: agent " + ProcessHandle.current().pid() + " started: "
                + (server.url() == null ? "not serving" : "serving on " + server.url())
                + ", state in " + cfg.stateDir() + ", epoch " + core.epoch() + " at sequence "
                + core.current().cursor().sequence() + "; " + uevents + "; " + dbus + "; " + oshi);
        spec.commandLine().getErr().flush();
        // SIGTERM runs the shutdown hook, which stops the core; then this returns and the JVM exits
        core.awaitClosed();
        return Cli.OK;
    }

    /**
     * Live change detection (docs/uevents.md): a burst of kernel uevents becomes one targeted
     * reprobe of the devices it names; a lost burst (overflow) becomes a full scan. Where netlink is
     * unavailable (a sandbox, another OS) the agent polls, and says so once.
     */
    private static String listenForUevents(AgentCore core, AgentConfig cfg) {
        if (!cfg.sysfs().schedule().enabled()) {
            return "no sysfs probe";
        }
        if (!cfg.sysfs().uevents()) {
            return "kernel uevents off (probes.sysfs.uevents), polling only";
        }
        HostRoot root = HostRoot.of(cfg.root());
        // where udevd runs (its control socket is there), its own events too: they come after its rules
        // ran, so a reprobe then also sees what udev made of the device (its database, its links)
        boolean udevd = java.nio.file.Files.exists(root.run().resolve("udev").resolve("control"));
        UeventMonitor.Open open = UeventMonitor.open(root, UeventOptions.defaults().withUdevGroup(udevd));
        if (open instanceof UeventMonitor.Available a) {
            UeventMonitor monitor = a.monitor();
            monitor.start(batch -> {
                if (batch.rescan()) {
                    core.requestRun(SysfsProbe.ID);
                } else {
                    Set<String> paths = new LinkedHashSet<>();
                    batch.sysPaths(root).forEach(p -> paths.add(root.hostPath(p)));
                    core.reprobe(paths, true);
                }
            });
            core.addCloseHook(monitor::close);
            return "kernel uevents" + (udevd ? " and udevd's" : "") + " trigger targeted reprobes";
        }
        return "kernel uevents " + open + ", polling only";
    }

    /** UDisks2, systemd and HAL facts over the tree, and their signals as reprobes (docs/dbus.md, "In the agent"). */
    private static String enrichWithDbus(AgentCore core, AgentConfig cfg) {
        if (!cfg.dbus().enabled() || cfg.dbus().sources().isEmpty()) {
            return "D-Bus off (dbus.enabled, dbus.sources)";
        }
        DbusEnrichment dbus = DbusEnrichment.start(core, DbusEnrichment.config(HostRoot.of(cfg.root()), cfg.dbus()));
        core.addCloseHook(dbus::close);
        return dbus.describe();
    }

    /** The flags as config overrides, in the order: named flags, then --set. */
    List<ConfigLoader.Override> overrides() {
        List<ConfigLoader.Override> out = new ArrayList<>();
        add(out, "listen", listen, "--listen");
        add(out, "stateDir", stateDir, "--state-dir");
        add(out, "root", root, "--root");
        if (insecure) {
            add(out, "insecure", "true", "--insecure");
        }
        add(out, "tls.certificate", tlsCert, "--tls-cert");
        add(out, "tls.key", tlsKey, "--tls-key");
        add(out, "tls.keystore", tlsKeystore, "--tls-keystore");
        add(out, "tls.keystorePasswordFile", tlsKeystorePasswordFile, "--tls-keystore-password-file");
        add(out, "auth.tokens", tokenFile, "--token-file");
        add(out, "journal.fsync", fsync, "--fsync");
        for (String i : intervals) {
            String[] kv = keyValue(i, "--interval", "PROBE=DURATION");
            add(out, "probes." + kv[0] + ".interval", kv[1], "--interval " + i);
        }
        for (String t : timeouts) {
            String[] kv = keyValue(t, "--timeout", "PROBE=DURATION");
            add(out, "probes." + kv[0] + ".timeout", kv[1], "--timeout " + t);
        }
        for (String p : disabledProbes) {
            if (!p.isBlank()) {
                add(out, "probes." + p.strip() + ".enabled", "false", "--disable-probe " + p.strip());
            }
        }
        for (String s : sets) {
            String[] kv = keyValue(s, "--set", "KEY=VALUE");
            add(out, kv[0], kv[1], "--set " + s);
        }
        return out;
    }

    private static void add(List<ConfigLoader.Override> out, String key, String value, String flag) {
        if (value != null) {
            out.add(new ConfigLoader.Override(key, value, flag));
        }
    }

    private static String[] keyValue(String text, String flag, String form) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException(flag + " " + text + ": expected " + form);
        }
        return new String[] {text.substring(0, eq).strip(), text.substring(eq + 1).strip()};
    }
}
