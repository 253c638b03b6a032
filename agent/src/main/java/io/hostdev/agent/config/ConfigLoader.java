package io.hostdev.agent.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.hostdev.agent.config.ConfigNode.Entry;
import io.hostdev.agent.config.ConfigNode.Mapping;
import io.hostdev.agent.config.ConfigNode.Origin;
import io.hostdev.agent.config.ConfigNode.Scalar;
import io.hostdev.agent.config.ConfigNode.Sequence;
import io.hostdev.agent.journal.FsyncPolicy;
import io.hostdev.agent.journal.JournalConfig;
import io.hostdev.model.select.Selector;
import io.hostdev.model.select.SelectorSyntaxException;
import io.hostdev.probes.CapabilitiesProbe;
import io.hostdev.probes.sysfs.SysfsProbe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Makes an {@link AgentConfig} from a YAML file (optional), overrides from flags, and the defaults
 * ({@link AgentDefaults}). Flags win over the file, the file over the defaults. Unknown keys are
 * errors, since a misspelt key silently ignored is a setting silently not applied. Every error is one
 * {@link ConfigException} naming the file and line (or the flag), the key and the problem.
 */
public final class ConfigLoader {

    /** A file larger than this is no config file. */
    static final long MAX_FILE_BYTES = 1 << 20;

    /**
     * One value set on the command line.
     *
     * @param key   the dotted key ({@code probes.sysfs.interval})
     * @param value its text as in the file; empty for "unset" (back to the default)
     * @param flag  how messages name it ({@code --interval sysfs=3s})
     */
    public record Override(String key, String value, String flag) {
    }

    /**
     * What the defaults depend on.
     *
     * @param root       whether the agent runs as root (the default state directory)
     * @param env        the environment ({@code XDG_STATE_HOME})
     * @param home       the user's home directory
     * @param workingDir against which relative paths given as flags are resolved
     */
    public record Environment(boolean root, Map<String, String> env, Path home, Path workingDir) {

        public static Environment current() {
            long uid = new com.sun.security.auth.module.UnixSystem().getUid();
            return new Environment(uid == 0, System.getenv(), Path.of(System.getProperty("user.home")),
                    Path.of("").toAbsolutePath());
        }
    }

    private ConfigLoader() {
    }

    /**
     * Loads the configuration.
     *
     * @param file the config file, or null for none
     * @throws ConfigException for anything wrong, in one line
     */
    public static AgentConfig load(Path file, List<Override> overrides, Environment env) {
        if (file == null) {
            return parse("", "defaults", env.workingDir(), overrides, env);
        }
        Path abs = env.workingDir().resolve(file).normalize();
        String text;
        try {
            if (!Files.isRegularFile(abs)) {
                throw new ConfigException(file + ": no such config file");
            }
            if (Files.size(abs) > MAX_FILE_BYTES) {
                throw new ConfigException(file + ": larger than " + MAX_FILE_BYTES + " bytes; not a config file");
            }
            text = Files.readString(abs, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage());
        }
        return parse(text, file.toString(), abs.getParent(), overrides, env);
    }

    /** {@link #load} from the file's text; {@code name} is how messages name the file, {@code base} its directory. */
    static AgentConfig parse(String yaml, String name, Path base, List<Override> overrides, Environment env) {
        Mapping root = ConfigYaml.parse(yaml, name, base);
        for (Override o : overrides) {
            apply(root, o, env.workingDir());
        }
        return bind(new Section("", root), env);
    }

