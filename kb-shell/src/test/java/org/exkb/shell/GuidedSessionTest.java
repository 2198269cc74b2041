package org.exkb.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.api.Finding;
import org.exkb.engine.api.PendingQuestion;
import org.exkb.engine.knowledge.Choice;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A tier-1 agent's session for every catalogued root cause: start from the sample's symptom and
 * client, add its evidence, then answer what the shell asks (by choice number, as an agent would),
 * skipping what the sample does not know; reach the finding, its fix steps and a Markdown report.
 * The lines typed are then replayed as a script in a fresh shell, which must reach the same result.
 */
class GuidedSessionTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static DiagnosisEngine engine;

    @BeforeAll
    static void load() {
        engine = DiagnosisEngine.fromClasspath();
    }

    record Sample(String rootCause, Path folder, List<String> symptoms, String client, Map<String, String> answers,
                  Map<String, String> expect, List<Path> evidence) {
        @Override
        public String toString() {
            return rootCause + " from " + folder.getFileName();
        }
    }

    /** One positive sample per root cause: with evidence files and confirmed first. */
    static List<Sample> rootCauses() throws IOException {
        Map<String, Sample> chosen = new TreeMap<>();
        List<Sample> all = new ArrayList<>();
        {
            for (Path folder : org.exkb.engine.KnowledgeSamples.all()) {
                // the sample's expectation and case as the rule kit and the case codec read them
                Map<String, String> expect = org.exkb.engine.kit.Expectation.read(folder).expect();
                org.exkb.engine.collect.casefile.CaseCodec.Description c = Files.exists(folder.resolve("case.yaml"))
                        ? org.exkb.engine.collect.casefile.CaseCodec.yaml(Files.readString(folder.resolve("case.yaml"))).description()
                        : org.exkb.engine.collect.casefile.CaseCodec.Description.empty();
                List<String> symptoms = c.symptoms();
                Map<String, String> answers = c.answers();
                List<Path> evidence;
                try (Stream<Path> files = Files.list(folder)) {
                    evidence = files.filter(f -> !f.getFileName().toString().matches("(case|expected)\\.yaml")).sorted().toList();
                }
                String client = c.client();
                expect.forEach((id, status) -> {
                    if (status.equals("confirmed") || status.equals("likely")) {
                        all.add(new Sample(id, folder, symptoms, client, answers, expect, evidence));
                    }
                });
            }
        }
        all.sort(Comparator.comparing((Sample x) -> x.evidence().isEmpty()).thenComparing(x -> !x.expect().get(x.rootCause()).equals("confirmed")));
        all.forEach(x -> chosen.putIfAbsent(x.rootCause(), x));
        return List.copyOf(chosen.values());
    }

    @Test
    void everyCataloguedRootCauseHasAGuidedSession() throws IOException {
        assertEquals(new java.util.TreeSet<>(engine.knowledge().ids()),
                new java.util.TreeSet<>(rootCauses().stream().map(Sample::rootCause).toList()));
    }

    private static String quote(Path p) {
        return "\"" + p.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rootCauses")
    void aTierOneSessionReachesTheFinding(Sample s, @TempDir Path tmp) throws IOException {
        StringWriter text = new StringWriter();
        List<String> typed = new ArrayList<>();
        Path report = tmp.resolve("ticket.md");
        Map<String, String> reached;
        try (GuidedShell shell = GuidedShell.plain(engine, new PrintWriter(text, true))) {
            shell.askNext(true);
            java.util.function.Consumer<String> type = line -> {
                typed.add(line);
                shell.handle(line);
            };
            for (int i = 0; i < s.symptoms().size(); i++) {
                type.accept(i == 0 ? s.symptoms().get(0) : "symptom " + s.symptoms().get(i));
            }
            if (!s.evidence().isEmpty()) {
                type.accept("add " + String.join(" ", s.evidence().stream().map(GuidedSessionTest::quote).toList()));
            }
            if (shell.expectsClient()) {
                type.accept(s.client() == null ? "unknown" : s.client());
            } else if (s.client() != null) {
                type.accept("client " + s.client());
            }
            Map<String, String> toGive = new LinkedHashMap<>(s.answers());
            for (int guard = 0; guard < 40 && shell.question() != null; guard++) {
                PendingQuestion q = shell.question();
                String value = toGive.remove(q.id());
                if (value != null) {
                    List<String> values = q.choices().stream().map(Choice::value).toList();
                    int i = values.indexOf(value.toLowerCase(java.util.Locale.ROOT));
                    type.accept(i >= 0 ? String.valueOf(i + 1) : value);   // by number, as on the menu
                } else {
                    type.accept(q.wantsEvidence() ? "unavailable" : "skip");
                }
            }
            toGive.forEach((q, v) -> type.accept("answer " + q + " " + v));
            type.accept("why " + s.rootCause());
            type.accept("fix " + s.rootCause());
            type.accept("report --format markdown " + quote(report));
            reached = statuses(shell);
            String out = text.toString();
            assertEquals(0, shell.failures(), () -> "no command failed:\n" + out);
            assertEquals(s.expect().get(s.rootCause()), reached.get(s.rootCause()), () -> String.join("\n", typed) + "\n---\n" + out);
            assertTrue(out.contains("Fix for " + s.rootCause()), out);
            assertTrue(out.contains("1. ["), "numbered fix steps with who acts:\n" + out);
            String md = Files.readString(report);
            assertTrue(md.contains(s.rootCause()), md);
        }

        // the same lines as a script, in a fresh shell: the same outcome
        StringWriter replayed = new StringWriter();
        try (GuidedShell shell = GuidedShell.plain(engine, new PrintWriter(replayed, true))) {
            int rc = shell.runScript(new BufferedReader(new StringReader(String.join("\n", typed) + "\n")));
            assertEquals(0, rc, replayed::toString);
            assertEquals(reached, statuses(shell));
        }
    }

    private static Map<String, String> statuses(GuidedShell shell) {
        Map<String, String> m = new TreeMap<>();
        for (Finding f : shell.current().findings()) {
            m.put(f.id(), f.status().json());
        }
        return m;
    }

    private static String run(String script) throws IOException {
        StringWriter text = new StringWriter();
        try (GuidedShell shell = GuidedShell.plain(engine, new PrintWriter(text, true))) {
            shell.runScript(new BufferedReader(new StringReader(script)));
        }
        return text.toString();
    }

    @Test
    void changingAnAnswerVisiblyRetractsWhatFollowedFromIt() throws IOException {
        String out = run("""
                bad username or password
                Outlook for Mac 2011
                1
                change handshake_without_sni succeeds
                """);
        assertTrue(out.contains("NON_SNI_CLIENT_REJECTED possible -> confirmed"), out);
        assertTrue(out.contains("Changed handshake_without_sni: fails -> succeeds"), out);
        assertTrue(out.contains("retracted (confirmed): the server rejects a handshake without SNI"), out);
        assertTrue(out.contains("NON_SNI_CLIENT_REJECTED confirmed -> ruled out"), out);
    }

    @Test
    void aCorrectedClientLeavesNoProblemInTheTicket() throws IOException {
        String out = run("""
                bad username or password
                Outlok for Mac
                1
                fails
                report --format markdown
                """);
        assertTrue(out.contains("'Outlok for Mac' is not in the device catalogue. Did you mean:\n  1. Outlook for Mac 2011"), out);
        assertTrue(out.contains("Client: Outlook for Mac 2011"), "a number picks the suggestion: " + out);
        String report = out.substring(out.indexOf("# "));
        assertFalse(report.contains("Outlok"), "the mistake the agent corrected is not in the ticket: " + report);
        String typed = run("bad username or password\nOutlok for Mac\n0\nclient Outlook for Mac 2011\nfails\nreport --format markdown\n");
        String ticket = typed.substring(typed.indexOf("# "));
        assertFalse(ticket.contains("Outlok"), "kept as given, then replaced: gone from the ticket too: " + ticket);
    }

    @Test
    void aSymptomCanBeWithdrawnAndTheNextCaseStartedInTheSameShell() throws IOException {
        StringWriter text = new StringWriter();
        try (GuidedShell shell = GuidedShell.plain(engine, new PrintWriter(text, true))) {
            shell.runScript(new BufferedReader(new StringReader("symptom printer jam\nsymptom bad username or password\n"
                    + "Outlook for Mac 2011\nforget 1\nstatus\n")));
            assertEquals(List.of("bad username or password"), shell.current().symptoms().stream().map(v -> v.text()).toList());
            assertTrue(text.toString().contains("Symptom withdrawn: printer jam"), text.toString());
            assertTrue(text.toString().contains("Case: 1. bad username or password | client: Outlook for Mac 2011"), text.toString());
            shell.runScript(new BufferedReader(new StringReader("forget 5\nnew\nstatus\n")));
            assertTrue(text.toString().contains("There is no symptom 5"), text.toString());
            assertTrue(shell.current().findings().isEmpty() && shell.current().symptoms().isEmpty(), "a new case is empty");
            assertTrue(text.toString().contains("Case: no symptom | client: not given"), text.toString());
        }
    }

    @Test
    void backWithdrawsTheLastAnswerAndAsksItAgain() throws IOException {
        StringWriter text = new StringWriter();
        try (GuidedShell shell = GuidedShell.plain(engine, new PrintWriter(text, true))) {
            shell.runScript(new BufferedReader(new StringReader("bad username or password\nOutlook for Mac 2011\nfails\nback\n")));
            assertEquals("handshake_without_sni", shell.question().id(), "the withdrawn question is on screen again");
            assertEquals(Map.of(), shell.answers());
            assertEquals("possible", statuses(shell).get("NON_SNI_CLIENT_REJECTED"));
        }
        assertTrue(text.toString().contains("Withdrew handshake_without_sni = fails"), text.toString());
        assertTrue(text.toString().contains("confirmed -> possible"), text.toString());
    }

    @Test
    void badInputIsRefusedWithWhatWouldBeRightAndTheCaseIsUnchanged() throws IOException {
        StringWriter text = new StringWriter();
        try (GuidedShell shell = GuidedShell.plain(engine, new PrintWriter(text, true))) {
            int rc = shell.runScript(new BufferedReader(new StringReader("""
                    bad username or password
                    Outlook for Mac 2011
                    7
                    maybe
                    why NOTHING_LIKE_THIS
                    frobnicate
                    report --format pdf
                    add /no/such/file.pcap
                    """)));
            assertEquals(2, rc, "a script with failed commands exits 2");
            assertEquals(Map.of(), shell.answers());
            assertNotNull(shell.question());
        }
        String out = text.toString();
        assertTrue(out.contains("Choose 1 to 4"), out);
        assertTrue(out.contains("one of [fails, other_certificate, succeeds, not_tested]"), out);
        assertTrue(out.contains("No finding 'NOTHING_LIKE_THIS'"), out);
        assertTrue(out.contains("/no/such/file.pcap: no such file or folder"), out);
        assertTrue(out.contains("pdf"), out);
    }

    @Test
    void aSavedCaseOpensWithTheSameFindingsAndEvidence(@TempDir Path tmp) throws IOException {
        Path saved = tmp.resolve("ticket-4711.case.yaml");
        Path folder = org.exkb.engine.KnowledgeSamples.named("capture-non-sni-reset");
        StringWriter text = new StringWriter();
        Map<String, String> before;
        try (GuidedShell shell = GuidedShell.plain(engine, new PrintWriter(text, true))) {
            shell.runScript(new BufferedReader(new StringReader("bad username or password\nOutlook for Mac 2011\nadd "
                    + quote(folder.resolve("capture.pcap")) + " " + quote(folder.resolve("trusted-root.pem"))
                    + "\nanswer browser_works yes\nsave " + quote(saved) + "\n")));
            before = statuses(shell);
            assertEquals(0, shell.failures(), text::toString);
        }
        assertEquals("confirmed", before.get("NON_SNI_CLIENT_REJECTED"));
        JsonNode y = YAML.readTree(saved.toFile());
        assertEquals("Outlook for Mac 2011", y.path("client").asText());
        assertEquals("yes", y.path("answers").path("browser_works").asText());
        assertEquals(2, y.path("evidence").size());

        StringWriter again = new StringWriter();
        try (GuidedShell shell = GuidedShell.plain(engine, new PrintWriter(again, true))) {
            shell.runScript(new BufferedReader(new StringReader("open " + quote(saved) + "\n")));
            assertEquals(before, statuses(shell));
            assertEquals(Map.of("browser_works", "yes"), shell.answers());
            assertEquals(0, shell.failures(), again::toString);
        }
        // a saved case is also a case file kb diagnose reads (the paths are named, not silently dropped)
        StringWriter d = new StringWriter();
        org.exkb.cli.Main.run(new String[] {"diagnose", saved.toString()}, new PrintWriter(d, true), new PrintWriter(d, true));
        assertTrue(d.toString().contains("lists evidence"), d.toString());
    }

    @Test
    void aRequestForAProbeIsAnsweredByTypingTheServer(@TempDir Path tmp) throws Exception {
        org.exkb.engine.testing.TestPki pki = new org.exkb.engine.testing.TestPki("Shell");
        org.exkb.engine.testing.TestPki.Issued leaf = pki.leaf("mail.example.test");
        Path root = tmp.resolve("root.pem");
        Files.writeString(root, "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder().encodeToString(
                pki.root.certificate().getEncoded()) + "\n-----END CERTIFICATE-----\n", java.nio.charset.StandardCharsets.US_ASCII);
        StringWriter text = new StringWriter();
        try (org.exkb.engine.testing.TestTlsServer leafOnly = org.exkb.engine.testing.TestTlsServer.with()
                     .chain(leaf.key(), leaf.certificate()).start();
             GuidedShell shell = GuidedShell.plain(engine, new PrintWriter(text, true))) {
            shell.runScript(new BufferedReader(new StringReader("trust " + quote(root) + "\nhr=0x80072f0d\nWindows Phone 7\n")));
            assertEquals("probe_server", shell.question().id(), "a probe decides the four certificate causes: " + text);
            shell.handle("\"127.0.0.1:" + leafOnly.port() + "\"");
            assertTrue(shell.current().question("probe_server").isEmpty(), "the probe settled the request");
            assertTrue(shell.current().findings().stream().flatMap(f -> f.evidence().stream())
                    .anyMatch(e -> e.source().startsWith("live:127.0.0.1:")), "findings rest on the live probe");
            assertEquals(0, shell.failures(), text::toString);
        }
        assertTrue(text.toString().contains("Evidence wanted: Probe the published server now"), text.toString());
        assertTrue(text.toString().contains("Type the server name to probe it now"), text.toString());
    }

    @Test
    void nothingIsAskedBeforeTheCaseHasAStart() throws IOException {
        StringWriter text = new StringWriter();
        try (GuidedShell shell = GuidedShell.plain(engine, new PrintWriter(text, true))) {
            shell.askNext(true);
            assertNull(shell.question());
            assertTrue(shell.prompt().contains("[symptom]"));
        }
        assertTrue(text.toString().contains("What does the user report?"));
    }
}
