package org.exkb.engine.model;

import java.util.Objects;

/**
 * Inserted logically by rules: the question {@code question} (an id from the question catalogue)
 * would help decide {@code hypothesis}. The engine offers it while it is unanswered and the
 * hypothesis is still open, ranked by how much it would decide.
 */
public record Ask(String question, String hypothesis) {
    public Ask {
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(hypothesis, "hypothesis");
    }
}
