package org.exkb.engine.model;

import java.util.List;
import java.util.Objects;

/** A reported symptom text and the catalogued codes it was recognised as (none: kept as reported). */
public record SymptomView(String text, List<String> recognized, EvidenceRef ref) {
    public SymptomView {
        Objects.requireNonNull(text, "text");
        recognized = List.copyOf(recognized);
    }
}
