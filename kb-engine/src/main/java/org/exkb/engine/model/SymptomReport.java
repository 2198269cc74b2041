package org.exkb.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * Raw fact: a user-reported symptom recognised as one catalogued symptom code. One reported text can
 * give several (a pasted error line often carries both a message and an hr= code).
 */
public record SymptomReport(String code, String text, EvidenceRef ref) implements HasEvidence {
    public SymptomReport {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(ref, "ref");
    }

    @Override
    public List<EvidenceRef> evidence() {
        return List.of(ref);
    }

    @Override
    public String describe() {
        return "symptom " + code + ": \"" + text + "\"";
    }
}
