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
        return diagnose(root, server, client, symptoms);
    }

    /** Probes {@code server} with {@code trusted} as the only root given ({@code null}: none, only the JDK's). */
    static Result diagnose(Path trusted, TestTlsServer.Config server, String client, String... symptoms) throws Exception {
        try (TestTlsServer s = server.start(); CaseSession c = engine.open()) {
            if (trusted != null) {
                assertTrue(c.trust(trusted).isEmpty());
            }
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

    static Path pem(Path dir, String name, java.security.cert.X509Certificate c) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(c.getEncoded())
                + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
        return p;
    }

    static void noConfirmedOrLikelyFault(Result r, String what) {
        for (Finding f : r.diagnosis().findings()) {
            assertTrue(!f.kind().equals("fault") || f.status() != Level.CONFIRMED && f.status() != Level.LIKELY,
                    what + ": " + f.id() + " " + f.status() + " " + f.reasons());
        }
    }

    /**
     * Healthy servers of an organisation's own CA, probed live, with and without the root given: a
     * two-tier CA (root not sent), a one-tier CA (the leaf alone, issued by the root) and a public-style
     * three-level chain. None may give a confirmed or likely fault.
     */
    @Test
    void privateCaServersAreHealthyWithAndWithoutTheirRoot(@TempDir Path dir) throws Exception {
        java.time.Instant from = java.time.Instant.now().minus(java.time.Duration.ofDays(1));
        java.time.Instant to = java.time.Instant.now().plus(java.time.Duration.ofDays(300));
        TestPki contoso = new TestPki("Contoso");
        TestPki.Issued twoTierLeaf = contoso.leaf(NAME);
        TestPki.Issued oneTierRoot = TestPki.issue("CN=Fabrikam Root CA,DC=fabrikam,DC=test", null, true, List.of(), from, to, null);
        TestPki.Issued oneTierLeaf = TestPki.issue("CN=" + NAME, oneTierRoot, false, List.of(NAME), from, to, null);
        TestPki publicStyle = new TestPki("Example Global G2");
        TestPki.Issued publicLeaf = TestPki.issue("CN=" + NAME + ",O=Contoso Ltd.,L=Redmond,ST=Washington,C=US", publicStyle.intermediate, false,
                List.of(NAME), from, to, "http://pki.example.test/issuing.crt");
        Path contosoRoot = pem(dir, "contoso.pem", contoso.root.certificate());
        Path fabrikamRoot = pem(dir, "fabrikam.pem", oneTierRoot.certificate());
        Path publicRoot = pem(dir, "public.pem", publicStyle.root.certificate());

        TestTlsServer.Config twoTier = TestTlsServer.with().chain(twoTierLeaf.key(), twoTierLeaf.certificate(), contoso.intermediate.certificate());
        TestTlsServer.Config oneTier = TestTlsServer.with().chain(oneTierLeaf.key(), oneTierLeaf.certificate());
        TestTlsServer.Config threeLevel = TestTlsServer.with().chain(publicLeaf.key(), publicLeaf.certificate(),
                publicStyle.intermediate.certificate());

        Result twoTierAlone = diagnose(null, twoTier, null);
        noConfirmedOrLikelyFault(twoTierAlone, "two-tier, no root given");
        assertEquals(Level.RULED_OUT, twoTierAlone.status("MISSING_INTERMEDIATE_CERTIFICATE"));
        assertEquals("root_unknown", twoTierAlone.report().chain().strict().word(), twoTierAlone.report().chain().verdict());
        Result twoTierTrusted = diagnose(contosoRoot, twoTier, null);
        noConfirmedOrLikelyFault(twoTierTrusted, "two-tier, root given");
        assertEquals("complete", twoTierTrusted.report().chain().strict().word());
        noConfirmedOrLikelyFault(diagnose(contosoRoot, twoTier, "Outlook for Mac 2011", "bad username or password"), "two-tier, a client");

        Result oneTierAlone = diagnose(null, oneTier, null);
        noConfirmedOrLikelyFault(oneTierAlone, "one-tier, no root given");
        assertEquals(Level.POSSIBLE, oneTierAlone.status("MISSING_INTERMEDIATE_CERTIFICATE"));
        assertTrue(oneTierAlone.diagnosis().questions().stream().anyMatch(q -> q.id().equals("issuer_is_root")),
                oneTierAlone.diagnosis().questions().toString());
        Result oneTierTrusted = diagnose(fabrikamRoot, oneTier, null);
        noConfirmedOrLikelyFault(oneTierTrusted, "one-tier, root given");
        assertEquals(Level.RULED_OUT, oneTierTrusted.status("MISSING_INTERMEDIATE_CERTIFICATE"), "the leaf's issuer is the root given");

        noConfirmedOrLikelyFault(diagnose(null, threeLevel, null), "three-level, no root given");
        noConfirmedOrLikelyFault(diagnose(publicRoot, threeLevel, null), "three-level, root given");
        // the near miss: the root given is not the one the leaf-only chain needs, so its issuer is an intermediate
        Result wrong = diagnose(contosoRoot, oneTier, null);
        assertEquals(Level.LIKELY, wrong.status("MISSING_INTERMEDIATE_CERTIFICATE"));
    }

    /** What a probe proves about a server is in its findings before any client or symptom is known. */
    @Test
    void aProbeAloneReportsTheServerConditionsItProves() throws Exception {
        Result nonSni = diagnose(healthy().noSni(NoSni.RESET), null);
        assertEquals(Level.LIKELY, nonSni.status("NON_SNI_CLIENT_REJECTED"));
        String reasons = nonSni.diagnosis().finding("NON_SNI_CLIENT_REJECTED").orElseThrow().reasons().toString();
        assertTrue(reasons.contains("Outlook for Mac 2011"), reasons);
        Result autodiscover = diagnose(healthy().clientAuth(TestTlsServer.ClientAuth.WANT, pki.root.certificate()), null);
        assertEquals(Level.LIKELY, autodiscover.status("CLIENT_CERT_NEGOTIATION_BREAKS_AUTODISCOVER"));
        Result near = diagnose(healthy(), null);
        assertEquals(Level.RULED_OUT, near.status("NON_SNI_CLIENT_REJECTED"));
        assertEquals(Level.RULED_OUT, near.status("CLIENT_CERT_NEGOTIATION_BREAKS_AUTODISCOVER"));
        noConfirmedOrLikelyFault(near, "healthy server, probe alone");
    }
}
