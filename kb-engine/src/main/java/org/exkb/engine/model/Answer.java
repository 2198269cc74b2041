package org.exkb.engine.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Raw fact: the answer to a question. Values are normalised to lower case; yes/no questions use
 * {@code yes}, {@code no} and {@code unknown}. Replacing an answer in a live session retracts every
 * fact that was logically inserted because of the old one.
 */
public record Answer(String questionId, String value, EvidenceRef ref) implements HasEvidence {
    public Answer {
        Objects.requireNonNull(questionId, "questionId");
        Objects.requireNonNull(value, "value");
        if (questionId.isBlank()) {
            throw new IllegalArgumentException("answer needs a question id");
        }
        value = value.strip().toLowerCase(Locale.ROOT);
        if (ref == null) {
            ref = EvidenceRef.of("answer", questionId, value);
        }
    }

    public Answer(String questionId, String value) {
        this(questionId, value, null);
    }

    /** The answer as a number, or {@code -1} when it is not a number (rules compare with {@code number >= 0}). */
    public double number() {
        try {
            return Double.parseDouble(value.replace(',', '.'));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public List<EvidenceRef> evidence() {
        return List.of(ref);
    }

    @Override
    public String describe() {
        return "answer " + questionId + " = " + value;
    }
}
