package org.exkb.engine.knowledge;

import java.util.List;
import java.util.Objects;

/**
 * The words of one knowledge entry, kept apart from its rules: title, what it is, the fix and the
 * sources. Loaded from {@code kb/docs/<ID>.yaml}.
 */
public record EntryDoc(String id, String title, String kind, String summary, String explanation,
                       List<FixStep> fix, List<SourceRef> sources) {
    public static final String FAULT = "fault";
    public static final String BENIGN = "benign";

    public EntryDoc {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title of " + id);
        kind = kind == null ? FAULT : kind;
        if (!kind.equals(FAULT) && !kind.equals(BENIGN)) {
            throw new IllegalArgumentException(id + ": kind must be 'fault' or 'benign', not '" + kind + "'");
        }
        summary = summary == null ? "" : summary.strip();
        explanation = explanation == null ? "" : explanation.strip();
        fix = fix == null ? List.of() : List.copyOf(fix);
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /** A placeholder for an id that a rule used but no document describes (the catalogue test refuses this). */
    public static EntryDoc undocumented(String id) {
        return new EntryDoc(id, id + " (undocumented)", FAULT, "", "", List.of(), List.of());
    }
}
