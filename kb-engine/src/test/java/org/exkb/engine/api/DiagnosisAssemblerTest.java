package org.exkb.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.model.EvidenceRef;
import org.exkb.engine.model.Indication;
import org.exkb.engine.model.Level;
import org.exkb.engine.model.Support;
import org.exkb.engine.testing.TestKnowledge;
import org.junit.jupiter.api.Test;

class DiagnosisAssemblerTest {
    private static EvidenceRef frame(int n) {
        return EvidenceRef.of("trace.pcap", "frame " + n, "handshake in frame " + n);
    }

    @Test
    void theSameFactsInAnyOrderGiveTheSameDiagnosis() {
        // two reasons with the same level and text, evidence in the order a rule happened to collect it
        List<Object> memory = new ArrayList<>(List.of(
                new Support("TEST_CAUSE", Level.LIKELY, "rejected without SNI", List.of(frame(37), frame(4))),
                new Support("TEST_CAUSE", Level.LIKELY, "rejected without SNI", List.of(frame(27), frame(4))),
                new Support("TEST_CAUSE", Level.POSSIBLE, "reported as bad credentials", List.of(frame(100))),
                new Indication("NO_SNI_HANDSHAKE_REJECTED", List.of(frame(37), frame(4))),
                new Indication("NO_SNI_HANDSHAKE_REJECTED", List.of(frame(27), frame(4)))));
        DiagnosisAssembler a = new DiagnosisAssembler(TestKnowledge.small());
        Diagnosis first = a.assemble(memory, new CollectResult(), null, Map.of());
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(memory, random);
            assertEquals(first, a.assemble(memory, new CollectResult(), null, Map.of()), "order " + memory);
        }
        Finding f = first.findings().get(0);
        assertEquals(2, f.reasons().size(), "the reason given twice is said once: " + f.reasons());
        assertEquals(List.of(frame(4), frame(27), frame(37)), f.reasons().get(0).evidence(), "both matches' evidence, by frame number");
        assertEquals(List.of(frame(4), frame(27), frame(37), frame(100)), f.evidence(), "the strongest reasons' evidence first");
    }

    @Test
    void evidenceOrderComparesNumbersAsNumbers() {
        List<EvidenceRef> refs = new ArrayList<>(List.of(EvidenceRef.of("b.log", "line 10", ""), EvidenceRef.of("a.log", "line 9", ""),
                EvidenceRef.of("b.log", "line 9", ""), EvidenceRef.of("b.log", "line 009", "x"), EvidenceRef.of("a.log", "", "")));
        refs.sort(EvidenceRef.ORDER);
        assertEquals(List.of("a.log ", "a.log line 9", "b.log line 9", "b.log line 009", "b.log line 10"),
                refs.stream().map(r -> r.source() + " " + r.locator()).toList());
        assertTrue(EvidenceRef.ORDER.compare(EvidenceRef.of("u_ex2.log", "", ""), EvidenceRef.of("u_ex10.log", "", "")) < 0);
    }
}
