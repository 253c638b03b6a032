package io.hostdev.agent.cli;

import io.hostdev.agent.http.HttpSettings;
import io.hostdev.agent.testing.AgentEndpoint;
import io.hostdev.agent.testing.JournalBackedService;
import io.hostdev.agent.testing.TcpProxy;
import io.hostdev.agent.testing.Trees;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.ModelJson;
import io.hostdev.model.host.Capabilities;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hostdev list|show|capabilities|changes --url} against the agent's real HTTP server: the same
 * host probed locally and served by the agent must print byte for byte the same, errors included. A
 * {@link TcpProxy} in front shows what the client sent where a test needs to see it.
 */
class RemoteCliTest {

    @TempDir
    Path root;

    @TempDir
    Path state;

    JournalBackedService service;
    AgentEndpoint agent;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Run local(String... args) {
        return run(with(args, "--root", root.toString()));
    }

    Run remote(String... args) {
        return run(with(args, "--url", agent.url()));
    }

    static String[] with(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** The CliTest host: a virtio NIC with eth0 and a disk, a serial port, a memory block; plus an arch. */
    static void layOut(Path root) {
        FakeSysfs fs = new FakeSysfs(root);
        fs.busDevice("pci0000:00/0000:00:03.0", "pci").uevent("PCI_SLOT_NAME=0000:00:03.0", "PCI_ID=1AF4:1041",
                "PCI_CLASS=20000").driver("pci", "virtio-pci");
        fs.busDevice("pci0000:00/0000:00:03.0/virtio2", "virtio").driver("virtio", "virtio_net").attr("device", "0x0001");
        fs.classDevice("pci0000:00/0000:00:03.0/virtio2/net/eth0", "net").uevent("INTERFACE=eth0", "IFINDEX=2")
                .attr("address", "02:fc:00:00:00:01").attr("operstate", "up").attr("mtu", "1500")
                .attr("iflink", "2").attr("ifindex", "2").attr("type", "1")
                .link("device", "sys/devices/pci0000:00/0000:00:03.0/virtio2");
        fs.classDevice("pci0000:00/0000:00:03.0/virtio2/block/vda", "block")
                .uevent("MAJOR=254", "MINOR=0", "DEVNAME=vda", "DEVTYPE=disk").attr("size", "2048");
        fs.classDevice("virtual/tty/ttyS0", "tty").uevent("DEVNAME=ttyS0");
        fs.busDevice("system/memory/memory0", "memory");
        fs.file("proc/sys/kernel/arch", "x86_64\n");
    }

    @BeforeEach
    void serve() throws Exception {
        layOut(root);
        // the endpoint serves exactly what the local command sees
        Run listed = local("list", "--output", "json");
        assertThat(listed.code()).isZero();
        DeviceTree tree = DeviceTree.of(ModelJson.readDevices(ModelJson.reader().readTree(listed.out())
                .get("devices").toString()));
        service = JournalBackedService.open(state, tree);
        agent = AgentEndpoint.serve(service);
    }

    @AfterEach
    void stop() {
        agent.close();
        service.close();
    }

    void serveCapabilities() throws Exception {
        Run caps = local("capabilities", "--output", "json", "--machine-cache", "none");
        assertThat(caps.code()).isZero();
        service.capabilities(ModelJson.reader().readValue(caps.out(), Capabilities.class));
    }

    @Nested
    class List_ {

        @ParameterizedTest(name = "--output {0}")
        @ValueSource(strings = {"table", "tree", "json", "yaml", "xml"})
        void printsWhatTheLocalCommandPrints(String format) {
            Run here = local("list", "--output", format);
            Run there = remote("list", "--output", format);

            assertThat(there.err()).isEmpty();
            assertThat(there.code()).isZero();
            assertThat(there.out()).isEqualTo(here.out());
        }

        @ParameterizedTest(name = "--output {0}")
        @ValueSource(strings = {"table", "tree", "json", "yaml", "xml"})
        void withASelectorToo(String format) {
            Run here = local("list", "--selector", "cap='net' or subsystem='virtio'", "--output", format);
            Run there = remote("list", "--selector", "cap='net' or subsystem='virtio'", "--output", format);

            assertThat(there.out()).isEqualTo(here.out()).isNotEmpty();
            assertThat(there.code()).isZero();
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"--summary", "--fields", "--buses", "--caps"})
        void summaryAndVocabularyAsLocally(String option) {
            Run here = local("list", option, "--selector", "bus='pci' or cap='storage'");
            Run there = remote("list", option, "--selector", "bus='pci' or cap='storage'");

            assertThat(there.out()).isEqualTo(here.out()).isNotEmpty();
        }

        @Test
        void theSelectorIsPassedToTheAgent() {
            try (TcpProxy proxy = TcpProxy.to(agent.port())) {
                Run r = run("list", "--selector", "cap='net' and name =~ \"eth.*\"", "--url", proxy.url());

                assertThat(r.code()).isZero();
                assertThat(proxy.requests()).extracting(TcpProxy.Request::target)
                        .containsExactly("/v1/devices?selector=cap%3D%27net%27%20and%20name%20%3D~%20%22eth.%2A%22");
            }
        }

        @Test
        void aBadSelectorShowsTheColumnLikeTheLocalCommand() {
            Run here = local("list", "--selector", "cap='net' and");
            Run there = remote("list", "--selector", "cap='net' and");

            assertThat(there.code()).isEqualTo(Cli.USAGE).isEqualTo(here.code());
            assertThat(there.err()).isEqualTo(here.err()).contains("column 14", "^");
        }
    }

