package org.exkb.engine.knowledge;

import java.util.Objects;

/** One allowed answer to a choice question: the value stored and the label shown. */
public record Choice(String value, String label) {
    public Choice {
        Objects.requireNonNull(value, "choice value");
        label = label == null ? value : label;
    }
}
