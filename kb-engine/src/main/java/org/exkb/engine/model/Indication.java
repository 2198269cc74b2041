package org.exkb.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * Meaningful fact, inserted logically by policy rules from raw facts (symptoms, answers, captures,
 * probes, logs): a condition that diagnosis rules reason about, such as
 * {@code CLIENT_REJECTS_SERVER_CERTIFICATE}. Diagnosis rules match these, never raw facts.
 * {@code detail} carries what a diagnosis rule may quote in its reason (which users, which server),
 * or is empty.
 */
public record Indication(String name, String detail, List<EvidenceRef> evidence) implements HasEvidence {
    public Indication {
        Objects.requireNonNull(name, "name");
        detail = detail == null ? "" : detail;
        evidence = Evidence.copy(evidence);
    }

    public Indication(String name, List<EvidenceRef> evidence) {
        this(name, "", evidence);
    }

    @Override
    public String describe() {
        return "indication " + name + (detail.isEmpty() ? "" : ": " + detail);
    }
}
