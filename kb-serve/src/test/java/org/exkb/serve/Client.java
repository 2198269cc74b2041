package org.exkb.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real HTTP client (the JDK's) against a service on 127.0.0.1; every answer is held to openapi.yaml. */
final class Client {
    private static final ObjectMapper JSON = new ObjectMapper();
    final String base;
    final String token;
    final OpenApiCheck api;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    Client(String base, String token, OpenApiCheck api) {
        this.base = base;
        this.token = token;
        this.api = api;
    }

    Client as(String otherToken) {
        return new Client(base, otherToken, api);
    }

    record Answer(int status, String type, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body);
            }
        }

        @Override
        public String toString() {
            return status + " " + type + " " + body;
        }
    }

    Answer send(String method, String path, String contentType, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String type = r.headers().firstValue("Content-Type").orElse(null);
            api.check(method, path.replaceFirst("\\?.*", ""), r.statusCode(), type, r.body());
            return new Answer(r.statusCode(), type, r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer get(String path) {
        return send("GET", path, null, null);
    }

    Answer delete(String path) {
        return send("DELETE", path, null, null);
    }

    Answer json(String method, String path, String json) {
        return send(method, path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    Answer upload(String path, Multipart m) {
        return send("POST", path, m.contentType(), m.bytes());
    }

    /** A multipart/form-data body written by hand, as any client sends it. */
    static final class Multipart {
        private final String boundary = "kbtest" + Long.toHexString(System.nanoTime());
        private final List<byte[]> parts = new ArrayList<>();

        Multipart json(String name, String json) {
            return part(name, null, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        Multipart file(String name, Path file) {
            try {
                return part(name, file.getFileName().toString(), "application/octet-stream", Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Multipart part(String name, String filename, String type, byte[] content) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                    + (filename == null ? "" : "; filename=\"" + filename + "\"") + "\r\nContent-Type: " + type + "\r\n\r\n";
            o.writeBytes(head.getBytes(StandardCharsets.UTF_8));
            o.writeBytes(content);
            o.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            parts.add(o.toByteArray());
            return this;
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        byte[] bytes() {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            parts.forEach(o::writeBytes);
            o.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return o.toByteArray();
        }
    }
}
