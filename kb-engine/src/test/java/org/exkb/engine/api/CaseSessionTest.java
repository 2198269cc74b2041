package org.exkb.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.exkb.engine.model.EvidenceProblem;
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
    void logsAddedOneByOneAreMergedAsIfAddedTogether(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String fields = "#Fields: date time s-computername cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent)"
                + " sc-status sc-substatus sc-win32-status time-taken\r\n";
        java.nio.file.Path first = dir.resolve("u_ex26112008.log");
        java.nio.file.Path second = dir.resolve("u_ex26112009.log");
        StringBuilder a = new StringBuilder(fields);
        StringBuilder b = new StringBuilder(fields);
        for (int d = 0; d < 10; d++) { // devices 0-5 in the first hour, 3-9 in the second, all behind one address
            String line = "2026-11-20 08:00:00 CAS01 POST /Microsoft-Server-ActiveSync/default.eas User=u" + d + "&DeviceId=D" + d
                    + "&Cmd=Sync 443 - 203.0.113.7 Apple-iPhone/1.0 200 0 0 100\r\n";
            if (d <= 5) {
                a.append(line);
            }
            if (d >= 3) {
                b.append(line);
            }
        }
        java.nio.file.Files.writeString(first, a);
        java.nio.file.Files.writeString(second, b);
        List<String> together;
        try (CaseSession s = engine.open()) {
            s.add(s.read(List.of(first, second)));
            together = s.diagnose().facts().stream().map(f -> f.type() + " " + f.description()).toList();
        }
        try (CaseSession s = engine.open()) {
            s.add(s.read(List.of(first)));
            s.diagnose();
            s.add(s.read(List.of(second)));
            List<String> oneByOne = s.diagnose().facts().stream().map(f -> f.type() + " " + f.description()).toList();
            assertEquals(together, oneByOne);
            // the folder added again: the two files are in the case already and are not counted twice
            org.exkb.engine.collect.CollectResult again = s.read(List.of(dir));
            assertTrue(again.examined().stream().filter(e -> e.endsWith("already in this case; not read again")).count() == 2,
                    again.examined().toString());
            s.add(again);
            assertEquals(together, s.diagnose().facts().stream().map(f -> f.type() + " " + f.description()).toList());
        }
        assertTrue(together.stream().anyMatch(f -> f.startsWith("EasAddress") && f.contains("10 ActiveSync devices, 13 requests")), together.toString());
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

    @Test
    void aCorrectedClientOrAnswerIsNoLongerAProblemOfTheCase() {
        try (CaseSession s = engine.open()) {
            s.addSymptom("bad certificate");
            s.setClient("Outlok for Mac");
            assertTrue(s.diagnose().evidenceProblems().stream().anyMatch(p -> p.reason() == EvidenceProblem.UNKNOWN_CLIENT));
            s.setClient("nsp");
            Diagnosis d = s.diagnose();
            assertEquals(List.of(), d.evidenceProblems(), "the name that was not found was replaced");
            assertEquals("No SNI Phone", d.client());
            s.add(engine.answers().collect("server_rejects", "perhaps", "answer", "server_rejects"));
            assertEquals(EvidenceProblem.INVALID_ANSWER, s.diagnose().evidenceProblems().get(0).reason());
            s.answer("server_rejects", "yes");
            assertEquals(List.of(), s.diagnose().evidenceProblems(), "the answer was given again, right");
        }
    }

    @Test
    void twoCaseFilesThatDisagreeAreAConflictNotASilentMerge(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path a = dir.resolve("a/case.yaml");
        java.nio.file.Path b = dir.resolve("b/case.yaml");
        java.nio.file.Files.createDirectories(a.getParent());
        java.nio.file.Files.createDirectories(b.getParent());
        java.nio.file.Files.writeString(a, "symptoms: [bad certificate]\nclient: nsp\nanswers: {server_rejects: yes}\n");
        java.nio.file.Files.writeString(b, "client: SNI Phone\nanswers: {server_rejects: no}\n");
        Diagnosis d = engine.diagnose(Case.builder().evidence(a.getParent()).evidence(b.getParent()).build());
        List<EvidenceProblem> conflicts = d.evidenceProblems().stream().filter(p -> p.reason() == EvidenceProblem.Reason.CONFLICT).toList();
        assertEquals(2, conflicts.size(), d.evidenceProblems().toString());
        assertTrue(conflicts.stream().anyMatch(p -> p.detail().contains("names the client SNI Phone, where " + a + " names No SNI Phone")),
                conflicts.toString());
        assertTrue(conflicts.stream().anyMatch(p -> p.detail().startsWith("answers server_rejects 'no', where " + a + " answers 'yes'")),
                conflicts.toString());
        Diagnosis agreeing = engine.diagnose(Case.builder().evidence(a.getParent()).client("nsp").build());
        assertTrue(agreeing.evidenceProblems().isEmpty(), "the same client from a file and the command line is no conflict");
    }
}
