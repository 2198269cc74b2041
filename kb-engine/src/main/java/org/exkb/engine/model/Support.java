package org.exkb.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * Diagnosis output: one rule's conclusion about a catalogued root cause, with its reason and the
 * evidence it rests on. The engine folds all supports for an id into one finding.
 *
 * @param breaks the capability whose lack makes this server condition fail a device, or null: the
 *               report then names the catalogued devices that lack it
 */
public record Support(String finding, Level level, String reason, List<EvidenceRef> evidence, Capability breaks)
        implements HasEvidence {
    public Support {
        Objects.requireNonNull(finding, "finding");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(reason, "reason");
        evidence = Evidence.copy(evidence);
    }

    public Support(String finding, Level level, String reason, List<EvidenceRef> evidence) {
        this(finding, level, reason, evidence, null);
    }

    /** This support, saying that the condition it proves breaks devices that lack {@code capability}. */
    public Support breaking(Capability capability) {
        return new Support(finding, level, reason, evidence, capability);
    }

    @Override
    public String describe() {
        return finding + " " + level.json() + ": " + reason;
    }
}
