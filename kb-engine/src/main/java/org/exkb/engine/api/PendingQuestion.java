package org.exkb.engine.api;

import java.util.List;
import org.exkb.engine.knowledge.Choice;

/**
 * A question the engine wants answered, most decisive first: its words, answer type and choices,
 * the open hypotheses the answer would decide, how to find the answer, and for a request for evidence
 * its kind (see {@link org.exkb.engine.knowledge.QuestionDef}).
 */
public record PendingQuestion(String id, String text, String type, List<Choice> choices,
                              List<String> decides, String how, int weight, String evidence, String agent) {
    public PendingQuestion {
        agent = agent == null ? "" : agent;
        choices = List.copyOf(choices);
        decides = List.copyOf(decides);
        evidence = evidence == null ? "" : evidence;
    }

    /** True when this asks for evidence (a capture, a probe, logs, an event export) rather than an answer. */
    public boolean wantsEvidence() {
        return !evidence.isEmpty();
    }
}