    @Nested
    class Show {

        @ParameterizedTest(name = "--output {0}")
        @ValueSource(strings = {"json", "yaml", "xml"})
        void printsWhatTheLocalCommandPrints(String format) {
            Run here = local("show", "eth0", "--output", format);
            Run there = remote("show", "eth0", "--output", format);

            assertThat(there.out()).isEqualTo(here.out()).isNotEmpty();
            assertThat(there.code()).isZero();
        }

        @Test
        void aliasesWithSlashesAndColonsReachTheAgentWhole() {
            Run there = remote("show", "/sys/devices/pci0000:00/0000:00:03.0");

            assertThat(there.code()).isZero();
            assertThat(there.out()).isEqualTo(local("show", "0000:00:03.0").out());
        }

        @Test
        void anUnknownDeviceIsTheAgentsOneLineExit1() {
            Run there = remote("show", "eht0");

            assertThat(there.code()).isEqualTo(Cli.FAILED);
            assertThat(there.out()).isEmpty();
            assertThat(there.err()).isEqualTo("hostdev: no device 'eht0'; did you mean eth0?\n");
        }

        @Test
        void xmlOfADeviceLibvirtCannotDescribeIsRefused() {
            Run there = remote("show", "memory0", "--output", "xml");

            assertThat(there.code()).isEqualTo(Cli.FAILED);
            assertThat(there.err()).startsWith("hostdev: ").doesNotContain("\n\n").hasLineCount(1);
        }
    }

    @Nested
    class Capabilities_ {

        @ParameterizedTest(name = "--output {0}")
        @ValueSource(strings = {"json", "yaml", "xml"})
        void printsWhatTheLocalCommandPrints(String format) throws Exception {
            serveCapabilities();
            Run here = local("capabilities", "--output", format, "--machine-cache", "none");
            Run there = remote("capabilities", "--output", format);

            assertThat(there.err()).isEmpty();
            assertThat(there.out()).isEqualTo(here.out()).isNotEmpty();
        }

        @Test
        void beforeTheFirstProbeTheAgentsAnswerIsOneLine() {
            Run there = remote("capabilities");

            assertThat(there.code()).isEqualTo(Cli.FAILED);
            assertThat(there.err()).isEqualTo("hostdev: the capabilities probe has not run yet\n");
        }
    }

    @Nested
    class Changes {

        private String addNic() {
            List<Device> devices = new ArrayList<>(service.current().tree().devices());
            devices.add(Trees.net("eth1", "pci_0000_00_03_0", "up", 1000L));
            devices.add(Trees.other("ttyS1", "tty", null));
            return service.update(DeviceTree.of(devices)).encoded();
        }

