package org.exkb.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.exkb.engine.KnowledgeSamples;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.collect.casefile.CaseCodec;
import org.exkb.engine.testing.TestPki;
import org.exkb.engine.testing.TestTlsServer;
import org.exkb.serve.Client.Answer;
import org.exkb.serve.Client.Multipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service started for real on 127.0.0.1 and driven by a real HTTP client (and raw sockets where
 * a client misbehaves on purpose). Every answer is held to openapi.yaml; at the end every operation
 * it describes must have been exercised.
 */
class ServeTest {
    static final OpenApiCheck API = new OpenApiCheck();
    static final String DIAG = "diagnose-token-0123456789";
    static final String PROBE = "probe-token-0123456789ab";
    static final String ADMIN = "admin-token-0123456789abc";
    static final String TOKENS = "# roles\ndiagnose " + DIAG + "\nprobe " + PROBE + "\nadmin " + ADMIN + "\n";
    static final Path CAPTURE = KnowledgeSamples.file("capture-non-sni-reset", "capture.pcap");

    @TempDir
    static Path shared;
    static KbService service;
    static Client client;

    static KbService start(Path cases, UnaryOperator<ServeConfig.Builder> more) throws Exception {
        return KbService.start(more.apply(ServeConfig.builder(cases).port(0).tokens(TOKENS, "test tokens")
                .accessLog(cases.resolveSibling(cases.getFileName() + "-access.log"))).build());
    }

    @BeforeAll
    static void startShared() throws Exception {
        service = start(shared.resolve("cases"), b -> b.maxUploadBytes(8L << 20).maxFiles(4).maxExpandedBytes(4L << 20)
                .requestTimeout(Duration.ofSeconds(60)));
        client = new Client(service.url(), DIAG, API);
    }

    @AfterAll
    static void everyOperationWasExercised() throws Exception {
        service.close();
        Set<String> missing = new java.util.TreeSet<>(API.operations());
        missing.removeAll(API.exercised);
        assertTrue(missing.isEmpty(), "operations in openapi.yaml no test called: " + missing);
    }

    static Map<String, String> findings(JsonNode diagnosis) {
        Map<String, String> out = new TreeMap<>();
        diagnosis.get("findings").forEach(f -> out.put(f.get("id").asText(), f.get("status").asText()));
        return out;
    }

    static String problemType(Answer a) {
        assertTrue(a.type().startsWith(KbService.PROBLEM_JSON), "a problem is problem+json: " + a);
        JsonNode p = a.json();
        assertEquals(a.status(), p.get("status").asInt());
        assertFalse(a.body().contains("Exception") || a.body().contains("\tat "), "no stack trace to clients: " + a.body());
        return p.get("type").asText().replace("urn:exkb:problem:", "");
    }

    // ---------------------------------------------------------------- open endpoints and tokens

    @Test
    void healthReadinessAndTheDescriptionsNeedNoToken() {
        Client anonymous = client.as(null);
        assertEquals("up", anonymous.get("/v1/health").json().get("status").asText());
        JsonNode ready = anonymous.get("/v1/ready").json();
        assertEquals(13, ready.get("root_causes").asInt());
        assertTrue(ready.get("rules").asInt() > 100);
        assertTrue(anonymous.get("/v1/openapi.yaml").body().startsWith("openapi: 3.1.0"));
        assertEquals("urn:exkb:diagnosis:2", anonymous.get("/v1/schemas/diagnosis.schema.json").json().get("$id").asText());
        assertEquals("urn:exkb:case:1", anonymous.get("/v1/schemas/case.schema.json").json().get("$id").asText());
    }

