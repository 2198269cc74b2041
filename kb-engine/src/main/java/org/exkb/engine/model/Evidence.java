package org.exkb.engine.model;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Helpers that rule consequences use to carry the proof of matched facts into inferred facts. */
public final class Evidence {
    private Evidence() {
    }

    /** The evidence of every given fact, in order, without repeats. Non-evidence objects are ignored. */
    public static List<EvidenceRef> of(Object... facts) {
        Set<EvidenceRef> refs = new LinkedHashSet<>();
        for (Object f : facts) {
            if (f instanceof HasEvidence h) {
                refs.addAll(h.evidence());
            } else if (f instanceof EvidenceRef r) {
                refs.add(r);
            } else if (f instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof EvidenceRef r) {
                        refs.add(r);
                    } else if (o instanceof HasEvidence h) {
                        refs.addAll(h.evidence());
                    }
                }
            }
        }
        return List.copyOf(refs);
    }

    static List<EvidenceRef> copy(List<EvidenceRef> refs) {
        if (refs == null) {
            return List.of();
        }
        return List.copyOf(new LinkedHashSet<>(refs));
    }
}