        @Test
        void aTableOfCursorKindNameAndFieldsThenWhereToContinue() {
            String head = addNic();
            List<Device> devices = new ArrayList<>(service.current().tree().devices());
            devices.replaceAll(d -> d.name().equals("net_eth1")
                    ? Trees.net("eth1", "pci_0000_00_03_0", "down", 1000L) : d);
            String head2 = service.update(DeviceTree.of(devices)).encoded();

            Run r = remote("changes", "--since", head);

            assertThat(r.code()).isZero();
            assertThat(r.out()).isEqualTo("CURSOR" + " ".repeat(40) + "KIND     NAME      FIELDS\n"
                    + head2 + "  updated  net_eth1  net.link.state\n\n1 event; next: " + head2 + "\n");
        }

        @Test
        void theSelectorsViewAsJson() throws Exception {
            addNic();

            Run r = remote("changes", "--selector", "cap='net'", "--output", "json");

            var doc = ModelJson.reader().readTree(r.out());
            assertThat(doc.get("events")).hasSize(1);
            assertThat(doc.get("events").get(0).get("event").get("name").asText()).isEqualTo("net_eth1");
            assertThat(doc.get("events").get(0).get("event").get("kind").asText()).isEqualTo("added");
            assertThat(doc.get("head").asText()).isEqualTo(service.current().cursor().encoded());
            assertThat(doc.get("more").asBoolean()).isFalse();
        }

        @Test
        void aLimitSaysMoreFollow() {
            addNic();

            Run r = remote("changes", "--limit", "1");

            assertThat(r.out()).contains("1 event; next: ").contains("; more follow: --since ");
        }

        @Test
        void aCursorFromAnotherJournalIsAResyncExit3(@TempDir Path other) {
            String foreign;
            try (JournalBackedService elsewhere = JournalBackedService.open(other, service.current().tree())) {
                List<Device> devices = new ArrayList<>(service.current().tree().devices());
                devices.add(Trees.other("ttyS9", "tty", null));
                foreign = elsewhere.update(DeviceTree.of(devices)).encoded();
            }

            Run r = remote("changes", "--since", foreign);

            assertThat(r.code()).isEqualTo(RemoteOptions.RESYNC);
            assertThat(r.err()).startsWith("hostdev: resync needed: ")
                    .contains("list again, then continue from " + service.current().cursor().encoded());
        }

        @Test
        void aMalformedCursorIsAUsageError() {
            Run r = remote("changes", "--since", "nonsense");

            assertThat(r.code()).isEqualTo(Cli.USAGE);
            assertThat(r.err()).startsWith("hostdev: malformed cursor").hasLineCount(1);
        }

        @Test
        void changesNeedsAnAgent() {
            Run r = run("changes");

            assertThat(r.code()).isEqualTo(Cli.USAGE);
            assertThat(r.err()).contains("give its --url");
        }
    }

    @Nested
    class Options {

        @Test
        void urlAndRootExcludeEachOther() {
            Run r = run("list", "--url", agent.url(), "--root", root.toString());

            assertThat(r.code()).isEqualTo(Cli.USAGE);
            assertThat(r.err()).contains("--url and --root exclude each other");
        }

        @Test
        void localCapabilitiesOptionsAreRefusedWithUrl() {
            Run r = run("capabilities", "--url", agent.url(), "--emulator-dir", "/opt/qemu/bin");

            assertThat(r.code()).isEqualTo(Cli.USAGE);
            assertThat(r.err()).contains("--url and --emulator-dir exclude each other");
        }

        @Test
        void aTokenFileWithoutUrlIsAUsageError() {
            Run r = run("list", "--root", root.toString(), "--token-file", "t");

            assertThat(r.code()).isEqualTo(Cli.USAGE);
            assertThat(r.err()).contains("--token-file needs --url");
        }

        @Test
        void anAgentThatIsNotThereIsOneLineExit1() throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }

            Run r = run("list", "--url", "http://127.0.0.1:" + port);