    @Test
    void tokensAreCheckedAndEachRoleDoesOnlyWhatItMay() throws Exception {
        Answer none = client.as(null).json("POST", "/v1/diagnose", "{}");
        assertEquals(401, none.status());
        assertEquals("unauthorized", problemType(none));
        assertEquals("Bearer", none.raw().headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(401, client.as(null).get("/v1/cases/0123456789abcdef0123456789abcdef").status(), "no token: not even 404");
        Answer wrong = client.as(DIAG + "x").json("POST", "/v1/diagnose", "{}");
        assertEquals(401, wrong.status());
        assertEquals(200, client.json("POST", "/v1/diagnose", "{}").status());

        Answer reload = client.send("POST", "/v1/admin/reload", null, null);
        assertEquals(403, reload.status(), reload.toString());
        assertTrue(reload.json().get("detail").asText().contains("admin"));
        assertEquals(403, client.as(PROBE).send("POST", "/v1/admin/reload", null, null).status());

        String id = client.json("POST", "/v1/cases", "{}").json().get("id").asText();
        Answer probe = client.json("POST", "/v1/cases/" + id + "/probe", "{\"target\":\"127.0.0.1:9\"}");
        assertEquals(403, probe.status());
        assertEquals("forbidden", problemType(probe));
        Answer oneShot = client.json("POST", "/v1/diagnose", "{\"probe\":[\"127.0.0.1:9\"]}");
        assertEquals(403, oneShot.status());

        // the token file: a role that does not exist, a short token, a line without a token, each placed
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokens.parse("root 0123456789abcdefgh", "tokens.txt"));
        assertTrue(e.getMessage().contains("tokens.txt entry 1") && e.getMessage().contains("root"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tokens.parse("admin 0123456789abcdefgh\nprobe short", "tokens.txt"));
        assertTrue(e.getMessage().contains("entry 2") && e.getMessage().contains("16"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tokens.parse("admin", "KB_SERVE_TOKENS"));
        assertEquals(Role.PROBE, Tokens.parse("diagnose:aaaaaaaaaaaaaaaaaaaa,probe:bbbbbbbbbbbbbbbbbbbb", "env").role("bbbbbbbbbbbbbbbbbbbb").orElseThrow());
    }

    @Test
    void withoutTokensItListensOnLoopbackOnlyAndServesEveryRole(@TempDir Path dir) throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KbService.start(ServeConfig.builder(dir).bind("0.0.0.0").port(0).build()));
        assertTrue(e.getMessage().contains("without API tokens"), e.getMessage());
        try (KbService open = KbService.start(ServeConfig.builder(dir).port(0).accessLog(dir.resolve("a.log")).build())) {
            Client anonymous = new Client(open.url(), null, API);
            assertEquals(200, anonymous.json("POST", "/v1/diagnose", "{\"symptoms\":[\"hr=0x80072f0d\"]}").status());
        }
    }

    // ---------------------------------------------------------------- one-shot diagnosis

    @Test
    void oneShotDiagnosisOfSymptomsInEachFormat() {
        String c = "{\"symptoms\":[\"bad username or password\"],\"client\":\"Outlook for Mac 2011\"}";
        JsonNode d = client.json("POST", "/v1/diagnose", c).json();
        assertEquals("possible", findings(d).get("NON_SNI_CLIENT_REJECTED"));
        Answer md = client.json("POST", "/v1/diagnose?format=markdown", c);
        assertTrue(md.type().startsWith("text/markdown") && md.body().startsWith("# Exchange connectivity diagnosis"), md.toString());
        Answer text = client.json("POST", "/v1/diagnose?format=text", c);
        assertTrue(text.type().startsWith("text/plain") && text.body().contains("NON_SNI_CLIENT_REJECTED"));
        Answer bad = client.json("POST", "/v1/diagnose?format=pdf", c);
        assertEquals(422, bad.status());
        assertTrue(bad.json().get("detail").asText().contains("pdf"));
    }

