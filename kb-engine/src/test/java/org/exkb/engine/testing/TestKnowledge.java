package org.exkb.engine.testing;

import java.util.List;
import java.util.Map;
import org.exkb.engine.knowledge.Choice;
import org.exkb.engine.knowledge.DeviceDef;
import org.exkb.engine.knowledge.EntryDoc;
import org.exkb.engine.knowledge.FixStep;
import org.exkb.engine.knowledge.Knowledge;
import org.exkb.engine.knowledge.QuestionDef;
import org.exkb.engine.knowledge.SymptomDef;

/** A small knowledge base built in code, for engine tests that must not depend on kb-rules. */
public final class TestKnowledge {
    private TestKnowledge() {
    }

    public static Knowledge small() {
        return new Knowledge(
                Map.of("TEST_CAUSE", new EntryDoc("TEST_CAUSE", "A test cause", "fault", "summary", "explanation",
                        List.of(new FixStep("Tester", "Do the thing", "It works")), List.of())),
                List.of(new DeviceDef("nosni", "No SNI Phone", List.of("NSP"), "TestOS", "1", false, null, null, null, null, null, ""),
                        new DeviceDef("sni", "SNI Phone", List.of(), "TestOS", "2", true, null, null, null, null, null, "")),
                List.of(new SymptomDef("CERT_ERROR", "certificate error", List.of("(\\b|0x|hr ?= ?)80072f0d\\b", "bad certificate"), List.of())),
                List.of(new QuestionDef("server_rejects", "Does the server reject it?", "yes_no", null, "try it"),
                        new QuestionDef("flavour", "Which flavour?", "choice",
                                List.of(new Choice("sweet", "Sweet"), new Choice("sour", null)), ""),
                        new QuestionDef("minutes", "How many minutes?", "number", null, "")));
    }

    /** Rules over the small knowledge: a symptom makes TEST_CAUSE possible; an answer confirms or rules it out. */
    public static final String DRL = """
            package test.rules;
            import org.exkb.engine.model.*;

            rule "TEST_CAUSE: possible from a certificate error"
            when
                $s : SymptomReport(code == "CERT_ERROR")
            then
                insertLogical(new Support("TEST_CAUSE", Level.POSSIBLE, "a certificate error", Evidence.of($s)));
            end

            rule "TEST_CAUSE: likely when the client sends no SNI"
            when
                $s : SymptomReport(code == "CERT_ERROR")
                $d : DeviceProfile(sendsSni == Tri.NO)
            then
                insertLogical(new Support("TEST_CAUSE", Level.LIKELY, "no SNI", Evidence.of($s, $d)));
            end

            rule "TEST_CAUSE: confirmed by answer"
            when
                $a : Answer(questionId == "server_rejects", value == "yes")
                exists Support(finding == "TEST_CAUSE", level != Level.CONFIRMED)
            then
                insertLogical(new Support("TEST_CAUSE", Level.CONFIRMED, "the server rejects it", Evidence.of($a)));
            end

            rule "TEST_CAUSE: ruled out by answer"
            when
                $a : Answer(questionId == "server_rejects", value == "no")
            then
                insertLogical(new Support("TEST_CAUSE", Level.RULED_OUT, "the server accepts it", Evidence.of($a)));
            end

            rule "TEST_CAUSE: ask"
            when
                exists Support(finding == "TEST_CAUSE")
            then
                insertLogical(new Ask("server_rejects", "TEST_CAUSE"));
            end
            """;
}
