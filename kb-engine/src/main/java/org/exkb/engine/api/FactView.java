package org.exkb.engine.api;

import java.util.List;
import org.exkb.engine.model.EvidenceRef;

/** A fact that was in the session: its type, what it says, and its evidence. */
public record FactView(String type, String description, List<EvidenceRef> evidence) {
    public FactView {
        evidence = List.copyOf(evidence);
    }
}
