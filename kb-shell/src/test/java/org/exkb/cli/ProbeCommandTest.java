package org.exkb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.exkb.engine.testing.RawServer;
import org.exkb.engine.testing.SchemaAssert;
import org.exkb.engine.testing.TestPki;
import org.exkb.engine.testing.TestTlsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kb probe} as a user and a ticketing system call it, against servers on 127.0.0.1. */
class ProbeCommandTest {
    @TempDir
    Path dir;

    @Test
    void probesTwoHopsAndPrintsVerdictsSideBySideInEveryFormat() throws Exception {
        TestPki pki = new TestPki("Cli");
        TestPki.Issued leaf = pki.leaf("mail.example.test");
        Path root = dir.resolve("root.pem");
        Files.writeString(root, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(pki.root.certificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
        try (TestTlsServer proxy = TestTlsServer.with().chain(leaf.key(), leaf.certificate()).noSni(TestTlsServer.NoSni.RESET).start();
             TestTlsServer exchange = TestTlsServer.with().chain(leaf.key(), leaf.certificate(), pki.intermediate.certificate()).start();
             TestTlsServer leafOnly = TestTlsServer.with().chain(leaf.key(), leaf.certificate()).start()) {
            DiagnoseCommandTest.Run text = DiagnoseCommandTest.kb("probe", proxy.target(), exchange.target(), "--sni", "mail.example.test",
                    "--trust", root.toString(), "--device", "Windows Phone 7", "--device", "Outlook for Mac 2011", "--timeout", "3", "--client", "Outlook for Mac 2011");
            assertEquals(0, text.status(), text.err());
            assertTrue(text.out().contains("Hops side by side"), text.out());
            assertTrue(text.out().contains("Windows Phone 7"), text.out());
            assertTrue(text.out().matches("(?s).*chain\\s+incomplete \\(no CN=Cli Issuing CA\\)\\s+complete.*"), text.out());
            assertTrue(text.out().contains("CONFIRMED  NON_SNI_CLIENT_REJECTED"), text.out());

            DiagnoseCommandTest.Run json = DiagnoseCommandTest.kb("probe", proxy.target(), "--sni", "mail.example.test",
                    "--trust", root.toString(), "--client", "Outlook for Mac 2011", "--format", "json");
            JsonNode tree = SchemaAssert.assertValid(json.out());
            assertEquals("fails", tree.at("/probe/0/devices").findValuesAsText("verdict").get(
                    tree.at("/probe/0/devices").findValuesAsText("device").indexOf("outlook-mac-2011")));
            assertEquals("confirmed", tree.at("/findings/0/status").asText());

            DiagnoseCommandTest.Run md = DiagnoseCommandTest.kb("probe", exchange.target(), "--sni", "mail.example.test",
                    "--trust", root.toString(), "--format", "markdown");
            assertTrue(md.out().startsWith("# Live probe"), md.out());
            assertTrue(md.out().contains("| Device | Verdict | Why |"), md.out());

            // kb diagnose takes the probe next to symptoms and files
            DiagnoseCommandTest.Run diag = DiagnoseCommandTest.kb("diagnose", "--probe", leafOnly.target(), "--symptom", "hr=0x80072f0d",
                    "--client", "Windows Phone 7", "--trust", root.toString(), "--format", "json");
            JsonNode d = SchemaAssert.assertValid(diag.out());
            assertEquals("MISSING_INTERMEDIATE_CERTIFICATE", d.at("/findings/0/id").asText());
            assertEquals("confirmed", d.at("/findings/0/status").asText(), "the root given proves the leaf's issuer an intermediate");
            // without the root, a lone leaf's issuer could be a one-tier CA's root: likely, and the question that decides it
            JsonNode undecided = SchemaAssert.assertValid(DiagnoseCommandTest.kb("diagnose", "--probe", leafOnly.target(), "--symptom",
                    "hr=0x80072f0d", "--client", "Windows Phone 7", "--format", "json").out());
            assertEquals("MISSING_INTERMEDIATE_CERTIFICATE", undecided.at("/findings/0/id").asText());
            assertEquals("likely", undecided.at("/findings/0/status").asText());
            assertTrue(undecided.at("/questions").findValuesAsText("id").contains("issuer_is_root"), undecided.toString());
            // without --client the probe's own hello without SNI does not make the client a no-SNI one
            JsonNode noClient = SchemaAssert.assertValid(DiagnoseCommandTest.kb("probe", proxy.target(), "--sni", "mail.example.test",
                    "--format", "json").out());
            for (JsonNode f : noClient.at("/findings")) {
                assertTrue(!f.at("/id").asText().equals("NON_SNI_CLIENT_REJECTED") || !f.at("/status").asText().equals("confirmed"),
                        f.toString());
            }
            // but the condition the probe proved is in its findings: likely, naming the devices it breaks
            JsonNode nonSni = null;
            for (JsonNode f : noClient.at("/findings")) {
                if (f.at("/id").asText().equals("NON_SNI_CLIENT_REJECTED")) {
                    nonSni = f;
                }
            }
            assertTrue(nonSni != null, noClient.toString());
            assertEquals("likely", nonSni.at("/status").asText());
            assertTrue(nonSni.toString().contains("Outlook for Mac 2011"), nonSni.toString());
        }
    }

    @Test
    void badTargetsAndUnreachableServers() throws Exception {
        DiagnoseCommandTest.Run bad = DiagnoseCommandTest.kb("probe", "host:99999");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("port 99999 is not between 1 and 65535"), bad.err());
        DiagnoseCommandTest.Run both = DiagnoseCommandTest.kb("probe", "127.0.0.1", "--sni", "a", "--no-sni");
        assertEquals(2, both.status());
        DiagnoseCommandTest.Run device = DiagnoseCommandTest.kb("probe", "127.0.0.1", "--device", "Windows Phone 8x");
        assertEquals(2, device.status());
        assertTrue(device.err().contains("Windows Phone 7"), device.err());
        DiagnoseCommandTest.Run refused = DiagnoseCommandTest.kb("probe", "127.0.0.1:" + RawServer.closedPort(), "--timeout", "1");
        assertEquals(Main.EXIT_EVIDENCE_PROBLEMS, refused.status(), refused.out() + refused.err());
        assertTrue(refused.out().contains("not probed: TCP connect failed"), refused.out());
    }
}
