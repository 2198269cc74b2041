package org.exkb.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.exkb.engine.api.CaseSession;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.api.Finding;
import org.exkb.engine.model.Level;
import org.exkb.engine.probe.ProbeReport;
import org.exkb.engine.probe.ProbeTarget;
import org.exkb.engine.testing.TestPki;
import org.exkb.engine.testing.TestTlsServer;
import org.exkb.engine.testing.TestTlsServer.NoSni;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each catalogued TLS root cause diagnosed from a live probe of a local server that has it, through
 * the real rules; and the healthy server next to it that must not produce it.
 */
class ProbeRulesTest {
    static final String NAME = "mail.example.test";
    static DiagnosisEngine engine;
    static TestPki pki;
    static TestPki.Issued leaf;
    static Path root;
    static final java.util.Set<String> FIRED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void setUp(@TempDir Path dir) throws Exception {
        engine = DiagnosisEngine.fromClasspath();
        pki = new TestPki("Rules Test");
        leaf = pki.leaf(NAME, "autodiscover.example.test");
        root = dir.resolve("root.pem");
        Files.writeString(root, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(pki.root.certificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
    }

    static TestTlsServer.Config healthy() {
        return TestTlsServer.with().chain(leaf.key(), leaf.certificate(), pki.intermediate.certificate());
    }

    record Result(Diagnosis diagnosis, ProbeReport report) {
        Level status(String id) {
            return diagnosis.finding(id).map(Finding::status).orElse(null);
        }
    }

    static Result diagnose(TestTlsServer.Config server, String client, String... symptoms) throws Exception {
        try (TestTlsServer s = server.start(); CaseSession c = engine.open()) {
            assertTrue(c.trust(root).isEmpty());
            if (client != null) {
                c.setClient(client);
            }
            for (String sy : symptoms) {
                c.addSymptom(sy);
            }
            List<ProbeReport> r = c.probe(List.of(ProbeTarget.parse(s.target())), c.probeOptions(NAME, false, 3000));
            Diagnosis d = c.diagnose();
            FIRED.addAll(d.firedRules().keySet());
            return new Result(d, r.get(0));
        }
    }

    /** The rules that read what only the probe produces fire in these scenarios (SamplesTest covers the others). */
    @org.junit.jupiter.api.AfterAll
    static void everyLiveOnlyRuleFired() {
        if (FIRED.isEmpty()) {
            return; // filtered run
        }
        java.util.Set<String> never = new java.util.TreeSet<>();
        engine.rules().rules().forEach(r -> {
            if (r.getName().startsWith("http: ") && !FIRED.contains(r.getName())) {
                never.add(r.getName());
            }
        });
        assertEquals(java.util.Set.of(), never);
    }

    @Test
    void healthyServerConfirmsNothing() throws Exception {
        Result r = diagnose(healthy(), "Outlook for Mac 2011", "bad username or password");
        for (Finding f : r.diagnosis().findings()) {
            assertTrue(f.status() != Level.CONFIRMED && f.status() != Level.LIKELY, f.id() + " " + f.status());
        }
        assertEquals(Level.RULED_OUT, r.status("NON_SNI_CLIENT_REJECTED"));
        assertEquals(Level.RULED_OUT, r.status("MISSING_INTERMEDIATE_CERTIFICATE"));
        assertEquals(Level.RULED_OUT, r.status("CERTIFICATE_NAME_MISMATCH"));
        assertEquals(Level.RULED_OUT, r.status("CERTIFICATE_EXPIRED"));
        assertEquals(Level.RULED_OUT, r.status("CLIENT_CERT_NEGOTIATION_BREAKS_AUTODISCOVER"));
        assertTrue(r.diagnosis().facts().stream().anyMatch(f -> f.evidence().stream().anyMatch(e -> e.source().startsWith("live:127.0.0.1:"))));
    }

    @Test
    void nonSniClientRejectedByResetOrAlert() throws Exception {
        for (NoSni how : new NoSni[] {NoSni.RESET, NoSni.ALERT}) {
            Result r = diagnose(healthy().noSni(how), "Outlook for Mac 2011", "bad username or password");
            assertEquals(Level.CONFIRMED, r.status("NON_SNI_CLIENT_REJECTED"), how.name());
            assertEquals("fails", r.report().devices().stream().filter(d -> d.device().equals("outlook-mac-2011")).findFirst()
                    .orElseThrow().verdict());
        }
    }

    @Test
    void missingIntermediate() throws Exception {
        Result r = diagnose(TestTlsServer.with().chain(leaf.key(), leaf.certificate()), "Windows Phone 7", "hr=0x80072f0d");
        assertEquals(Level.CONFIRMED, r.status("MISSING_INTERMEDIATE_CERTIFICATE"));
        assertEquals("fails", r.report().devices().stream().filter(d -> d.device().equals("windows-phone-7")).findFirst()
                .orElseThrow().verdict());
        Result near = diagnose(healthy(), "Windows Phone 7", "hr=0x80072f0d");
        assertEquals(Level.RULED_OUT, near.status("MISSING_INTERMEDIATE_CERTIFICATE"));
    }

    @Test
    void nameMismatchDirectAndThroughTheDefaultCertificate() throws Exception {
        TestPki.Issued wrong = pki.leaf("www.example.test");
        Result r = diagnose(TestTlsServer.with().chain(wrong.key(), wrong.certificate(), pki.intermediate.certificate()), null,
                "Cannot Verify Server Identity");
        assertEquals(Level.CONFIRMED, r.status("CERTIFICATE_NAME_MISMATCH"));
        Result other = diagnose(healthy().noSniChain(wrong.key(), wrong.certificate(), pki.intermediate.certificate()),
                "Outlook for Mac 2011", "Cannot Verify Server Identity");
        assertEquals(Level.LIKELY, other.status("CERTIFICATE_NAME_MISMATCH"));
        Result near = diagnose(healthy(), "Outlook for Mac 2011", "Cannot Verify Server Identity");
        assertEquals(Level.RULED_OUT, near.status("CERTIFICATE_NAME_MISMATCH"));
    }

    @Test
    void expiredCertificate() throws Exception {
        TestPki.Issued old = pki.expiredLeaf(NAME);
        Result r = diagnose(TestTlsServer.with().chain(old.key(), old.certificate(), pki.intermediate.certificate()), null,
                "Cannot Verify Server Identity");
        assertEquals(Level.CONFIRMED, r.status("CERTIFICATE_EXPIRED"));
        assertEquals(Level.RULED_OUT, diagnose(healthy(), null, "Cannot Verify Server Identity").status("CERTIFICATE_EXPIRED"));
    }

    @Test
    void clientCertificateNegotiationBreaksAutodiscover() throws Exception {
        Result r = diagnose(healthy().clientAuth(TestTlsServer.ClientAuth.WANT, pki.root.certificate()), null,
                "Test E-mail AutoConfiguration fails");
        assertEquals(Level.CONFIRMED, r.status("CLIENT_CERT_NEGOTIATION_BREAKS_AUTODISCOVER"));
        Result near = diagnose(healthy(), null, "Test E-mail AutoConfiguration fails");
        assertEquals(Level.RULED_OUT, near.status("CLIENT_CERT_NEGOTIATION_BREAKS_AUTODISCOVER"));
    }

    @Test
    void certificateAskedOnDemandMakesTheRenegotiationDeadlockLikely() throws Exception {
        String[] symptoms = {"mail with attachments stuck in the Outbox", "small mail fine"};
        Result r = diagnose(healthy().renegotiateOn("/Microsoft-Server-ActiveSync", pki.root.certificate()), "iPhone", symptoms);
        assertEquals(Level.LIKELY, r.status("CLIENT_CERT_RENEGOTIATION_DEADLOCK"));
        Result near = diagnose(healthy(), "iPhone", symptoms);
        assertEquals(Level.POSSIBLE, near.status("CLIENT_CERT_RENEGOTIATION_DEADLOCK"));
    }

    @Test
    void smallRootStoreWithACompleteChain() throws Exception {
        Result r = diagnose(healthy(), "Windows Mobile 6", "Cannot Verify Server Identity");
        assertEquals(Level.LIKELY, r.status("DEVICE_ROOT_CA_NOT_TRUSTED"));
        assertEquals("at_risk", r.report().devices().stream().filter(d -> d.device().equals("windows-mobile-6")).findFirst()
                .orElseThrow().verdict());
        Result near = diagnose(TestTlsServer.with().chain(leaf.key(), leaf.certificate()), "Windows Mobile 6", "Cannot Verify Server Identity");
        assertEquals(Level.POSSIBLE, near.status("DEVICE_ROOT_CA_NOT_TRUSTED"));
    }
}
