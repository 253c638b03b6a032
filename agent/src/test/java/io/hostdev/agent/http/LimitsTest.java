package io.hostdev.agent.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Oversize and malformed requests over a raw socket: problem documents with 413, 414 and 400, never a crash. */
class LimitsTest {

    static final int HEADER_BYTES = 2048;
    static final long BODY_BYTES = 1024;

    @TempDir
    Path dir;

    ApiFixture api;

    @BeforeEach
    void start() {
        api = new ApiFixture(dir, TestHost.tree(), TestHost.capabilities("x86_64"), s -> s.withLimits(
                s.limits().withMaxHeaderBytes(HEADER_BYTES).withMaxBodyBytes(BODY_BYTES)));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    record Answer(int status, Map<String, String> headers, String body) {
        JsonNode problem() {
            assertThat(headers.get("content-type")).isEqualTo("application/problem+json");
            return ApiFixture.json(body);
        }
    }

    Answer exchange(String head, byte[] body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", api.server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = new java.io.BufferedInputStream(s.getInputStream());
            String status = line(in);
            Map<String, String> headers = new LinkedHashMap<>();
            String h;
            while (!(h = line(in)).isEmpty()) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            String text = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            return new Answer(Integer.parseInt(status.split(" ")[1]), headers, text);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    @Test
    void aRequestLineOverTheLimitIs414() throws IOException {
        String selector = "name%3D%27" + "x".repeat(HEADER_BYTES) + "%27";
        Answer a = exchange("GET /v1/devices?selector=" + selector + " HTTP/1.1\r\nHost: x\r\n\r\n", new byte[0]);
        assertThat(a.status()).isEqualTo(414);
        JsonNode p = a.problem();
        assertThat(p.get("status").asInt()).isEqualTo(414);
        assertThat(p.get("title").asText()).isEqualTo("URI Too Long");
    }

    @Test
    void headersOverTheLimitAre413() throws IOException {
        Answer a = exchange("GET /v1/devices HTTP/1.1\r\nHost: x\r\nX-Padding: " + "p".repeat(HEADER_BYTES)
                + "\r\n\r\n", new byte[0]);
        assertThat(a.status()).isEqualTo(413);
        assertThat(a.problem().get("detail").asText()).contains("larger than this agent accepts");
    }

    @Test
    void aBodyOverTheLimitIs413() throws IOException {
        byte[] body = new byte[(int) BODY_BYTES + 1];
        Answer a = exchange("POST /v1/probes/sysfs/run HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length
                + "\r\n\r\n", body);
        assertThat(a.status()).isEqualTo(413);
        assertThat(a.problem().get("detail").asText()).isEqualTo("the request body is 1025 bytes; at most 1024 are "
                + "accepted");
        assertThat(api.agent.runRequests()).isEmpty();
    }

    @Test
    void aMalformedRequestIs400() throws IOException {
        Answer a = exchange("GET /v1/devices HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n", new byte[0]);
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.problem().get("type").asText()).isEqualTo("about:blank");
    }

    @Test
    void theServerStillAnswersAfterwards() throws IOException {
        exchange("GET /v1/devices?selector=" + "x".repeat(HEADER_BYTES * 2) + " HTTP/1.1\r\nHost: x\r\n\r\n",
                new byte[0]);
        Answer a = exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", new byte[0]);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEqualTo("ok\n");
    }

    @Test
    void headOnTheSameConnectionLeavesNoBodyBehind() throws IOException {
        try (Socket s = new Socket("127.0.0.1", api.server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /readyz HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(all).startsWith("HTTP/1.1 200 OK\r\n");
            int second = all.indexOf("HTTP/1.1 200 OK\r\n", 1);
            assertThat(second).isPositive();
            assertThat(all.substring(0, second)).endsWith("\r\n\r\n").doesNotContain("ok\n");
            assertThat(all).endsWith("ready\n");
        }
    }
}
