package org.exkb.engine.knowledge;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A question the engine can ask, as data: its words, answer type and choices, and how to find the
 * answer (the command to run, the place to look). Rules refer to it by id only.
 *
 * <p>A question of type {@code evidence} asks for a piece of evidence instead of an answer: its
 * {@code evidence} kind ({@link #EVIDENCE_KINDS}) says which, and {@code how} gives the commands that
 * produce it. It is settled when evidence of that kind is added to the case, or answered
 * {@code unavailable} when it cannot be had.
 */
public record QuestionDef(String id, String text, String type, List<Choice> choices, String how, String evidence, String agent) {
    public static final String YES_NO = "yes_no";
    public static final String CHOICE = "choice";
    public static final String NUMBER = "number";
    public static final String TEXT = "text";
    public static final String EVIDENCE = "evidence";
    /** Evidence kinds: a packet capture, a live probe, IIS/HTTP.sys logs, a Windows event-log export. */
    public static final List<String> EVIDENCE_KINDS = org.exkb.engine.model.EvidenceKind.requests();
    public static final String UNAVAILABLE = "unavailable";
    private static final List<Choice> EVIDENCE_CHOICES = List.of(new Choice(UNAVAILABLE, "It cannot be obtained"));
    private static final List<Choice> YES_NO_CHOICES = List.of(
            new Choice("yes", "Yes"), new Choice("no", "No"), new Choice("unknown", "Don't know"));

    public QuestionDef {
        Objects.requireNonNull(id, "question id");
        Objects.requireNonNull(text, "text of question " + id);
        type = type == null ? YES_NO : type;
        if (!List.of(YES_NO, CHOICE, NUMBER, TEXT, EVIDENCE).contains(type)) {
            throw new IllegalArgumentException("question " + id + ": type must be yes_no, choice, number, text or evidence, not '" + type + "'");
        }
        evidence = evidence == null ? "" : evidence.strip();
        if (type.equals(EVIDENCE) != !evidence.isEmpty()) {
            throw new IllegalArgumentException("question " + id + ": an evidence question names its evidence kind "
                    + EVIDENCE_KINDS + " and only an evidence question does");
        }
        if (type.equals(EVIDENCE) && !EVIDENCE_KINDS.contains(evidence)) {
            throw new IllegalArgumentException("question " + id + ": evidence must be one of " + EVIDENCE_KINDS + ", not '" + evidence + "'");
        }
        if (type.equals(YES_NO)) {
            choices = YES_NO_CHOICES;
        } else if (type.equals(EVIDENCE)) {
            choices = EVIDENCE_CHOICES;
        } else {
            choices = choices == null ? List.of() : List.copyOf(choices);
        }
        if (type.equals(CHOICE) && choices.isEmpty()) {
            throw new IllegalArgumentException("question " + id + " is a choice question without choices");
        }
        how = how == null ? "" : how.strip();
        agent = agent == null ? "" : agent.strip();
    }

    public QuestionDef(String id, String text, String type, List<Choice> choices, String how) {
        this(id, text, type, choices, how, null, null);
    }

    public QuestionDef(String id, String text, String type, List<Choice> choices, String how, String evidence) {
        this(id, text, type, choices, how, evidence, null);
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
                if (type.equals(EVIDENCE) && List.of("no", "none", "n/a", "cannot", "can't", "skip").contains(v)) {
                    v = UNAVAILABLE;
                }
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
            case EVIDENCE -> "the evidence itself (add a file, or probe the server), or 'unavailable'";
            default -> "one of " + choices.stream().map(Choice::value).toList();
        };
    }
}
