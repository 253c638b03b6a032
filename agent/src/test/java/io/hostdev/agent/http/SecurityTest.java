package io.hostdev.agent.http;

import io.hostdev.agent.testing.JournalBackedService;
import io.hostdev.model.ModelJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import javax.net.ssl.SSLContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Loopback-only by default, TLS (PEM and PKCS#12), bearer tokens and scopes, and secrets kept out of the logs. */
@Timeout(120)
class SecurityTest {

    static final String READ = "read-token-0123456789abcdefXYZ";
    static final String ADMIN = "admin-token-9876543210zyxwvuQRS";
    static final String UNKNOWN = "not-a-token-of-ours-5555555555";
    static final String P12_PASSWORD = "p12-secret-password-4242";

    @TempDir
    Path dir;

    ApiFixture api;
    /** The services under servers that are expected not to start. */
    final List<JournalBackedService> unstartedServices = new ArrayList<>();

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
        unstartedServices.forEach(JournalBackedService::close);
    }

    /** A server over a service without capabilities, not started: for the settings its start must refuse. */
    AgentHttpServer unstarted(HttpSettings settings) {
        JournalBackedService service = JournalBackedService.open(dir.resolve("j"), TestHost.tree());
        unstartedServices.add(service);
        return new AgentHttpServer(service, settings, () -> "");
    }

    Path tokenFile() throws IOException {
        Path f = dir.resolve("tokens");
        Files.writeString(f, "# hostdev tokens\nread  " + READ + "\n\nadmin\t" + ADMIN + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    Path passwordFile() throws IOException {
        Path f = dir.resolve("p12.password");
        Files.writeString(f, P12_PASSWORD + "\n");
        return f;
    }

    void start(UnaryOperator<HttpSettings> settings) {
        api = new ApiFixture(dir, TestHost.tree(), TestHost.capabilities("x86_64"), settings);
    }

    HttpResponse<String> call(String method, String path, String token) {
        HttpRequest.Builder b = api.request(path).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return api.send(b.build());
    }

    @Nested
    class Exposure {

        @Test
        void refusesANonLoopbackAddressWithoutTlsAndTokens() {
            AgentHttpServer s = unstarted(HttpSettings.loopback(0).withHost("0.0.0.0"));
            assertThatThrownBy(s::start).isInstanceOf(HttpSetupException.class)
                    .hasMessageContaining("refusing to listen on 0.0.0.0, which is not a loopback address")
                    .hasMessageContaining("TLS (a certificate and key) and a token file")
                    .hasMessageContaining("--insecure");
        }

        @Test
        void tokensWithoutTlsAreNotEnough() throws IOException {
            HttpSettings settings = HttpSettings.loopback(0).withHost("0.0.0.0").withTokenFile(tokenFile());
            assertThatThrownBy(() -> AgentHttpServer.checkExposure(java.net.InetAddress.getByName("0.0.0.0"), settings))
                    .isInstanceOf(HttpSetupException.class).hasMessageContaining("without TLS (a certificate and key):");
        }

        @Test
        void tlsWithoutTokensIsNotEnough() throws Exception {
            HttpSettings settings = HttpSettings.loopback(0).withHost("0.0.0.0")
                    .withTls(new HttpSettings.Tls.Pkcs12(dir.resolve("x.p12"), dir.resolve("pw")));
            assertThatThrownBy(() -> AgentHttpServer.checkExposure(java.net.InetAddress.getByName("0.0.0.0"), settings))
                    .isInstanceOf(HttpSetupException.class).hasMessageContaining("without a token file:");
        }

        @ParameterizedTest
        @ValueSource(strings = {"127.0.0.1", "::1", "localhost", "127.1.2.3"})
        void loopbackAddressesNeedNeither(String host) throws Exception {
            AgentHttpServer.checkExposure(java.net.InetAddress.getByName(host), HttpSettings.loopback(0).withHost(host));
        }

        @Test
        void insecureStartsOnAnyAddressAsAskedWithAWarning() {
            Logger log = Logger.getLogger("io.hostdev.http");
            Logs.Capture capture = new Logs.Capture();
            log.addHandler(capture);
            // the warning is the point of this test: keep it out of the build log
            log.setUseParentHandlers(false);
            try {
                start(s -> s.withHost("0.0.0.0").withInsecure(true));
            } finally {
                log.removeHandler(capture);
                log.setUseParentHandlers(true);
            }
            assertThat(capture.lines).anyMatch(l -> l.contains("WARNING HTTP API on 0.0.0.0 without TLS and tokens "
                    + "because --insecure was given"));
            HttpResponse<String> r = api.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + api.server.port() + "/healthz")).build());
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class Tokens {

        @Test
        void withoutATokenIs401WithABearerChallenge() throws IOException {
            Path tokens = tokenFile();
            start(s -> s.withTokenFile(tokens));
            HttpResponse<String> r = call("GET", "/v1/devices", null);
            HttpApiTest.assertProblem(r, 401, "about:blank");
            assertThat(r.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"hostdev\"");
        }

        @Test
        void anUnknownTokenIs401InvalidToken() throws IOException {
            Path tokens = tokenFile();
            start(s -> s.withTokenFile(tokens));
            HttpResponse<String> r = call("GET", "/v1/devices", UNKNOWN);
            HttpApiTest.assertProblem(r, 401, "about:blank");
            assertThat(r.headers().firstValue("www-authenticate"))
                    .hasValue("Bearer realm=\"hostdev\", error=\"invalid_token\"");
        }

        @ParameterizedTest
        @ValueSource(strings = {"Basic cmVhZDpyZWFk", "Bearer", "Bearer a b", "Token " + READ})
        void anAuthorizationThatIsNotBearerIs401(String header) throws IOException {
            Path tokens = tokenFile();
            start(s -> s.withTokenFile(tokens));
            HttpResponse<String> r = api.send(api.request("/v1/devices").header("Authorization", header).build());
            HttpApiTest.assertProblem(r, 401, "about:blank");
        }

        @Test
        void aReadTokenReadsButAnAdminEndpointIs403() throws IOException {
            Path tokens = tokenFile();
            start(s -> s.withTokenFile(tokens));
            assertThat(call("GET", "/v1/devices", READ).statusCode()).isEqualTo(200);
            assertThat(call("GET", "/metrics", READ).statusCode()).isEqualTo(200);
            HttpResponse<String> r = call("POST", "/v1/probes/sysfs/run", READ);
            HttpApiTest.assertProblem(r, 403, "about:blank");
            assertThat(r.headers().firstValue("www-authenticate"))
                    .hasValue("Bearer realm=\"hostdev\", error=\"insufficient_scope\", scope=\"admin\"");
            assertThat(api.agent.runRequests()).isEmpty();
            assertThat(call("POST", "/v1/probes/sysfs/run", ADMIN).statusCode()).isEqualTo(202);
            assertThat(call("GET", "/v1/devices", ADMIN).statusCode()).isEqualTo(200);
            assertThat(api.agent.runRequests()).containsExactly("sysfs");
        }

        @Test
        void healthAndReadinessNeedNoToken() throws IOException {
            Path tokens = tokenFile();
            start(s -> s.withTokenFile(tokens));
            assertThat(call("GET", "/healthz", null).statusCode()).isEqualTo(200);
            assertThat(call("GET", "/readyz", null).statusCode()).isEqualTo(200);
            assertThat(call("GET", "/v1/openapi.json", null).statusCode()).isEqualTo(401);
        }

        @Test
        void unknownPathsAskForATokenBeforeSayingTheyDoNotExist() throws IOException {
            Path tokens = tokenFile();
            start(s -> s.withTokenFile(tokens));
            assertThat(call("GET", "/v1/secret-admin-page", null).statusCode()).isEqualTo(401);
            assertThat(call("GET", "/v1/secret-admin-page", READ).statusCode()).isEqualTo(404);
        }

        @Test
        void watchStreamsNeedAToken() throws IOException {
            Path tokens = tokenFile();
            start(s -> s.withTokenFile(tokens));
            try (SseClient none = SseClient.open(api.server.port(), "/v1/watch", Map.of());
                 SseClient good = SseClient.open(api.server.port(), "/v1/watch", Map.of("Authorization",
                         "Bearer " + READ))) {
                assertThat(none.status()).isEqualTo(401);
                assertThat(good.status()).isEqualTo(200);
                assertThat(good.nextEvent(Duration.ofSeconds(10)).event()).isEqualTo("head");
            }
        }

        @Test
        void aTokenFileWithABadLineStopsTheStartNamingTheLineNotTheToken() throws IOException {
            Path f = dir.resolve("bad-tokens");
            Files.writeString(f, "read " + READ + "\nwrite " + ADMIN + "\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            AgentHttpServer s = unstarted(HttpSettings.loopback(0).withTokenFile(f));
            assertThatThrownBy(s::start).isInstanceOf(HttpSetupException.class)
                    .hasMessageContaining("line 2: the scope must be 'read' or 'admin'")
                    .hasMessageNotContaining(ADMIN).hasMessageNotContaining(READ);
        }
    }

    @Nested
    class Tls {

        HttpClient client(SSLContext ctx) {
            return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
        }

        HttpResponse<String> get(HttpClient c, String path, String token) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.server.url() + path));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        @ParameterizedTest
        @ValueSource(strings = {"EC", "RSA"})
        void servesHttpsFromAPkcs12FileAndItsPasswordFile(String keyAlg) throws Exception {
            Path store = TlsFiles.keytoolPkcs12(dir, "server", keyAlg, P12_PASSWORD);
            Path pw = passwordFile();
            Path tokens = tokenFile();
            start(s -> s.withTls(new HttpSettings.Tls.Pkcs12(store, pw)).withTokenFile(tokens));
            assertThat(api.server.url()).startsWith("https://127.0.0.1:");
            HttpClient c = client(TlsFiles.trusting(store, P12_PASSWORD));
            assertThat(get(c, "/healthz", null).statusCode()).isEqualTo(200);
            assertThat(get(c, "/v1/devices", null).statusCode()).isEqualTo(401);
            HttpResponse<String> r = get(c, "/v1/devices/eth0", READ);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(ModelJson.readDevice(r.body()).name()).isEqualTo(TestHost.ETH0);
        }

        @Test
        void servesHttpsFromPemWrittenFromTheSameIdentity() throws Exception {
            Path store = TlsFiles.keytoolPkcs12(dir, "server", "EC", P12_PASSWORD);
            Path[] pem = TlsFiles.pemFromPkcs12(store, P12_PASSWORD, dir, "server");
            start(s -> s.withTls(new HttpSettings.Tls.Pem(pem[0], pem[1])));
            HttpClient c = client(TlsFiles.trusting(store, P12_PASSWORD));
            assertThat(get(c, "/healthz", null).body()).isEqualTo("ok\n");
        }

        @ParameterizedTest
        @ValueSource(strings = {"rsa:2048", "ec", "ed25519"})
        void servesHttpsFromOpensslPem(String newkey) throws Exception {
            assumeTrue(TlsFiles.opensslPresent(), "openssl is not installed: the openssl PEM case is skipped");
            Path[] pem = TlsFiles.opensslPem(dir, "ossl", newkey.equals("ec")
                    ? List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256") : List.of("-newkey", newkey));
            start(s -> s.withTls(new HttpSettings.Tls.Pem(pem[0], pem[1])));
            java.security.cert.Certificate cert;
            try (var in = Files.newInputStream(pem[0])) {
                cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            HttpClient c = client(TlsFiles.trusting(cert));
            assertThat(get(c, "/healthz", null).statusCode()).isEqualTo(200);
        }

        @Test
        void aWrongPkcs12PasswordStopsTheStartWithoutShowingIt() throws Exception {
            Path store = TlsFiles.keytoolPkcs12(dir, "server", "EC", P12_PASSWORD);
            Path pw = Files.writeString(dir.resolve("wrong"), "wrong-password-777\n");
            AgentHttpServer s = unstarted(HttpSettings.loopback(0).withTls(new HttpSettings.Tls.Pkcs12(store, pw)));
            assertThatThrownBy(s::start).isInstanceOf(HttpSetupException.class)
                    .hasMessageContaining("wrong password").hasMessageNotContaining("wrong-password-777")
                    .hasMessageNotContaining(P12_PASSWORD);
        }

        @Test
        void aKeyThatIsNotTheCertificatesStopsTheStart() throws Exception {
            Path a = TlsFiles.keytoolPkcs12(dir, "a", "EC", P12_PASSWORD);
            Path b = TlsFiles.keytoolPkcs12(dir, "b", "EC", P12_PASSWORD);
            Path[] pa = TlsFiles.pemFromPkcs12(a, P12_PASSWORD, dir, "a");
            Path[] pb = TlsFiles.pemFromPkcs12(b, P12_PASSWORD, dir, "b");
            AgentHttpServer s = unstarted(HttpSettings.loopback(0).withTls(new HttpSettings.Tls.Pem(pa[0], pb[1])));
            assertThatThrownBy(s::start).isInstanceOf(HttpSetupException.class)
                    .hasMessageContaining("does not belong to the first certificate");
        }
    }

    @Nested
    class Logs {

        /** Every record logged anywhere in the JVM while installed, as its formatted text. */
        static final class Capture extends Handler {
            final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

            @Override
            public void publish(LogRecord r) {
                StringBuilder sb = new StringBuilder(r.getLoggerName() + " " + r.getLevel() + " " + r.getMessage());
                if (r.getParameters() != null) {
                    for (Object p : r.getParameters()) {
                        sb.append(' ').append(p);
                    }
                }
                for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
                    sb.append(' ').append(t);
                }
                try {
                    sb.append(' ').append(new java.util.logging.SimpleFormatter().formatMessage(r));
                } catch (RuntimeException e) {
                    // a message that does not format is still captured raw above
                }
                lines.add(sb.toString());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        }

        @Test
        void noTokenOrPasswordEverReachesTheLogEvenWithEverythingAtFinest() throws Exception {
            Logger root = Logger.getLogger("");
            Logger jetty = Logger.getLogger("org.eclipse.jetty");
            Logger ours = Logger.getLogger("io.hostdev");
            Level rootLevel = root.getLevel();
            Level jettyLevel = jetty.getLevel();
            Level oursLevel = ours.getLevel();
            Capture capture = new Capture();
            capture.setLevel(Level.ALL);
            root.addHandler(capture);
            root.setLevel(Level.ALL);
            jetty.setLevel(Level.ALL);
            ours.setLevel(Level.ALL);
            try {
                Path store = TlsFiles.keytoolPkcs12(dir, "server", "EC", P12_PASSWORD);
                Path pw = passwordFile();
                Path tokens = tokenFile();
                start(s -> s.withTls(new HttpSettings.Tls.Pkcs12(store, pw)).withTokenFile(tokens));
                HttpClient c = HttpClient.newBuilder().sslContext(TlsFiles.trusting(store, P12_PASSWORD)).build();
                for (String token : new String[] {READ, ADMIN, UNKNOWN, null}) {
                    for (String path : List.of("/v1/devices", "/v1/devices/nope", "/v1/changes?since=bad",
                            "/metrics", "/nowhere")) {
                        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.server.url() + path));
                        if (token != null) {
                            b.header("Authorization", "Bearer " + token);
                        }
                        c.send(b.build(), HttpResponse.BodyHandlers.ofString());
                    }
                    HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(api.server.url()
                            + "/v1/probes/sysfs/run")).POST(HttpRequest.BodyPublishers.noBody());
                    if (token != null) {
                        post.header("Authorization", "Bearer " + token);
                    }
                    c.send(post.build(), HttpResponse.BodyHandlers.ofString());
                }
                api.close();
                api = null;
            } finally {
                root.removeHandler(capture);
                root.setLevel(rootLevel);
                jetty.setLevel(jettyLevel);
                ours.setLevel(oursLevel);
            }
            // the capture saw the agent's own fine-grained lines, so it would have seen a token
            assertThat(capture.lines).anyMatch(l -> l.contains("401 (unknown token)"));
            assertThat(capture.lines).anyMatch(l -> l.contains("HTTP API listening on https://"));
            List<String> leaks = new ArrayList<>();
            for (String line : capture.lines) {
                for (String secret : List.of(READ, ADMIN, UNKNOWN, P12_PASSWORD)) {
                    if (line.contains(secret)) {
                        leaks.add(line);
                    }
                }
            }
            assertThat(leaks).isEmpty();
        }
    }
}
