package org.exkb.engine.knowledge;

import java.util.Objects;

/** A source a knowledge entry relies on: a title and where to find it (article, RFC, vendor doc). */
public record SourceRef(String title, String ref) {
    public SourceRef {
        Objects.requireNonNull(title, "source needs a title");
        ref = ref == null ? "" : ref;
    }
}
