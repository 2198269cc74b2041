package org.exkb.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * Diagnosis output: one rule's conclusion about a catalogued root cause, with its reason and the
 * evidence it rests on. The engine folds all supports for an id into one finding.
 */
public record Support(String finding, Level level, String reason, List<EvidenceRef> evidence) implements HasEvidence {
    public Support {
        Objects.requireNonNull(finding, "finding");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(reason, "reason");
        evidence = Evidence.copy(evidence);
    }

    @Override
    public String describe() {
        return finding + " " + level.json() + ": " + reason;
    }
}
