package org.exkb.engine.knowledge;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A question the engine can ask, as data: its words, answer type and choices, and how to find the
 * answer (the command to run, the place to look). Rules refer to it by id only.
 */
public record QuestionDef(String id, String text, String type, List<Choice> choices, String how) {
    public static final String YES_NO = "yes_no";
    public static final String CHOICE = "choice";
    public static final String NUMBER = "number";
    public static final String TEXT = "text";
    private static final List<Choice> YES_NO_CHOICES = List.of(
            new Choice("yes", "Yes"), new Choice("no", "No"), new Choice("unknown", "Don't know"));

    public QuestionDef {
        Objects.requireNonNull(id, "question id");
        Objects.requireNonNull(text, "text of question " + id);
        type = type == null ? YES_NO : type;
        if (!List.of(YES_NO, CHOICE, NUMBER, TEXT).contains(type)) {
            throw new IllegalArgumentException("question " + id + ": type must be yes_no, choice, number or text, not '" + type + "'");
        }
        if (type.equals(YES_NO)) {
            choices = YES_NO_CHOICES;
        } else {
            choices = choices == null ? List.of() : List.copyOf(choices);
        }
        if (type.equals(CHOICE) && choices.isEmpty()) {
            throw new IllegalArgumentException("question " + id + " is a choice question without choices");
        }
        how = how == null ? "" : how.strip();
    }

    /**
     * Checks and normalises an answer: a choice value or label (any case), a number for number
     * questions. Empty when the answer does not fit; {@link #describeAllowed()} says what would.
     */
    public Optional<String> normalise(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        String v = raw.strip().toLowerCase(Locale.ROOT);
        switch (type) {
            case NUMBER:
                try {
                    double d = Double.parseDouble(v.replace(',', '.'));
                    return d >= 0 ? Optional.of(v.replace(',', '.')) : Optional.empty();
                } catch (NumberFormatException e) {
                    return v.equals("unknown") ? Optional.of(v) : Optional.empty();
                }
            case TEXT:
                return Optional.of(raw.strip());
            default:
                if (type.equals(YES_NO)) {
                    if (List.of("y", "true", "1").contains(v)) {
                        v = "yes";
                    } else if (List.of("n", "false", "0").contains(v)) {
                        v = "no";
                    } else if (List.of("?", "dont know", "don't know", "not known", "n/a").contains(v)) {
                        v = "unknown";
                    }
                }
                for (Choice c : choices) {
                    if (c.value().equalsIgnoreCase(v) || c.label().equalsIgnoreCase(v)) {
                        return Optional.of(c.value());
                    }
                }
                return Optional.empty();
        }
    }

    public String describeAllowed() {
        return switch (type) {
            case NUMBER -> "a number (or 'unknown')";
            case TEXT -> "any text";
            default -> "one of " + choices.stream().map(Choice::value).toList();
        };
    }
}
