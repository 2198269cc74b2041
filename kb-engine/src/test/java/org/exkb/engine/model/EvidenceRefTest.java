package org.exkb.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Evidence is kept whole for JSON and shortened for reports without cutting the sentence that explains it. */
class EvidenceRefTest {
    @Test
    void theExplanationIsKeptWholeAndReportsCutOnlyTheTail() {
        String subject = "CN=mail.example.test, OU=" + "Operations ".repeat(60) + ", O=Contoso";
        String explanation = "The chain is complete up to " + subject + ", which the server does not send and which is not known here,"
                + " so it is taken to be the root; give it with --trust FILE.";
        EvidenceRef e = EvidenceRef.of("trace.pcap", "frame 7", explanation + " Certificate (2) from 10.0.0.5:443: " + subject + " issued by "
                + subject + ", valid 2026-01-01T00:00:00Z to 2027-01-01T00:00:00Z");
        assertTrue(e.detail().endsWith("2027-01-01T00:00:00Z"), "JSON keeps the whole detail");
        assertTrue(e.shortDetail().startsWith(explanation), e.shortDetail());
        assertTrue(e.shortDetail().contains("give it with --trust FILE"), "the hint is never cut");
        assertTrue(e.shortDetail().length() < e.detail().length());
        EvidenceRef small = EvidenceRef.of("trace.pcap", "frame 7", "short");
        assertEquals("short", small.shortDetail());
    }
}
