package org.exkb.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.exkb.engine.collect.EvidenceProblem;
import org.exkb.engine.model.Level;
import org.exkb.engine.session.RuleBase;
import org.exkb.engine.testing.TestKnowledge;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine end to end on small inline rules: findings, questions, truth maintenance, problems. */
class CaseSessionTest {
    static DiagnosisEngine engine;

    @BeforeAll
    static void compile() {
        engine = new DiagnosisEngine(RuleBase.compile(Map.of("test/rules.drl", TestKnowledge.DRL)),
                TestKnowledge.small(), DiagnosisEngine.defaultCollectors());
    }

    @Test
    void symptomAloneGivesPossibleWithEvidenceAndAQuestion() {
        Diagnosis d = engine.diagnose(Case.builder().symptom("phone log: hr=0x80072F0D").build());
        Finding f = d.finding("TEST_CAUSE").orElseThrow();
        assertEquals(Level.POSSIBLE, f.status());
        assertEquals("symptom", f.evidence().get(0).source());
        assertEquals("#1", f.evidence().get(0).locator());
        assertEquals("phone log: hr=0x80072F0D", f.evidence().get(0).detail());
        assertEquals(List.of("server_rejects"), d.questions().stream().map(PendingQuestion::id).toList());
        assertEquals(List.of("TEST_CAUSE"), d.questions().get(0).decides());
        assertEquals("Do the thing", f.fix().get(0).action());
    }

    @Test
    void clientWithoutSniRaisesItToLikely() {
        Diagnosis d = engine.diagnose(Case.builder().symptom("bad certificate").client("nsp").build());
        assertEquals(Level.LIKELY, d.finding("TEST_CAUSE").orElseThrow().status());
        assertEquals("No SNI Phone", d.client());
        assertEquals(2, d.finding("TEST_CAUSE").orElseThrow().reasons().size());
    }

    @Test
    void nearMissClientWithSniStaysPossible() {
        Diagnosis d = engine.diagnose(Case.builder().symptom("bad certificate").client("SNI Phone").build());
        assertEquals(Level.POSSIBLE, d.finding("TEST_CAUSE").orElseThrow().status());
    }

    @Test
    void changingAnAnswerRetractsWhatFollowedFromIt() {
        try (CaseSession s = engine.open()) {
            s.addSymptom("bad certificate");
            s.setClient("No SNI Phone");
            assertEquals(Level.LIKELY, s.diagnose().finding("TEST_CAUSE").orElseThrow().status());

            assertTrue(s.answer("server_rejects", "Yes").isEmpty());
            Diagnosis confirmed = s.diagnose();
            assertEquals(Level.CONFIRMED, confirmed.finding("TEST_CAUSE").orElseThrow().status());
            assertTrue(confirmed.questions().isEmpty(), "an answered question is not asked again");

            s.answer("server_rejects", "no");
            Diagnosis changed = s.diagnose();
            Finding f = changed.finding("TEST_CAUSE").orElseThrow();
            assertEquals(Level.RULED_OUT, f.status());
            assertTrue(f.reasons().stream().noneMatch(r -> r.level() == Level.CONFIRMED),
                    "the confirmation that followed from the old answer is retracted: " + f.reasons());
            assertEquals(Map.of("server_rejects", "no"), s.answers());

            assertTrue(s.unanswer("server_rejects"));
            Diagnosis withdrawn = s.diagnose();
            assertEquals(Level.LIKELY, withdrawn.finding("TEST_CAUSE").orElseThrow().status());
            assertEquals("server_rejects", withdrawn.questions().get(0).id());
            assertFalse(s.unanswer("server_rejects"));
        }
    }

    @Test
    void invalidAnswerLeavesTheSessionUnchanged() {
        try (CaseSession s = engine.open()) {
            s.addSymptom("bad certificate");
            assertTrue(s.answer("server_rejects", "perhaps").orElseThrow().contains("expected one of [yes, no, unknown]"));
            assertTrue(s.answer("sever_rejects", "yes").orElseThrow().contains("did you mean server_rejects"));
            assertEquals(Level.POSSIBLE, s.diagnose().finding("TEST_CAUSE").orElseThrow().status());
        }
    }

    @Test
    void unknownClientIsKeptWithSuggestionAndUnrecognisedSymptomIsKept() {
        Diagnosis d = engine.diagnose(Case.builder().symptom("the printer jams").client("No SNI Phon").build());
        assertEquals("No SNI Phon", d.client());
        EvidenceProblem p = d.evidenceProblems().get(0);
        assertEquals(EvidenceProblem.UNKNOWN_CLIENT, p.reason());
        assertTrue(p.detail().contains("did you mean 'No SNI Phone'"), p.detail());
        assertEquals(List.of(), d.symptoms().get(0).recognized());
        assertEquals("the printer jams", d.symptoms().get(0).text());
        assertTrue(d.findings().isEmpty());
    }

    @Test
    void invalidAnswerInACaseBecomesAnEvidenceProblem() {
        Diagnosis d = engine.diagnose(Case.builder().symptom("bad certificate").answer("minutes", "ten").build());
        assertEquals(EvidenceProblem.INVALID_ANSWER, d.evidenceProblems().get(0).reason());
        assertTrue(d.evidenceProblems().get(0).detail().contains("a number"));
    }

    /** STACK-NOTES: drools-mvel 10.2.0 breaks after a constraint is evaluated 20 times; the executable model must not. */
    @Test
    void manyCasesOnOneEngineKeepWorking() {
        for (int i = 0; i < 60; i++) {
            Diagnosis d = engine.diagnose(Case.builder().symptom("bad certificate").client("nsp")
                    .answer("server_rejects", i % 2 == 0 ? "yes" : "no").build());
            assertEquals(i % 2 == 0 ? Level.CONFIRMED : Level.RULED_OUT, d.finding("TEST_CAUSE").orElseThrow().status());
        }
    }

    @Test
    void firedRulesAreRecorded() {
        Diagnosis d = engine.diagnose(Case.builder().symptom("bad certificate").build());
        assertEquals(1, d.firedRules().get("TEST_CAUSE: possible from a certificate error"));
        assertFalse(d.firedRules().containsKey("TEST_CAUSE: likely when the client sends no SNI"));
    }
}