    @Test
    void oneShotDiagnosisReadsUploadedEvidenceAndNeverShowsTheServersFolders() throws Exception {
        Answer a = client.upload("/v1/diagnose", new Multipart().json("case", "{\"symptoms\":[\"bad username or password\"]}")
                .file("evidence", CAPTURE));
        assertEquals(200, a.status(), a.toString());
        assertEquals("confirmed", findings(a.json()).get("NON_SNI_CLIENT_REJECTED"));
        assertTrue(a.body().contains("\"001-capture.pcap\""), "the upload is named as the client sent it");
        assertFalse(a.body().contains(shared.toString()) || a.body().contains(".uploads"), "no server path in the answer");
        try (Stream<Path> left = Files.list(shared.resolve("cases/.uploads"))) {
            assertEquals(0, left.count(), "a one-shot request's files are removed when it is answered");
        }

        // healthy control: a private CA's chain with its root uploaded as trust gives no confirmed or likely fault
        Answer healthy = client.upload("/v1/diagnose", new Multipart()
                .file("evidence", KnowledgeSamples.file("capture-private-one-tier-trusted", "capture.pcap"))
                .file("trust", KnowledgeSamples.file("capture-private-one-tier-trusted", "root.pem")));
        assertEquals(200, healthy.status(), healthy.toString());
        findings(healthy.json()).forEach((id, status) ->
                assertFalse(status.equals("confirmed") || status.equals("likely"), id + " " + status + " on a healthy server"));
    }

    @Test
    void aCaseCanNeverNameAFileOnTheServer() {
        for (String c : List.of("{\"evidence\":[\"/etc/passwd\"]}", "{\"trust\":[\"/etc/ssl/private/key.pem\"]}",
                "{\"symptoms\":[\"x\"],\"evidence\":[\"../../cases\"]}")) {
            Answer a = client.json("POST", "/v1/diagnose", c);
            assertEquals(422, a.status(), c);
            assertTrue(a.json().get("detail").asText().contains("upload"), a.body());
            Answer g = client.json("POST", "/v1/cases", c);
            assertEquals(422, g.status(), c);
        }
        Answer part = client.upload("/v1/diagnose", new Multipart().json("case", "{\"evidence\":[\"/etc/hostname\"]}"));
        assertEquals(422, part.status());
    }

    @Test
    void malformedWrongAndOversizedInputIsRefusedWithTheReason() {
        Answer broken = client.json("POST", "/v1/diagnose", "{\"symptoms\": [");
        assertEquals(400, broken.status(), broken.toString());
        Answer type = client.json("POST", "/v1/diagnose", "{\"symptoms\": \"one string\"}");
        assertEquals(422, type.status());
        assertTrue(type.json().get("detail").asText().contains("symptoms"), type.body());
        Answer unknown = client.json("POST", "/v1/diagnose", "{\"symptomz\": []}");
        assertEquals(422, unknown.status());
        assertTrue(unknown.json().get("detail").asText().contains("symptomz"), unknown.body());
        Answer huge = client.json("POST", "/v1/diagnose", "{\"symptoms\": [\"" + "x".repeat(20_000) + "\"]}");
        assertEquals(422, huge.status(), huge.toString());
        Answer media = client.send("POST", "/v1/diagnose", "text/plain", "hello".getBytes(StandardCharsets.UTF_8));
        assertEquals(415, media.status());
        assertEquals(404, client.get("/v1/nothing").status());
        assertEquals(405, client.send("PUT", "/v1/diagnose", "application/json", "{}".getBytes(StandardCharsets.UTF_8)).status());

        String id = client.json("POST", "/v1/cases", "{}").json().get("id").asText();
        Answer notJson = client.json("POST", "/v1/cases/" + id + "/symptoms", "not json");
        assertEquals(400, notJson.status());
        assertEquals("bad-request", problemType(notJson));
        assertEquals(422, client.json("PUT", "/v1/cases/" + id + "/client", "{\"client\": 7}").status());
        assertEquals(422, client.json("PUT", "/v1/cases/" + id + "/client", "{\"client\": \"x\", \"extra\": 1}").status());
        assertEquals(422, client.json("POST", "/v1/cases/" + id + "/symptoms", "{\"text\": \"" + "y".repeat(10_001) + "\"}").status());
        assertEquals(404, client.get("/v1/cases/0123456789abcdef0123456789abcdef").status());
        Answer traversal = client.get("/v1/cases/..%2F..%2Fetc");
        assertEquals(400, traversal.status(), traversal.toString());
        assertEquals("http", problemType(traversal));
    }