            assertThat(r.code()).isEqualTo(Cli.FAILED);
            assertThat(r.err()).isEqualTo("hostdev: cannot reach the agent at http://127.0.0.1:" + port
                    + ": connection refused\n");
        }
    }

    @Nested
    class Tokens {

        static final String READ = "r3ad-t0ken-0123456789";
        static final String ADMIN = "adm1n-t0ken-0123456789";

        @TempDir
        Path dir;

        /** The agent's own token file, which the client reads too (it sends the first read token). */
        Path serveWithTokens() throws Exception {
            Path tokens = AgentEndpoint.tokenFile(dir.resolve("tokens"), "# the agent's own file\nadmin " + ADMIN + "\n"
                    + "read " + READ + "\n");
            agent.close();
            agent = AgentEndpoint.serve(service, s -> s.withTokenFile(tokens));
            return tokens;
        }

        @Test
        void theReadTokenIsSentAsBearerAndNeverPrinted() throws Exception {
            Path tokens = serveWithTokens();
            try (TcpProxy proxy = TcpProxy.to(agent.port())) {
                Run with = run("list", "--url", proxy.url(), "--token-file", tokens.toString(), "--output", "json");
                Run without = run("list", "--url", proxy.url());

                assertThat(with.err()).isEmpty();
                assertThat(with.code()).isZero();
                assertThat(with.out()).isEqualTo(local("list", "--output", "json").out());
                assertThat(without.code()).isEqualTo(Cli.FAILED);
                assertThat(without.err()).isEqualTo("hostdev: this endpoint needs an 'Authorization: Bearer TOKEN' "
                        + "header\n");
                assertThat(proxy.requests()).extracting(r -> r.header("Authorization"))
                        .containsExactly("Bearer " + READ, null);
                assertThat(with.out() + with.err() + without.out() + without.err())
                        .doesNotContain(READ).doesNotContain(ADMIN);
            }
        }

        @Test
        void aFileHoldingJustTheTokenWorksToo() throws Exception {
            serveWithTokens();
            Path token = Files.writeString(dir.resolve("token"), ADMIN + "\n");

            Run r = remote("show", "eth0", "--token-file", token.toString());

            assertThat(r.code()).isZero();
            assertThat(r.out()).isEqualTo(local("show", "eth0").out());
        }

        @Test
        void aWrongTokenIsRefusedWithoutShowingIt() throws Exception {
            serveWithTokens();
            Path token = Files.writeString(dir.resolve("token"), "wr0ng-t0ken-0123456789\n");

            Run r = remote("show", "eth0", "--token-file", token.toString());

            assertThat(r.code()).isEqualTo(Cli.FAILED);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEqualTo("hostdev: the bearer token is not one of this agent's\n");
        }
    }

    @Nested
    class Tls {

        @TempDir
        Path dir;

        /** A self-signed certificate for 127.0.0.1 made by the JDK's keytool, in a PKCS#12 file and as PEM. */
        private HttpSettings.Tls keytool(Path p12, Path pem) throws Exception {
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(keytool), "no keytool in java.home: skipped");
            exec(keytool.toString(), "-genkeypair", "-alias", "agent", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=hostdev test", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore",
                    p12.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
            exec(keytool.toString(), "-exportcert", "-rfc", "-alias", "agent", "-keystore", p12.toString(),
                    "-storepass", "changeit", "-file", pem.toString());
            return new HttpSettings.Tls.Pkcs12(p12, Files.writeString(dir.resolve("password"), "changeit\n"));
        }

        private void exec(String... command) throws Exception {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(said).isZero();
        }

        @Test
        void anHttpsAgentIsTrustedThroughTheGivenCaFile() throws Exception {
            Path pem = dir.resolve("agent.pem");
            String plain = remote("list", "--output", "json").out();
            HttpSettings.Tls tls = keytool(dir.resolve("agent.p12"), pem);
            agent.close();
            agent = AgentEndpoint.serve(service, s -> s.withTls(tls));

            Run trusted = remote("list", "--output", "json", "--cacert", pem.toString());
            Run untrusted = remote("list");

            assertThat(agent.url()).startsWith("https://");
            assertThat(trusted.err()).isEmpty();
            assertThat(trusted.code()).isZero();
            assertThat(trusted.out()).isEqualTo(plain);
            assertThat(untrusted.code()).isEqualTo(Cli.FAILED);
            assertThat(untrusted.err()).startsWith("hostdev: cannot reach the agent at " + agent.url()
                    + ": TLS handshake failed: ").hasLineCount(1);
        }

        @Test
        void aCaFileWithoutCertificatesIsSaidSo() throws Exception {
            Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");

            Run r = run("list", "--url", "https://127.0.0.1:1", "--cacert", empty.toString());

            assertThat(r.code()).isEqualTo(Cli.FAILED);
            assertThat(r.err()).startsWith("hostdev: the CA file " + empty).hasLineCount(1);
        }
    }
}
