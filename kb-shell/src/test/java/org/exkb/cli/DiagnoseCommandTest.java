package org.exkb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.exkb.engine.testing.SchemaAssert;
import org.junit.jupiter.api.Test;

/** The kb command line as a user and a ticketing system call it: output, formats and exit status. */
class DiagnoseCommandTest {
    record Run(int status, String out, String err) {
    }

    static Run kb(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void theIssuesDoneWhenCommand() {
        Run r = kb("diagnose", "--symptom", "bad username or password", "--client", "Outlook for Mac 2011", "--format", "json");
        assertEquals(0, r.status(), r.err());
        JsonNode json = SchemaAssert.assertValid(r.out());
        assertEquals("NON_SNI_CLIENT_REJECTED", json.at("/findings/0/id").asText());
        assertTrue(json.at("/findings/0/status").asText().matches("possible|likely"));
        assertEquals("handshake_without_sni", json.at("/questions/0/id").asText());

        Run answered = kb("diagnose", "--symptom", "bad username or password", "--client", "Outlook for Mac 2011",
                "--answer", "handshake_without_sni=fails", "--format", "json");
        assertEquals("confirmed", SchemaAssert.assertValid(answered.out()).at("/findings/0/status").asText());
    }

    @Test
    void textReportShowsFindingEvidenceAndQuestions() {
        Run r = kb("diagnose", "--symptom", "hr=0x80072f0d", "--client", "WP7", "--answer", "chain_sent=leaf_only");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("CONFIRMED  MISSING_INTERMEDIATE_CERTIFICATE"), r.out());
        assertTrue(r.out().contains("answer chain_sent: leaf_only"), r.out());
        assertTrue(r.out().contains("fix:\n"), r.out());
        assertTrue(r.out().contains("--answer root_in_device_store=VALUE"), r.out());
    }

    @Test
    void everySubcommandPrintsTheVersion() {
        for (String sub : new String[] {"diagnose", "probe", "catalog", "shell", "rules"}) {
            Run r = kb(sub, "-V");
            assertEquals(0, r.status(), sub + ": " + r.err());
            assertTrue(r.out().startsWith("kb "), sub + " -V printed: '" + r.out() + "'");
        }
    }

