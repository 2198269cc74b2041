package org.exkb.engine.api;

import java.util.List;
import org.exkb.engine.knowledge.Choice;

/**
 * A question the engine wants answered, most decisive first: its words, answer type and choices,
 * the open hypotheses the answer would decide, and how to find the answer.
 */
public record PendingQuestion(String id, String text, String type, List<Choice> choices,
                              List<String> decides, String how, int weight) {
    public PendingQuestion {
        choices = List.copyOf(choices);
        decides = List.copyOf(decides);
    }
}
