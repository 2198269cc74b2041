package org.exkb.engine.collect.client;

import java.util.Optional;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.knowledge.Knowledge;
import org.exkb.engine.knowledge.QuestionDef;
import org.exkb.engine.model.Answer;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.model.EvidenceRef;

/** Checks an answer against the question catalogue and turns it into an {@link Answer} fact. */
public final class AnswerCollector {
    private final Knowledge knowledge;

    public AnswerCollector(Knowledge knowledge) {
        this.knowledge = knowledge;
    }

    /** An answer fact, or an {@code invalid_answer} problem saying what the question accepts. */
    public CollectResult collect(String questionId, String value, String source, String locator) {
        CollectResult r = new CollectResult();
        Optional<String> error = check(questionId, value);
        if (error.isPresent()) {
            return r.problem(new EvidenceProblem(source, locator, EvidenceProblem.INVALID_ANSWER, error.get()));
        }
        QuestionDef q = knowledge.question(questionId).orElseThrow();
        String v = q.normalise(value).orElseThrow();
        return r.fact(new Answer(questionId, v, EvidenceRef.of(source, locator, v)));
    }

    /** Empty when the answer fits its question; otherwise what is wrong and what would be right. */
    public Optional<String> check(String questionId, String value) {
        Optional<QuestionDef> q = knowledge.question(questionId);
        if (q.isEmpty()) {
            var close = knowledge.questions().keySet().stream()
                    .filter(k -> k.contains(questionId) || questionId.contains(k)
                            || org.exkb.engine.knowledge.DeviceCatalog.similarity(k, questionId) > 0.6)
                    .limit(3).toList();
            return Optional.of("no question has the id '" + questionId + "'"
                    + (close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?"));
        }
        if (q.get().normalise(value).isEmpty()) {
            return Optional.of("'" + value + "' does not answer " + questionId + ": expected " + q.get().describeAllowed());
        }
        return Optional.empty();
    }
}