    @Test
    void markdownKeepsPastedCommandsAsTheyAre() {
        // the name-mismatch fix quotes `openssl s_client ... | openssl x509 ...`: inside a code span a backslash would be pasted too
        Run r = kb("diagnose", "--symptom", "Cannot Verify Server Identity", "--answer", "name_covered=no", "--format", "markdown");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("-servername HOST | openssl x509 -noout -ext subjectAltName`"), r.out());
        assertTrue(!r.out().contains("\\| openssl"), r.out());
    }

    @Test
    void markdownOnASampleFolder() {
        Run r = kb("diagnose", "../knowledge/causes/NON_SNI_CLIENT_REJECTED/samples/non-sni-outlook-mac", "--format", "markdown");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("# Exchange connectivity diagnosis"), r.out());
        assertTrue(r.out().contains("| confirmed | `NON_SNI_CLIENT_REJECTED` |"), r.out());
        assertTrue(r.out().contains("1. **Proxy or load-balancer administrator:**"), r.out());
    }

    @Test
    void aCaptureGivesTheFindingTheConnectionTableAndTheTrustedRootCounts() throws Exception {
        java.nio.file.Path capture = java.nio.file.Path.of("../knowledge/causes/MISSING_INTERMEDIATE_CERTIFICATE/samples/capture-missing-intermediate-near-miss-full-chain/capture.pcap");
        java.nio.file.Path root = java.nio.file.Path.of("../knowledge/causes/MISSING_INTERMEDIATE_CERTIFICATE/samples/capture-missing-intermediate-near-miss-full-chain/trusted-root.pem");
        Run without = kb("diagnose", capture.toString());
        assertEquals(0, without.status(), without.err());
        assertTrue(without.out().contains("RULED OUT  MISSING_INTERMEDIATE_CERTIFICATE"),
                "without the private root the chain ends at an issuer above a CA certificate: the root, which need not be sent: " + without.out());
        assertTrue(without.out().replaceAll("\\s+", " ").contains("is taken to be the root, which servers need not send"), without.out());
        assertTrue(!without.out().contains("\n  CONFIRMED ") && !without.out().contains("\n  LIKELY "), without.out());
        Run with = kb("diagnose", capture.toString(), "--trust", root.toString());
        assertTrue(with.out().contains("RULED OUT  MISSING_INTERMEDIATE_CERTIFICATE"), with.out());
        assertTrue(with.out().contains("Connections in " + capture), with.out());
        assertTrue(with.out().matches("(?s).*\\n\\s+4\\s+127\\.0\\.0\\.1:\\d+\\s+127\\.0\\.0\\.1:443\\s+mail\\.example\\.test\\s+TLS 1\\.2\\s+2: mail\\.example\\.test.*established.*"),
                with.out());
        JsonNode json = SchemaAssert.assertValid(kb("diagnose", capture.toString(), "--trust", root.toString(), "--format", "json").out());
        assertEquals(4, json.at("/connections/0/first_frame").asInt());
        Run bad = kb("diagnose", capture.toString(), "--trust", "pom.xml");
        assertEquals(2, bad.status(), "usage error");
        assertTrue(bad.err().contains("--trust pom.xml"), bad.err());
    }

    @Test
    void unreadableEvidenceStillDiagnosesButExitsThree() {
        Run r = kb("diagnose", "--symptom", "bad certificate", "no-such-trace.pcapng", "--format", "json");
        assertEquals(Main.EXIT_EVIDENCE_PROBLEMS, r.status());
        JsonNode json = SchemaAssert.assertValid(r.out());
        assertEquals("no-such-trace.pcapng", json.at("/evidence_problems/0/source").asText());
        assertEquals("unreadable", json.at("/evidence_problems/0/reason").asText());
        assertTrue(json.at("/findings").size() > 0);
    }

    @Test
    void usageErrorsSayWhatWouldBeRight() {
        Run badAnswer = kb("diagnose", "--answer", "chain_sent=maybe");
        assertEquals(2, badAnswer.status());
        assertTrue(badAnswer.err().contains("expected one of [leaf_only, complete, issued_by_root, unknown]"), badAnswer.err());
        assertTrue(badAnswer.err().contains("See 'kb diagnose --help'"), badAnswer.err());

        Run noEquals = kb("diagnose", "--answer", "chain_sent");
        assertEquals(2, noEquals.status());
        assertTrue(noEquals.err().contains("ID=VALUE"), noEquals.err());

        Run typo = kb("diagnose", "--symptom", "x", "--client", "Outlok for Mac");
        assertEquals(2, typo.status());
        assertTrue(typo.err().contains("did you mean 'Outlook for Mac 2011'"), typo.err());

        Run nothing = kb("diagnose");
        assertEquals(2, nothing.status());
        assertTrue(nothing.err().contains("nothing to diagnose"), nothing.err());

        Run format = kb("diagnose", "--symptom", "x", "--format", "pdf");
        assertEquals(2, format.status());
        assertTrue(format.err().contains("text, json, markdown"), format.err());
    }

    @Test
    void anUnknownDeviceWithNoCloseNameIsDiagnosedWithUnknownCapabilities() {
        Run r = kb("diagnose", "--symptom", "bad username or password", "--client", "Nokia E71 Mail for Exchange", "--format", "json");
        assertEquals(0, r.status(), r.err());
        JsonNode json = SchemaAssert.assertValid(r.out());
        assertEquals("unknown_client", json.at("/evidence_problems/0/reason").asText());
        assertEquals("possible", json.at("/findings/0/status").asText());
    }

    @Test
    void helpListsTheCommands() {
        Run r = kb("--help");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("diagnose"), r.out());
        Run sub = kb("diagnose", "--help");
        assertEquals(0, sub.status());
        assertTrue(sub.out().contains("--symptom=TEXT"), sub.out());
    }

    @Test
    void theMarkdownTicketHasWhatTier2AsksForFirst() {
        Run r = kb("diagnose", "../knowledge/causes/NON_SNI_CLIENT_REJECTED/samples/capture-non-sni-reset", "--client", "Outlook for Mac 2011", "--answer",
                "browser_works=yes", "--format", "markdown");
        String md = r.out();
        assertTrue(md.contains("- **Answered:** `browser_works` = yes"), "the answers given: " + md);
        assertTrue(md.contains("## Connections in `../knowledge/causes/NON_SNI_CLIENT_REJECTED/samples/capture-non-sni-reset/capture.pcap`"), md);
        assertTrue(md.contains("| 27 | 127.0.0.1:34536 | 127.0.0.1:443 | - |  |  | rejected after ClientHello: reset by server in frame 29 (0 ms) |"),
                "the connection table, frame numbers as Wireshark shows them: " + md);
    }

    @Test
    void aTypoInTheCaseIsExit2WhereverTheCaseComesFrom(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Run flag = kb("diagnose", "--symptom", "bad username or password", "--client", "Outlok for Mac");
        assertEquals(2, flag.status(), flag.err());
        java.nio.file.Files.writeString(dir.resolve("case.yaml"), "symptoms: [bad username or password]\nclient: Outlok for Mac\n");
        Run file = kb("diagnose", dir.toString());
        assertEquals(2, file.status(), "the same typo in a case file: " + file.err());
        assertTrue(file.err().contains("did you mean 'Outlook for Mac 2011'"), file.err());
        java.nio.file.Files.writeString(dir.resolve("case.yaml"), "symptoms: [bad username or password]\nanswers: {browser_works: perhaps}\n");
        assertEquals(2, kb("diagnose", dir.toString()).status(), "an answer that is not one of its question's values");
        java.nio.file.Files.writeString(dir.resolve("case.yaml"), "symptoms: [bad username or password]\nclient: Zune HD\n");
        assertEquals(0, kb("diagnose", dir.toString()).status(), "a client that is simply not catalogued is taken as unknown, as from the flag");
    }

    @Test
    void sourcesAreCitedAsAReaderLooksThemUpAndFixesNameTheDeviceOfTheCase() {
        Run r = kb("diagnose", "--symptom", "hr=0x80072f0d", "--client", "Windows Phone 7", "--answer", "chain_sent=leaf_only",
                "--format", "markdown");
        assertFalse(r.out().contains("shared/seeds") || r.out().contains("seed 00"), "no internal file paths: " + r.out());
        assertTrue(r.out().contains("\"Connection to Microsoft Exchange is unavailable on Lync 2010 Phone Edition\" (blog post, 4 July 2012)"),
                r.out());
        assertTrue(r.out().contains("Have the user retry on Windows Phone 7 (restart it"), "the step names the device of the case: " + r.out());
        assertFalse(r.out().contains("restart Lync Phone Edition"), r.out());
        Run none = kb("diagnose", "--symptom", "hr=0x80072f0d", "--answer", "chain_sent=leaf_only", "--format", "markdown");
        assertTrue(none.out().contains("Have the user retry on the device (restart it"), "or none: " + none.out());
    }

    @Test
    void whatWasReadIsInTheJsonAsFieldsBesideTheWords() throws Exception {
        Run r = kb("diagnose", "../knowledge/causes/NON_SNI_CLIENT_REJECTED/samples/capture-non-sni-reset", "../kb-engine/src/test/resources/evtx/new-user-security.evtx",
                "--format", "json");
        com.fasterxml.jackson.databind.JsonNode json = org.exkb.engine.testing.SchemaAssert.assertValid(r.out());
        com.fasterxml.jackson.databind.JsonNode capture = json.at("/read/0");
        assertEquals("capture", capture.path("kind").asText());
        assertEquals("pcap", capture.path("format").asText());
        assertEquals(64, capture.at("/counts/frames").asLong());
        assertEquals(4, capture.at("/counts/connections").asLong());
        com.fasterxml.jackson.databind.JsonNode events = json.at("/read/1");
        assertEquals("evtx 3.1", events.path("format").asText());
        assertEquals(4, events.at("/counts/records").asLong());
        assertEquals("rejected", json.at("/connections/1/handshake/outcome").asText(), "a connection's outcome as a field");
        assertEquals(29, json.at("/connections/1/handshake/end_frame").asLong());
    }
}
