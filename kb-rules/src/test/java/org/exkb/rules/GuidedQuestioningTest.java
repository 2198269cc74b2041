package org.exkb.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.exkb.engine.api.Case;
import org.exkb.engine.api.CaseSession;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.api.PendingQuestion;
import org.exkb.engine.model.Level;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine asks what decides a hypothesis, and answers move the finding - and move it back. */
class GuidedQuestioningTest {
    static DiagnosisEngine engine;

    @BeforeAll
    static void load() {
        engine = DiagnosisEngine.fromClasspath();
    }

    private static Level status(Diagnosis d, String id) {
        return d.finding(id).orElseThrow(() -> new AssertionError(id + " not in " + d.findings())).status();
    }

    @Test
    void outlookForMacBadCredentialsAsksTheQuestionThatDecides() {
        try (CaseSession s = engine.open()) {
            s.addSymptom("bad username or password");
            s.setClient("Outlook for Mac 2011");
            Diagnosis first = s.diagnose();
            assertEquals(Level.POSSIBLE, status(first, "NON_SNI_CLIENT_REJECTED"));
            PendingQuestion q = first.questions().get(0);
            assertEquals("handshake_without_sni", q.id(), "the most decisive question comes first");
            assertEquals(List.of("NON_SNI_CLIENT_REJECTED"), q.decides());

            s.answer("browser_works", "yes");
            assertEquals(Level.LIKELY, status(s.diagnose(), "NON_SNI_CLIENT_REJECTED"));

            s.answer("handshake_without_sni", "fails");
            Diagnosis confirmed = s.diagnose();
            assertEquals(Level.CONFIRMED, status(confirmed, "NON_SNI_CLIENT_REJECTED"));
            assertTrue(confirmed.questions().isEmpty(), "nothing left to decide: " + confirmed.questions());

            s.answer("handshake_without_sni", "succeeds");
            Diagnosis changed = s.diagnose();
            assertEquals(Level.RULED_OUT, status(changed, "NON_SNI_CLIENT_REJECTED"));
            assertTrue(changed.finding("NON_SNI_CLIENT_REJECTED").orElseThrow().reasons().stream()
                    .noneMatch(r -> r.level() == Level.CONFIRMED), "the confirmation was retracted");
            assertFalse(changed.facts().stream().anyMatch(f -> f.description().equals("indication NO_SNI_HANDSHAKE_REJECTED")));
        }
    }

    @Test
    void aRequestForEvidenceIsSettledByThatEvidenceOrByAnsweringUnavailable() {
        java.nio.file.Path capture = org.exkb.engine.KnowledgeSamples.named("capture-non-sni-reset");
        try (CaseSession s = engine.open()) {
            s.addSymptom("bad username or password");
            s.setClient("Outlook for Mac 2011");
            Diagnosis before = s.diagnose();
            assertTrue(before.question("capture_client_connection").isPresent(), before.questions().toString());
            assertTrue(before.question("probe_server").isPresent(), before.questions().toString());

            s.addEvidence(List.of(capture));
            Diagnosis after = s.diagnose();
            assertTrue(after.question("capture_client_connection").isEmpty(), "a capture is in the case: " + after.questions());

            assertTrue(s.answer("probe_server", "bogus").isPresent(), "an evidence request takes only 'unavailable'");
            assertTrue(s.answer("probe_server", "unavailable").isEmpty());
            assertTrue(s.diagnose().question("probe_server").isEmpty());
        }
        try (CaseSession s = engine.open()) {
            // near miss: evidence of another kind does not settle the request
            s.addSymptom("bad username or password");
            s.setClient("Outlook for Mac 2011");
            s.addEvidence(List.of(org.exkb.engine.KnowledgeSamples.named("logs-near-miss-noise")));
            assertTrue(s.diagnose().question("capture_client_connection").isPresent());
        }
    }

    @Test
    void windowsPhoneCertificateErrorListsTheFourCertificateCausesAndAsksWhatSeparatesThem() {
        Diagnosis d = engine.diagnose(Case.builder().symptom("hr=0x80072f0d").client("Windows Phone 7").build());
        for (String id : List.of("MISSING_INTERMEDIATE_CERTIFICATE", "DEVICE_ROOT_CA_NOT_TRUSTED",
                "CERTIFICATE_NAME_MISMATCH", "CERTIFICATE_EXPIRED")) {
            assertEquals(Level.POSSIBLE, status(d, id));
        }
        List<String> asked = d.questions().stream().map(PendingQuestion::id).toList();
        assertTrue(asked.containsAll(List.of("chain_sent", "other_clients_work", "network_side", "root_in_device_store",
                "name_covered", "certificates_in_date")), asked.toString());
        assertEquals("probe_server", asked.get(0), "a live probe decides all four certificate causes, so it is asked for first");
        assertEquals("chain_sent", asked.get(1), "of the plain questions, the chain question decides two hypotheses, so it comes first");
        PendingQuestion probe = d.question("probe_server").orElseThrow();
        assertTrue(probe.wantsEvidence());
        assertEquals("probe", probe.evidence());
        assertEquals(4, probe.decides().size());

        Diagnosis inside = engine.diagnose(Case.builder().symptom("hr=0x80072f0d").client("Windows Phone 7")
                .answer("network_side", "inside_only").build());
        assertEquals(Level.LIKELY, status(inside, "MISSING_INTERMEDIATE_CERTIFICATE"));
    }

    @Test
    void firewallTimeoutComparedAgainstHeartbeat() {
        Case.Builder base = Case.builder().symptom("Direct Push stops working");
        assertEquals(Level.POSSIBLE, status(engine.diagnose(base.build()), "FIREWALL_IDLE_TIMEOUT_BELOW_HEARTBEAT"));
        assertEquals(Level.LIKELY, status(engine.diagnose(Case.builder().symptom("push mail delayed")
                .answer("firewall_idle_timeout_minutes", "15").answer("heartbeat_minutes", "15").build()),
                "FIREWALL_IDLE_TIMEOUT_BELOW_HEARTBEAT"));
        assertEquals(Level.RULED_OUT, status(engine.diagnose(Case.builder().symptom("push mail delayed")
                .answer("firewall_idle_timeout_minutes", "30").answer("heartbeat_minutes", "15").build()),
                "FIREWALL_IDLE_TIMEOUT_BELOW_HEARTBEAT"));
        Diagnosis unknown = engine.diagnose(Case.builder().symptom("push mail delayed")
                .answer("firewall_idle_timeout_minutes", "unknown").answer("heartbeat_minutes", "15").build());
        assertEquals(Level.POSSIBLE, status(unknown, "FIREWALL_IDLE_TIMEOUT_BELOW_HEARTBEAT"), "'unknown' decides nothing");
    }

    @Test
    void aClientThatSendsSniIsNotSuspectedOfLackingIt() {
        Diagnosis d = engine.diagnose(Case.builder().symptom("bad username or password").client("iPhone").build());
        assertTrue(d.finding("NON_SNI_CLIENT_REJECTED").isEmpty(), d.findings().toString());
    }
}
