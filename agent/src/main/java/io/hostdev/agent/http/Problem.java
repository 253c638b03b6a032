package io.hostdev.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An RFC 9457 problem document ({@code application/problem+json}): {@code type}, {@code title},
 * {@code status}, {@code detail}, then the members of its case ({@code column}, {@code suggestions},
 * {@code candidates}, {@code reason}, {@code head}, {@code resync}...). API-specific types are
 * {@code urn:hostdev:problem:NAME} (docs/http-api.md lists them); plain HTTP failures (unknown path,
 * wrong method, request too large) are {@code about:blank}, whose title is the status's phrase.
 */
record Problem(String type, String title, int status, String detail, Map<String, Object> members) {

    static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        members = members == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    /** A problem of hostdev's own type {@code urn:hostdev:problem:NAME}. */
    static Problem of(String name, String title, int status, String detail) {
        return new Problem("urn:hostdev:problem:" + name, title, status, detail, Map.of());
    }

    /** A plain HTTP failure: {@code about:blank}, titled with the status's phrase. */
    static Problem http(int status, String detail) {
        return new Problem("about:blank", phrase(status), status, detail, Map.of());
    }

    Problem with(String member, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(members);
        m.put(member, value);
        return new Problem(type, title, status, detail, m);
    }

    /** The document on one line, without a line end (an SSE {@code data:} line takes it as it is). */
    String json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("type", type);
        doc.put("title", title);
        doc.put("status", status);
        if (detail != null) {
            doc.put("detail", detail);
        }
        doc.putAll(members);
        try {
            return MAPPER.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reason phrases of the statuses this API answers; others get a generic title. */
    static String phrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> status >= 500 ? "Server Error" : "Client Error";
        };
    }
}