    /** Puts an override's value at its key, creating the mappings on the way and replacing what the file had. */
    private static void apply(Mapping root, Override o, Path workingDir) {
        Origin origin = new Origin(o.flag(), workingDir);
        String[] parts = o.key().split("\\.", -1);
        Mapping m = root;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                throw new ConfigException(o.flag() + ": '" + o.key() + "' is not a key (keys are dotted names: "
                        + "probes.sysfs.interval)");
            }
            if (i == parts.length - 1) {
                m.entries().put(part, new Entry(origin, new Scalar(o.value().isEmpty() ? null : o.value(), origin)));
                return;
            }
            Entry e = m.entries().get(part);
            if (e == null || !(e.value() instanceof Mapping)) {
                Mapping fresh = new Mapping(Map.of(), origin);
                m.entries().put(part, new Entry(origin, fresh));
                m = fresh;
            } else {
                m = (Mapping) e.value();
            }
        }
    }

    private static AgentConfig bind(Section top, Environment env) {
        ListenAddress listen = top.value("listen", ListenAddress::parse, AgentDefaults.LISTEN);
        Path stateDir = top.path("stateDir", AgentDefaults.stateDir(env.root(), env.env(), env.home()));
        Path root = top.path("root", AgentDefaults.ROOT);
        boolean insecure = top.value("insecure", ConfigValues::bool, false);
        Duration shutdownTimeout = top.value("shutdownTimeout", positive(), AgentDefaults.SHUTDOWN_TIMEOUT);

        Section tlsSection = top.section("tls");
        TlsConfig tls = new TlsConfig(tlsSection.file("certificate"), tlsSection.file("key"),
                tlsSection.file("keystore"), tlsSection.file("keystorePasswordFile"));
        tlsSection.finish();
        Section auth = top.section("auth");
        Path tokens = auth.file("tokens");
        auth.finish();

        Section l = top.section("limits");
        HttpLimits d = AgentDefaults.LIMITS;
        HttpLimits limits = new HttpLimits(
                l.value("maxSubscribers", t -> ConfigValues.integer(t, 1), d.maxSubscribers()),
                l.value("maxSelectorLength", t -> ConfigValues.integer(t, 1), d.maxSelectorLength()),
                l.value("maxRequestBytes", t -> atLeast(ConfigValues.bytes(t), 1024), d.maxRequestBytes()),
                l.value("heartbeat", positive(), d.heartbeat()),
                l.value("subscriberQueue", t -> ConfigValues.integer(t, 1), d.subscriberQueue()));
        l.finish();

        Section probes = top.section("probes");
        Section s = probes.section("sysfs");
        SysfsSettings sysfs = new SysfsSettings(schedule(s, AgentDefaults.SYSFS),
                s.strings("exclude", null),
                s.strings("disable", SysfsProbe.readerIds()),
                s.file("pciIds"),
                s.value("uevents", ConfigValues::bool, true));
        s.finish();
        Section c = probes.section("capabilities");
        CapabilitiesSettings capabilities = new CapabilitiesSettings(schedule(c, AgentDefaults.CAPABILITIES),
                c.strings("disable", CapabilitiesProbe.sourceIds()),
                c.strings("emulatorDirs", null),
                c.value("emulatorTimeout", positive(), AgentDefaults.EMULATOR_TIMEOUT));
        for (String dir : capabilities.emulatorDirs()) {
            if (!dir.startsWith("/")) {
                throw c.error("emulatorDirs", "'" + dir + "' is not an absolute path (as seen on the host)");
            }
        }
        c.finish();
        double maxShare = probes.value("maxShare", ConfigLoader::share, AgentDefaults.PROBE_MAX_SHARE);
        probes.finish();

        JournalConfig journal = journal(top.section("journal"));

        Section o = top.section("oshi");
        OshiSettings oshi = new OshiSettings(o.value("enabled", ConfigValues::bool, AgentDefaults.OSHI.enabled()),
                o.value("interval", positive(), AgentDefaults.OSHI.interval()),
                o.value("timeout", positive(), AgentDefaults.OSHI.timeout()));
        o.finish();

        Section metrics = top.section("metrics");
        Section facts = metrics.section("deviceFacts");
        String selector = facts.value("selector", t -> {
            try {
                Selector.parse(t);
                return t;
            } catch (SelectorSyntaxException e) {
                throw new IllegalArgumentException("not a selector: " + e.getMessage());
            }
        }, AgentDefaults.DEVICE_FACTS.selector());
        int maxSeries = facts.value("maxSeries", t -> ConfigValues.integer(t, 1), AgentDefaults.DEVICE_FACTS.maxSeries());
        facts.finish();
        metrics.finish();
        DbusSettings dbus = dbus(top.section("dbus"));
        top.finish();

        checkTls(tlsSection, tls);
        if (!Files.isDirectory(root)) {
            throw top.error("root", root + " is not a directory");
        }
        if (!listen.isLoopback() && !insecure && (!tls.enabled() || tokens == null)) {
            throw top.error("listen", listen + " is not a loopback address: serving on it needs TLS (tls.certificate and "
                    + "tls.key, or tls.keystore) and auth.tokens, or insecure: true (--insecure) to serve without them");
        }
        return new AgentConfig(listen, stateDir, root, insecure, tls, tokens, limits, sysfs, capabilities, journal,
                new DeviceFactsConfig(selector, maxSeries), shutdownTimeout, maxShare, oshi, dbus);
    }

    private static DbusSettings dbus(Section d) {
        DbusSettings defaults = AgentDefaults.DBUS;
        boolean enabled = d.value("enabled", ConfigValues::bool, defaults.enabled());
        String address = d.value("address", ConfigLoader::busAddress, defaults.address());
        // an empty value is "unset" as everywhere, but an explicit [] reads no source at all
        Entry given = d.mapping.entries().get("sources");
        boolean list = given != null && given.value() instanceof Sequence;
        List<String> sources = d.strings("sources", defaults.sources());
        d.finish();
        return new DbusSettings(enabled, address, sources.isEmpty() && !list ? defaults.sources() : sources);
    }

    /** A D-Bus address the bridge's transport can use: {@code unix:path=...} (D-Bus specification, "Server Addresses"). */
    static String busAddress(String text) {
        if (!text.startsWith("unix:") || !text.contains("path=")) {
            throw new IllegalArgumentException("'" + text + "' is not a unix:path= bus address (unix:path=SOCKET), "
                    + "the only transport the agent has");
        }
        return text;
    }

    private static ProbeSchedule schedule(Section s, ProbeSchedule d) {
        return new ProbeSchedule(s.value("enabled", ConfigValues::bool, d.enabled()),
                s.value("interval", positive(), d.interval()),
                s.value("timeout", positive(), d.timeout()),
                s.value("jitter", ConfigValues::duration, d.jitter()));
    }

    private static JournalConfig journal(Section j) {
        JournalConfig d = AgentDefaults.JOURNAL;
        JournalConfig out = new JournalConfig(
                j.value("maxRecords", t -> ConfigValues.integer(t, 1), d.maxRecords()),
                j.value("maxAge", positive(), d.maxAge()),
                j.value("segmentBytes", t -> between(ConfigValues.bytes(t), 1, 1L << 30), d.segmentBytes()),
                j.value("segmentRecords", t -> ConfigValues.integer(t, 1), d.segmentRecords()),
                j.value("fsync", FsyncPolicy::parse, d.fsync()),
                j.value("fsyncInterval", positive(), d.fsyncInterval()));
        j.finish();
        return out;
    }

    private static void checkTls(Section s, TlsConfig tls) {
        if (tls.certificate() != null && tls.keystore() != null) {
            throw s.error("keystore", "give either tls.certificate and tls.key (PEM) or tls.keystore (PKCS#12), not both");
        }
        if (tls.certificate() != null && tls.key() == null) {
            throw s.error("certificate", "tls.certificate needs tls.key, the PEM private key");
        }
        if (tls.key() != null && tls.certificate() == null) {
            throw s.error("key", "tls.key needs tls.certificate, the PEM certificate chain");
        }
        if (tls.keystore() != null && tls.keystorePasswordFile() == null) {
            throw s.error("keystore", "tls.keystore needs tls.keystorePasswordFile, a file holding its password");
        }
        if (tls.keystorePasswordFile() != null && tls.keystore() == null) {
            throw s.error("keystorePasswordFile", "tls.keystorePasswordFile needs tls.keystore");
        }
    }

    private static Function<String, Duration> positive() {
        return t -> {
            Duration d = ConfigValues.duration(t);
            if (d.isZero()) {
                throw new IllegalArgumentException("must be more than zero");
            }
            return d;
        };
    }

    private static long atLeast(long n, long min) {
        if (n < min) {
            throw new IllegalArgumentException("must be at least " + min + " bytes, not " + n);
        }
        return n;
    }

    private static long between(long n, long min, long max) {
        if (n < min || n > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + ConfigValues.formatBytes(max) + ", not "
                    + n);
        }
        return n;
    }

    /**
     * One mapping being read: remembers the keys read, so that {@link #finish} can reject the
     * rest, and names every problem with the value's origin and full key.
     */
    private static final class Section {
        private final String path;
        private final Mapping mapping;
        private final Set<String> known = new LinkedHashSet<>();

        Section(String path, Mapping mapping) {
            this.path = path;
            this.mapping = mapping;
        }

        String key(String k) {
            return path.isEmpty() ? k : path + "." + k;
        }

        Section section(String k) {
            known.add(k);
            Entry e = mapping.entries().get(k);
            if (e == null || (e.value() instanceof Scalar sc && sc.text() == null)) {
                return new Section(key(k), new Mapping(Map.of(), mapping.origin()));
            }
            if (!(e.value() instanceof Mapping m)) {
                throw new ConfigException(e.value().origin() + ": " + key(k) + ": expected a mapping of keys, found "
                        + ConfigNode.kind(e.value()));
            }
            return new Section(key(k), m);
        }

        /** The scalar at {@code k}; null when absent or null. */
        private Scalar scalar(String k) {
            known.add(k);
            Entry e = mapping.entries().get(k);
            if (e == null) {
                return null;
            }
            if (!(e.value() instanceof Scalar sc)) {
                throw new ConfigException(e.value().origin() + ": " + key(k) + ": expected a single value, found "
                        + ConfigNode.kind(e.value()));
            }
            return sc.text() == null ? null : sc;
        }

        <T> T value(String k, Function<String, T> parse, T fallback) {
            Scalar sc = scalar(k);
            if (sc == null) {
                return fallback;
            }
            try {
                return parse.apply(sc.text().strip());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(sc.origin() + ": " + key(k) + ": " + e.getMessage());
            }
        }

        Path path(String k, Path fallback) {
            Scalar sc = scalar(k);
            if (sc == null) {
                return fallback;
            }
            if (sc.text().isBlank()) {
                throw new ConfigException(sc.origin() + ": " + key(k) + ": an empty path");
            }
            return sc.origin().base().resolve(sc.text().strip()).normalize();
        }

        /** A path to an existing regular file, or null. */
        Path file(String k) {
            Path p = path(k, null);
            if (p != null && !Files.isRegularFile(p)) {
                throw error(k, p + ": no such file");
            }
            return p;
        }

        /**
         * A list of names, as a YAML list or one comma-separated value; each must be one of
         * {@code allowed} when that is given. Absent: the empty list.
         */
        List<String> strings(String k, List<String> allowed) {
            known.add(k);
            Entry e = mapping.entries().get(k);
            List<Scalar> items = new ArrayList<>();
            if (e == null) {
                return List.of();
            }
            if (e.value() instanceof Scalar sc) {
                if (sc.text() != null) {
                    for (String part : sc.text().split(",")) {
                        items.add(new Scalar(part, sc.origin()));
                    }
                }
            } else if (e.value() instanceof Sequence q) {
                for (ConfigNode n : q.items()) {
                    if (!(n instanceof Scalar sc) || sc.text() == null) {
                        throw new ConfigException(n.origin() + ": " + key(k) + ": expected a list of names, found "
                                + ConfigNode.kind(n) + " in it");
                    }
                    items.add(sc);
                }
            } else {
                throw new ConfigException(e.value().origin() + ": " + key(k) + ": expected a list, found a mapping");
            }
            Set<String> out = new LinkedHashSet<>();
            for (Scalar sc : items) {
                String v = sc.text().strip();
                if (v.isEmpty()) {
                    continue;
                }
                if (allowed != null && !allowed.contains(v)) {
                    throw new ConfigException(sc.origin() + ": " + key(k) + ": unknown id '" + v + "'; known: "
                            + String.join(", ", allowed));
                }
                out.add(v);
            }
            return List.copyOf(out);
        }

        ConfigException error(String k, String problem) {
            Entry e = mapping.entries().get(k);
            Origin at = e == null ? mapping.origin() : e.value().origin();
            return new ConfigException(at + ": " + key(k) + ": " + problem);
        }

        /** Rejects every key that was not read. */
        void finish() {
            for (Map.Entry<String, Entry> e : mapping.entries().entrySet()) {
                if (!known.contains(e.getKey())) {
                    throw new ConfigException(e.getValue().keyOrigin() + ": unknown key '" + key(e.getKey()) + "'; "
                            + (path.isEmpty() ? "the top level" : path) + " takes " + String.join(", ", known));
                }
            }
        }
    }

    /** A share of the time: a fraction in (0, 1] ({@code 0.05}) or a percentage ({@code 5%}). */
    static double share(String text) {
        String t = text.strip();
        boolean percent = t.endsWith("%");
        double v;
        try {
            v = Double.parseDouble(percent ? t.substring(0, t.length() - 1).strip() : t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a fraction such as 0.05 or a percentage such as 5%");
        }
        v = percent ? v / 100 : v;
        if (!(v > 0 && v <= 1)) {
            throw new IllegalArgumentException("expected a share above 0 and at most 1 (100%)");
        }
        return v;
    }

    /** The configuration as a config file that loads back to it: what {@code hostdev agent --print-config} shows. */
    public static String describe(AgentConfig c) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("listen", c.listen().toString());
        top.put("stateDir", c.stateDir().toString());
        top.put("root", c.root().toString());
        top.put("insecure", c.insecure());
        top.put("shutdownTimeout", ConfigValues.format(c.shutdownTimeout()));
        Map<String, Object> tls = new LinkedHashMap<>();
        putPath(tls, "certificate", c.tls().certificate());
        putPath(tls, "key", c.tls().key());
        putPath(tls, "keystore", c.tls().keystore());
        putPath(tls, "keystorePasswordFile", c.tls().keystorePasswordFile());
        if (!tls.isEmpty()) {
            top.put("tls", tls);
        }
        if (c.tokens() != null) {
            top.put("auth", Map.of("tokens", c.tokens().toString()));
        }
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("maxSubscribers", c.limits().maxSubscribers());
        limits.put("maxSelectorLength", c.limits().maxSelectorLength());
        limits.put("maxRequestBytes", ConfigValues.formatBytes(c.limits().maxRequestBytes()));
        limits.put("heartbeat", ConfigValues.format(c.limits().heartbeat()));
        limits.put("subscriberQueue", c.limits().subscriberQueue());
        top.put("limits", limits);
        Map<String, Object> probes = new LinkedHashMap<>();
        Map<String, Object> sysfs = schedule(c.sysfs().schedule());
        sysfs.put("exclude", c.sysfs().exclude());
        sysfs.put("disable", c.sysfs().disable());
        sysfs.put("uevents", c.sysfs().uevents());
        putPath(sysfs, "pciIds", c.sysfs().pciIds());
        probes.put("sysfs", sysfs);
        Map<String, Object> caps = schedule(c.capabilities().schedule());
        caps.put("disable", c.capabilities().disable());
        caps.put("emulatorDirs", c.capabilities().emulatorDirs());
        caps.put("emulatorTimeout", ConfigValues.format(c.capabilities().emulatorTimeout()));
        probes.put("capabilities", caps);
        probes.put("maxShare", c.probeMaxShare());
        top.put("probes", probes);
        Map<String, Object> journal = new LinkedHashMap<>();
        journal.put("maxRecords", c.journal().maxRecords());
        journal.put("maxAge", ConfigValues.format(c.journal().maxAge()));
        journal.put("segmentBytes", ConfigValues.formatBytes(c.journal().segmentBytes()));
        journal.put("segmentRecords", c.journal().segmentRecords());
        journal.put("fsync", c.journal().fsync().configName());
        journal.put("fsyncInterval", ConfigValues.format(c.journal().fsyncInterval()));
        top.put("journal", journal);
        Map<String, Object> oshi = new LinkedHashMap<>();
        oshi.put("enabled", c.oshi().enabled());
        oshi.put("interval", ConfigValues.format(c.oshi().interval()));
        oshi.put("timeout", ConfigValues.format(c.oshi().timeout()));
        top.put("oshi", oshi);
        Map<String, Object> facts = new LinkedHashMap<>();
        if (c.deviceFacts().selector() != null) {
            facts.put("selector", c.deviceFacts().selector());
        }
        facts.put("maxSeries", c.deviceFacts().maxSeries());
        top.put("metrics", Map.of("deviceFacts", facts));
        Map<String, Object> dbus = new LinkedHashMap<>();
        dbus.put("enabled", c.dbus().enabled());
        if (c.dbus().address() != null) {
            dbus.put("address", c.dbus().address());
        }
        dbus.put("sources", c.dbus().sources());
        top.put("dbus", dbus);
        try {
            return YAMLMapper.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .build()
                    .writeValueAsString(top);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> schedule(ProbeSchedule s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", s.enabled());
        m.put("interval", ConfigValues.format(s.interval()));
        m.put("timeout", ConfigValues.format(s.timeout()));
        m.put("jitter", ConfigValues.format(s.jitter()));
        return m;
    }

    private static void putPath(Map<String, Object> m, String key, Path p) {
        if (p != null) {
            m.put(key, p.toString());
        }
    }
}
