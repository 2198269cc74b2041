package org.exkb.engine.api;

import java.util.List;
import org.exkb.engine.knowledge.FixStep;
import org.exkb.engine.knowledge.SourceRef;
import org.exkb.engine.model.EvidenceRef;
import org.exkb.engine.model.Level;

/**
 * One root cause and what the case says about it: status, the reasons rules gave (each with its
 * level), the evidence they rest on, and the document's words, fix and sources.
 */
public record Finding(String id, Level status, String kind, String title, String summary,
                      List<Reason> reasons, List<EvidenceRef> evidence, List<FixStep> fix,
                      List<SourceRef> sources) {
    public Finding {
        reasons = List.copyOf(reasons);
        evidence = List.copyOf(evidence);
        fix = List.copyOf(fix);
        sources = List.copyOf(sources);
    }

    /** One rule's conclusion: its level and why. */
    public record Reason(Level level, String text, List<EvidenceRef> evidence) {
        public Reason {
            evidence = List.copyOf(evidence);
        }
    }
}