    @Test
    void sizeCountAndArchiveLimitsSayWhichLimitAndHowToChangeIt(@TempDir Path dir) throws Exception {
        // too large by its Content-Length: answered before the body is sent (curl asks with Expect: 100-continue)
        try (Socket sock = slowClient(service, "POST /v1/diagnose HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + DIAG
                + "\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: " + (9 << 20) + "\r\nExpect: 100-continue\r\n\r\n")) {
            String answer = readAll(sock);
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            JsonNode p = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertEquals("upload size", p.get("limit").asText());
            assertEquals("--max-upload-mb", p.get("setting").asText());
            API.check("POST", "/v1/diagnose", 413, KbService.PROBLEM_JSON, p.toString());
        }
        // too large as it streams in (no length given in advance): cut off at the limit
        Multipart huge = new Multipart().part("evidence", "big.pcap", "application/octet-stream", new byte[9 << 20]);
        java.net.http.HttpResponse<String> streamed = client.http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(service.url() + "/v1/diagnose")).header("Authorization", "Bearer " + DIAG)
                .header("Content-Type", huge.contentType()).timeout(Duration.ofSeconds(30))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge.bytes()))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(413, streamed.statusCode(), streamed.body());
        assertTrue(streamed.body().contains("--max-upload-mb"), streamed.body());

        Multipart many = new Multipart();
        for (int i = 0; i < 5; i++) {
            many.file("evidence", CAPTURE);
        }
        Answer count = client.upload("/v1/diagnose", many);
        assertEquals(413, count.status(), count.toString());
        assertEquals("file count", count.json().get("limit").asText());

        Path bomb = dir.resolve("bomb.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(bomb))) {
            z.putNextEntry(new ZipEntry("u_ex261203.log"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                z.write(zeros);
            }
            z.closeEntry();
        }
        assertTrue(Files.size(bomb) < 1 << 20, "the bomb is small");
        Answer boom = client.upload("/v1/diagnose", new Multipart().file("evidence", bomb));
        assertEquals(413, boom.status(), boom.toString());
        assertEquals("archive expansion", boom.json().get("limit").asText());
        assertEquals("--max-expanded-mb", boom.json().get("setting").asText());

        Path nested = dir.resolve("nested.zip");   // a gzip inside a zip: what counts is what it finally expands to
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(new byte[16 << 20]);
        }
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(nested))) {
            z.putNextEntry(new ZipEntry("logs/u_ex261203.log.gz"));
            z.write(gz.toByteArray());
            z.closeEntry();
        }
        Answer nestedBoom = client.upload("/v1/diagnose", new Multipart().file("evidence", nested));
        assertEquals(413, nestedBoom.status(), nestedBoom.toString());

        Answer part = client.upload("/v1/diagnose", new Multipart().file("attachment", CAPTURE));
        assertEquals(422, part.status());
        assertTrue(part.json().get("detail").asText().contains("attachment"));
    }

    @Test
    void uploadedNamesAndArchiveEntriesNeverLeaveTheCasesFolder(@TempDir Path dir) throws Exception {
        String mark = "evil-" + Long.toHexString(System.nanoTime());
        byte[] capture = Files.readAllBytes(CAPTURE);
        Path zip = dir.resolve("case.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("../../../../" + mark + "-entry.pcap"));
            z.write(capture);
            z.closeEntry();
        }
        Answer a = client.upload("/v1/diagnose", new Multipart()
                .part("evidence", "../../../../" + mark + "-name.pcap", "application/octet-stream", capture)
                .file("evidence", zip));
        assertEquals(200, a.status(), a.toString());
        assertEquals("confirmed", findings(a.json()).get("NON_SNI_CLIENT_REJECTED"));
        assertTrue(a.body().contains("001-" + mark + "-name.pcap"), "only the file name is kept");
        for (Path root : List.of(shared, shared.getParent(), Path.of(System.getProperty("java.io.tmpdir")), dir)) {
            try (Stream<Path> s = Files.walk(root, 6)) {
                List<Path> escaped = s.filter(p -> p.getFileName() != null && p.getFileName().toString().startsWith(mark)).toList();
                assertTrue(escaped.isEmpty(), "nothing written outside the request's folder: " + escaped);
            } catch (java.io.UncheckedIOException | IOException unreadable) {
                // a shared temp folder may hold entries another user owns
            }
        }
    }

    // ---------------------------------------------------------------- guided cases

    @Test
    void aGuidedCaseFollowsTheShellsFlowAndRetractsWhatFollowedFromAWithdrawnAnswer() throws Exception {
        Answer created = client.json("POST", "/v1/cases", "{\"symptoms\":[\"bad username or password\"],\"title\":\"INC-1\"}");
        assertEquals(201, created.status(), created.toString());
        String id = created.json().get("id").asText();
        assertEquals("/v1/cases/" + id, created.raw().headers().firstValue("Location").orElse(""));
        String at = "/v1/cases/" + id;

        JsonNode v = client.json("PUT", at + "/client", "{\"client\":\"Outlook for Mac 2011\"}").json();
        assertEquals("Outlook for Mac 2011", v.get("case").get("client").asText());
        assertEquals("handshake_without_sni", v.get("next_question").get("id").asText(), "the most decisive question comes first");

        v = client.json("PUT", at + "/answers/handshake_without_sni", "{\"value\":\"fails\"}").json();
        assertEquals("confirmed", findings(v.get("diagnosis")).get("NON_SNI_CLIENT_REJECTED"));
        v = client.json("PUT", at + "/answers/handshake_without_sni", "{\"value\":\"succeeds\"}").json();
        assertEquals("ruled_out", findings(v.get("diagnosis")).get("NON_SNI_CLIENT_REJECTED"), "a changed answer replaces the old one");
        v = client.delete(at + "/answers/handshake_without_sni").json();
        assertEquals("possible", findings(v.get("diagnosis")).get("NON_SNI_CLIENT_REJECTED"), "what followed from it is retracted");
        assertEquals(404, client.delete(at + "/answers/handshake_without_sni").status());
        Answer bogus = client.json("PUT", at + "/answers/handshake_without_sni", "{\"value\":\"maybe\"}");
        assertEquals(422, bogus.status());
        assertTrue(bogus.json().get("detail").asText().contains("fails"), "the choices are named");

        v = client.json("POST", at + "/symptoms", "{\"text\":\"hr=0x80072f0d\"}").json();
        assertEquals(2, v.get("case").get("symptoms").size());
        v = client.delete(at + "/symptoms/1").json();
        assertEquals(List.of("hr=0x80072f0d"), List.of(v.get("case").get("symptoms").get(0).asText()));
        assertEquals(404, client.delete(at + "/symptoms/5").status());

        Answer ev = client.upload(at + "/evidence", new Multipart().file("evidence", CAPTURE));
        assertEquals(200, ev.status(), ev.toString());
        assertEquals("evidence/001-capture.pcap", ev.json().get("case").get("evidence").get(0).asText());
        assertEquals("confirmed", findings(ev.json().get("diagnosis")).get("NON_SNI_CLIENT_REJECTED"));
        assertFalse(ev.body().contains(shared.toString()), "no server path in the answer");
        assertEquals(422, client.upload(at + "/evidence", new Multipart().json("case", "{}")).status());

        Answer report = client.get(at + "/report");
        assertTrue(report.type().startsWith("text/markdown") && report.body().contains("NON_SNI_CLIENT_REJECTED")
                && report.body().contains("001-capture.pcap") && !report.body().contains(shared.toString()), report.body());
        assertEquals(200, client.get(at + "/report?format=json").status());

        // on disk: the shell's case file with its uploaded evidence
        Path file = shared.resolve("cases").resolve(id).resolve(CaseStore.CASE_FILE);
        CaseCodec.Description saved = CaseCodec.yaml(Files.readString(file)).description();
        assertEquals("INC-1", saved.title());
        assertEquals("Outlook for Mac 2011", saved.client());
        assertEquals(1, saved.evidence().size());
        assertTrue(Files.isRegularFile(Path.of(saved.evidence().get(0))));

        assertEquals(204, client.delete(at).status());
        assertEquals(404, client.get(at).status());
        assertFalse(Files.exists(file.getParent()), "the case's folder goes with it");
    }

    @Test
    void aCaseSurvivesARestartAndIsRemovedAfterTheRetentionTime(@TempDir Path dir) throws Exception {
        Path cases = dir.resolve("cases");
        String id;
        Map<String, String> before;
        JsonNode caseBefore;
        try (KbService first = start(cases, b -> b)) {
            Client c = new Client(first.url(), DIAG, API);
            id = c.upload("/v1/cases", new Multipart().json("case", "{\"symptoms\":[\"bad username or password\"],"
                    + "\"client\":\"Outlook for Mac 2011\",\"answers\":{\"browser_works\":\"yes\"}}").file("evidence", CAPTURE))
                    .json().get("id").asText();
            JsonNode v = c.get("/v1/cases/" + id).json();
            before = findings(v.get("diagnosis"));
            caseBefore = v.get("case");
            assertEquals("confirmed", before.get("NON_SNI_CLIENT_REJECTED"));
        }
        try (KbService second = start(cases, b -> b)) {
            JsonNode v = new Client(second.url(), DIAG, API).get("/v1/cases/" + id).json();
            assertEquals(caseBefore, v.get("case"));
            assertEquals(before, findings(v.get("diagnosis")), "the same diagnosis after a restart");
            assertEquals(0, v.get("notes").size());
        }
        Path file = cases.resolve(id).resolve(CaseStore.CASE_FILE);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(31))));
        try (KbService third = start(cases, b -> b.retention(Duration.ofDays(30)))) {
            assertEquals(404, new Client(third.url(), DIAG, API).get("/v1/cases/" + id).status());
            assertFalse(Files.exists(cases.resolve(id)), "removed with its files after the retention time");
        }
    }

    // ---------------------------------------------------------------- probes

    @Test
    void probesReachOnlyTheServersTheOperatorAllows(@TempDir Path dir) throws Exception {
        TestPki pki = new TestPki("Serve Test");
        TestPki.Issued leaf = pki.leaf("mail.example.test");
        try (TestTlsServer tls = TestTlsServer.with().chain(leaf.key(), leaf.certificate(), pki.intermediate.certificate()).start();
             ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             KbService s = start(dir.resolve("cases"), b -> b.allowProbe(List.of("127.0.0.1:" + tls.port())))) {
            Client probe = new Client(s.url(), PROBE, API);
            String id = probe.json("POST", "/v1/cases", "{}").json().get("id").asText();
            Answer ok = probe.json("POST", "/v1/cases/" + id + "/probe", "{\"target\":\"127.0.0.1:" + tls.port() + "\"}");
            assertEquals(200, ok.status(), ok.toString());
            assertEquals("127.0.0.1:" + tls.port(), ok.json().get("case").get("probe").get(0).asText());
            assertTrue(tls.connections.get() > 0, "the allowed server was probed");

            other.setSoTimeout(300);
            for (String target : List.of("127.0.0.1:" + other.getLocalPort(), "localhost:" + other.getLocalPort())) {
                Answer refused = probe.json("POST", "/v1/cases/" + id + "/probe", "{\"target\":\"" + target + "\"}");
                assertEquals(403, refused.status(), refused.toString());
                assertEquals("probe-not-allowed", problemType(refused));
                assertThrows(SocketTimeoutException.class, () -> other.accept().close(), "no connection to a refused target");
            }
            Answer oneShot = probe.json("POST", "/v1/diagnose", "{\"probe\":[\"127.0.0.1:" + other.getLocalPort() + "\"]}");
            assertEquals(403, oneShot.status());
            assertEquals(422, probe.json("POST", "/v1/cases/" + id + "/probe", "{\"target\":\"a b\"}").status());
        }
        try (KbService none = start(dir.resolve("none"), b -> b)) {
            Answer a = new Client(none.url(), ADMIN, API).json("POST", "/v1/diagnose", "{\"probe\":[\"127.0.0.1:443\"]}");
            assertEquals(403, a.status());
            assertTrue(a.json().get("detail").asText().contains("--allow-probe"), a.body());
        }
        TargetPolicy p = new TargetPolicy(List.of("*.contoso.com", "10.0.0.0/8", "[2001:db8::/32]:443"));
        assertEquals(null, p.refusal(org.exkb.engine.probe.ProbeTarget.parse("mail.contoso.com")));
        assertNotNull(p.refusal(org.exkb.engine.probe.ProbeTarget.parse("contoso.com.evil.test")));
        assertEquals(null, p.refusal(org.exkb.engine.probe.ProbeTarget.parse("10.2.3.4:8443")));
        assertNotNull(p.refusal(org.exkb.engine.probe.ProbeTarget.parse("11.2.3.4")));
        assertEquals(null, p.refusal(org.exkb.engine.probe.ProbeTarget.parse("[2001:db8::5]:443")));
        assertNotNull(p.refusal(org.exkb.engine.probe.ProbeTarget.parse("[2001:db8::5]:444")));
        assertThrows(IllegalArgumentException.class, () -> new TargetPolicy(List.of("10.0.0.0/33")));
    }

    // ---------------------------------------------------------------- operator

    @Test
    void aReloadRefusesBrokenRulesAndKeepsTheOnesInUse(@TempDir Path dir) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (KbService s = start(dir.resolve("cases"), b -> b.engines(() -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalArgumentException("rule folder x refused: diagnosis.drl line 3: no such fact type");
            }
            return DiagnosisEngine.fromClasspath();
        }))) {
            Client admin = new Client(s.url(), ADMIN, API);
            String id = admin.json("POST", "/v1/cases", "{\"symptoms\":[\"hr=0x80072f0d\"]}").json().get("id").asText();
            Answer refused = admin.send("POST", "/v1/admin/reload", null, null);
            assertEquals(422, refused.status());
            assertTrue(refused.json().get("detail").asText().contains("unchanged") && refused.body().contains("diagnosis.drl line 3"));
            assertEquals(200, admin.json("POST", "/v1/diagnose", "{\"symptoms\":[\"hr=0x80072f0d\"]}").status());
            Answer ok = admin.send("POST", "/v1/admin/reload", null, null);
            assertEquals(200, ok.status(), ok.toString());
            assertEquals(13, ok.json().get("root_causes").asInt());
            assertEquals(List.of("hr=0x80072f0d"), List.of(admin.get("/v1/cases/" + id).json().get("case").get("symptoms").get(0).asText()),
                    "an open case is brought back by the new rules");
            Answer body = admin.json("POST", "/v1/admin/reload", "{\"x\":1}");
            assertEquals(422, body.status(), "reload takes no body");
        }
        String log = Files.readString(dir.resolve("cases-access.log"));
        assertTrue(log.contains("\"POST /v1/admin/reload HTTP/1.1\" 422"), "the access log has each request: " + log);
    }

    // ---------------------------------------------------------------- slow and hostile clients

    static Socket slowClient(KbService s, String partial) throws IOException {
        Socket sock = new Socket(InetAddress.getLoopbackAddress(), s.port());
        sock.getOutputStream().write(partial.getBytes(StandardCharsets.US_ASCII));
        sock.getOutputStream().flush();
        return sock;
    }

    static String readAll(Socket sock) throws IOException {
        sock.setSoTimeout(15_000);
        InputStream in = sock.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void slowClientsAreCutOffAndNeverStallTheOthers(@TempDir Path dir) throws Exception {
        try (KbService s = start(dir.resolve("cases"), b -> b.idleTimeout(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(3)))) {
            List<Socket> loris = new ArrayList<>();
            for (int i = 0; i < 40; i++) {   // headers never finished
                loris.add(slowClient(s, "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "));
            }
            // an upload that stops halfway through its body
            Socket halfUpload = slowClient(s, "POST /v1/diagnose HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + DIAG
                    + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"symptoms\": [");
            Client c = new Client(s.url(), DIAG, API);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    answers.add(pool.submit(() -> c.json("POST", "/v1/diagnose", "{\"symptoms\":[\"hr=0x80072f0d\"]}").status()));
                }
                for (Future<Integer> f : answers) {
                    assertEquals(200, f.get(30, java.util.concurrent.TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
            assertTrue(s.pendingDeadlines() <= 2, "answered requests leave no deadline behind: " + s.pendingDeadlines());
            long start = System.nanoTime();
            for (Socket sock : loris) {
                readAll(sock);   // returns when the server closes the connection
                sock.close();
            }
            String cut = readAll(halfUpload);
            halfUpload.close();
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 15, "idle connections are closed");
            assertTrue(cut.isEmpty() || cut.startsWith("HTTP/1.1 408") || cut.startsWith("HTTP/1.1 400"), "a stalled upload ends: " + cut);
            assertEquals(200, c.get("/v1/health").status());
        }
    }

    @Test
    void aRequestThatTakesTooLongAnswers408(@TempDir Path dir) throws Exception {
        try (KbService s = start(dir.resolve("cases"), b -> b.requestTimeout(Duration.ofSeconds(1)))) {
            Socket sock = slowClient(s, "POST /v1/diagnose HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + DIAG
                    + "\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{\"sym");
            OutputStream out = sock.getOutputStream();
            String answer;
            try {
                for (int i = 0; i < 12; i++) {     // a byte every 250 ms: too slow for the deadline
                    Thread.sleep(250);
                    out.write(' ');
                    out.flush();
                }
            } catch (IOException closedByTheServer) {
                // expected once the server has answered
            }
            answer = readAll(sock);
            sock.close();
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.contains("application/problem+json") && answer.contains("--request-timeout"), answer);
        }
    }

    @Test
    void checkingAnArchiveStopsWhenItsRequestsTimeIsUp(@TempDir Path dir) throws Exception {
        Path gz = dir.resolve("u_ex261203.log.gz");
        try (GZIPOutputStream g = new GZIPOutputStream(Files.newOutputStream(gz))) {
            g.write(new byte[4 << 20]);
        }
        Uploads.checkExpansion(gz, "u_ex261203.log.gz", 8L << 20);   // within the limit: nothing to say
        Thread.currentThread().interrupt();                          // what the deadline does to the worker
        try {
            Problem p = assertThrows(Problem.class, () -> Uploads.checkExpansion(gz, "u_ex261203.log.gz", 8L << 20));
            assertEquals(408, p.status);
            assertEquals("--request-timeout", p.extra.get("setting"));
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void malformedHttpGetsAProblemNotAStackTrace(@TempDir Path dir) throws Exception {
        try (Socket sock = slowClient(service, "GARBAGE\r\n\r\n")) {
            String answer = readAll(sock);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertFalse(answer.contains("Exception") || answer.contains("<html"), answer);
        }
        try (Socket sock = slowClient(service, "GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(32 * 1024) + "\r\n\r\n")) {
            String answer = readAll(sock);
            assertTrue(answer.startsWith("HTTP/1.1 431"), answer);
        }
    }

    // ---------------------------------------------------------------- the README's example, run by curl

    @Test
    void theReadmeExampleRunsWithCurl(@TempDir Path dir) throws Exception {
        boolean haveCurl = new ProcessBuilder("curl", "--version").start().waitFor() == 0;
        if (!haveCurl && System.getenv("KB_REQUIRE_TOOLS") == null) {
            org.junit.jupiter.api.Assumptions.abort("curl is not installed");
        }
        Path script = Path.of("../docs/serve-example.sh");
        Path readme = Path.of("../README.md");
        String text = Files.readString(readme);
        for (String line : Files.readAllLines(script)) {
            if (line.startsWith("curl ")) {
                assertTrue(text.contains(line.replace("$KB_URL", "http://127.0.0.1:8427").replace("$KB_TOKEN", "TOKEN")),
                        "the README shows the script's line: " + line);
            }
        }
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        pb.environment().put("KB_URL", service.url());
        pb.environment().put("KB_TOKEN", DIAG);
        pb.environment().put("KB_CAPTURE", CAPTURE.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("NON_SNI_CLIENT_REJECTED") && out.contains("confirmed"), out);
    }

    static Set<String> names(Path dir) throws IOException {
        Set<String> out = new HashSet<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.forEach(p -> out.add(p.getFileName().toString()));
        }
        return out;
    }
}
