package org.exkb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kb serve} as an operator starts it: a process of its own, listening, stopped by SIGTERM. */
class ServeCommandTest {

    @Test
    void serveStartsFromTheCommandLineAndStopsGracefullyOnSigterm(@TempDir Path dir) throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "diagnose 0123456789abcdef0123\n");
        Path log = dir.resolve("serve.out");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.exkb.cli.Main", "serve", "--port", "0",
                "--cases", dir.resolve("cases").toString(), "--tokens", tokens.toString(),
                "--access-log", dir.resolve("access.log").toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String url = null;
            String seen = "";
            long until = System.nanoTime() + 60_000_000_000L;
            while (url == null && System.nanoTime() < until && p.isAlive()) {
                Thread.sleep(100);
                seen = Files.readString(log);
                Matcher m = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)").matcher(seen);
                if (m.find()) {
                    url = m.group(1);
                }
            }
            assertTrue(url != null, "kb serve says where it listens: " + seen);
            assertTrue(seen.contains("1 token(s)") && seen.contains("probes: none allowed"), seen);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode());
            HttpResponse<String> d = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/diagnose"))
                    .header("Authorization", "Bearer 0123456789abcdef0123").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"symptoms\":[\"hr=0x80072f0d\"]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, d.statusCode(), d.body());

            p.destroy();   // SIGTERM
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "kb serve stops on SIGTERM");
            String rest = Files.readString(log);
            assertFalse(rest.contains("Exception"), "a clean stop: " + rest);
            assertTrue(Files.readString(dir.resolve("access.log")).contains("POST /v1/diagnose"), "the access log was written");
            final String base = url;
            assertTrue(assertRefused(http, base), "nothing listens after the stop");
        } finally {
            p.destroyForcibly();
        }
    }

    private static boolean assertRefused(HttpClient http, String url) {
        try {
            http.send(HttpRequest.newBuilder(URI.create(url + "/v1/health")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return false;
        } catch (Exception refused) {
            return true;
        }
    }

    @Test
    void badSettingsAreUsageErrorsNamingTheSetting(@TempDir Path dir) throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "superuser 0123456789abcdef0123\n");
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"serve", "--port", "0", "--cases", dir.toString(), "--tokens", tokens.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        assertEquals(Main.EXIT_USAGE, code);
        assertTrue(err.toString().contains(tokens + " entry 1") && err.toString().contains("superuser"), err.toString());

        err = new StringWriter();
        code = Main.run(new String[] {"serve", "--port", "0", "--cases", dir.toString(), "--allow-probe", "10.0.0.0/40"},
                new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        assertEquals(Main.EXIT_USAGE, code);
        assertTrue(err.toString().contains("10.0.0.0/40"), err.toString());

        err = new StringWriter();
        code = Main.run(new String[] {"serve", "--port", "0", "--bind", "0.0.0.0", "--cases", dir.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        assertEquals(Main.EXIT_USAGE, code);
        assertTrue(err.toString().contains("without API tokens"), err.toString());
    }
}
