package org.exkb.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * Meaningful fact, inserted logically by policy rules from raw facts (symptoms, answers, captures,
 * probes, logs): a condition that diagnosis rules reason about, such as
 * {@code CLIENT_REJECTS_SERVER_CERTIFICATE}. Diagnosis rules match these, never raw facts.
 */
public record Indication(String name, List<EvidenceRef> evidence) implements HasEvidence {
    public Indication {
        Objects.requireNonNull(name, "name");
        evidence = Evidence.copy(evidence);
    }

    @Override
    public String describe() {
        return "indication " + name;
    }
}
