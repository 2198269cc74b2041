package org.exkb.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.exkb.engine.knowledge.EntryDoc;
import org.exkb.engine.knowledge.FixStep;
import org.exkb.engine.knowledge.Knowledge;
import org.exkb.engine.knowledge.SymptomDef;
import org.exkb.engine.session.RuleBase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The catalogue's bookkeeping, in the spirit of Error Prone's: every entry has rules, a document with
 * fix steps and samples under the same id, and every name a rule uses is defined where it should be.
 */
class CatalogueTest {
    static final Path DRL = Path.of("src/main/resources/org/exkb/rules");
    static Knowledge knowledge;
    static RuleBase rules;

    @BeforeAll
    static void load() {
        knowledge = Knowledge.fromClasspath(CatalogueTest.class.getClassLoader());
        rules = RuleBase.fromClasspath(CatalogueTest.class.getClassLoader());
    }

    static String text(String folder) throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> s = Files.list(DRL.resolve(folder))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".drl")).sorted().toList()) {
                b.append(Files.readString(p)).append('\n');
            }
        }
        return b.toString();
    }

    static Set<String> all(Pattern p, String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            for (int g = 1; g <= m.groupCount(); g++) {
                if (m.group(g) != null) {
                    out.add(m.group(g));
                }
            }
        }
        return out;
    }

    /** Quoted names inside a constraint like {@code name == "X"} or {@code name in ("X", "Y")}. */
    static Set<String> constrained(String field, String type, String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile(type + "\\((?:[^()]|\\([^()]*\\))*\\)").matcher(text);
        while (m.find()) {
            Matcher f = Pattern.compile(field + "\\s*(?:==\\s*(\"[^\"]+\")|in\\s*\\(([^)]*)\\))").matcher(m.group());
            while (f.find()) {
                out.addAll(all(Pattern.compile("\"([^\"]+)\""), f.group(1) != null ? f.group(1) : f.group(2)));
            }
        }
        return out;
    }

    @Test
    void everyEntryHasADocumentWithFixStepsAndSources() {
        assertFalse(knowledge.ids().isEmpty());
        for (String id : knowledge.ids()) {
            EntryDoc d = knowledge.doc(id).orElseThrow();
            assertFalse(d.title().isBlank(), id + " title");
            assertFalse(d.summary().isBlank(), id + " summary");
            assertFalse(d.explanation().isBlank(), id + " explanation");
            assertFalse(d.fix().isEmpty(), id + " has no fix steps");
            for (FixStep s : d.fix()) {
                assertFalse(s.who().isBlank() || s.action().isBlank() || s.verify().isBlank(),
                        id + ": every fix step says who acts, what to do and how to verify: " + s);
            }
            assertFalse(d.sources().isEmpty(), id + " cites no source");
        }
    }

    @Test
    void everyEntryHasRulesAndEveryDiagnosisRuleBelongsToAnEntry() {
        Set<String> withRules = new TreeSet<>();
        rules.rules().stream().filter(r -> r.getPackageName().equals("org.exkb.rules.diagnosis")).forEach(r -> {
            String id = r.getName().substring(0, Math.max(0, r.getName().indexOf(':')));
            assertTrue(knowledge.ids().contains(id), "rule '" + r.getName() + "' does not start with a catalogue id and a colon");
            withRules.add(id);
        });
        assertEquals(new TreeSet<>(knowledge.ids()), withRules, "catalogue ids with diagnosis rules");
    }

    @Test
    void supportsUseCatalogueIds() throws IOException {
        Set<String> used = all(Pattern.compile("new Support\\(\"([A-Z0-9_]+)\""), text("diagnosis"));
        assertEquals(new TreeSet<>(knowledge.ids()), used);
    }

    @Test
    void everyEntryHasASample() {
        Set<String> sampled = new TreeSet<>();
        Samples.all().forEach(s -> sampled.addAll(s.expect().keySet()));
        for (String id : knowledge.ids()) {
            assertTrue(sampled.contains(id), id + " has no sample in " + Samples.ROOT);
        }
    }

    @Test
    void diagnosisRulesMatchOnlyMeaningfulFacts() throws IOException {
        for (String raw : org.exkb.engine.model.EvidenceKind.allRawFacts().stream().map(c -> c.getSimpleName() + "(").toList()) {
            assertFalse(text("diagnosis").contains(raw), "diagnosis rules must match indications and traits, not " + raw);
        }
    }

    @Test
    void everyIndicationAndTraitADiagnosisRuleUsesIsProduced() throws IOException {
        String policy = text("policy");
        String diagnosis = text("diagnosis");
        Set<String> produced = all(Pattern.compile("new (?:Indication|ClientTrait)\\(\"([A-Z0-9_]+)\""), policy);
        Set<String> used = new TreeSet<>(constrained("name", "Indication", diagnosis));
        used.addAll(constrained("trait", "ClientTrait", diagnosis));
        assertFalse(used.isEmpty());
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(produced);
        assertEquals(Set.of(), missing, "indications or traits no policy rule produces (a typo?)");
        Set<String> unused = new TreeSet<>(produced);
        unused.removeAll(used);
        unused.removeAll(constrained("trait", "ClientTrait", policy));
        assertEquals(Set.of(), unused, "indications or traits that no rule uses");
    }

    @Test
    void everySymptomCodeIsDefinedAndUsed() throws IOException {
        Set<String> defined = new TreeSet<>(knowledge.symptoms().all().stream().map(SymptomDef::code).toList());
        Set<String> used = constrained("code", "SymptomReport", text("policy"));
        assertEquals(defined, used, "symptom codes in kb/symptoms.yaml vs codes the policy rules match");
    }

    @Test
    void everySymptomExampleIsRecognisedAsItsCode() {
        for (SymptomDef d : knowledge.symptoms().all()) {
            assertFalse(d.examples().isEmpty(), d.code() + " has no example");
            for (String e : d.examples()) {
                assertTrue(knowledge.symptoms().recognise(e).contains(d.code()), "'" + e + "' is not recognised as " + d.code());
            }
        }
    }

    @Test
    void everyQuestionIsDefinedAndAsked() throws IOException {
        String drl = text("diagnosis");
        Set<String> asked = all(Pattern.compile("new Ask\\(\"([a-z0-9_]+)\""), drl);
        assertEquals(new TreeSet<>(knowledge.questions().keySet()), asked, "questions in kb/questions.yaml vs questions rules ask");
        Set<String> answeredInPolicy = all(Pattern.compile("questionId == \"([a-z0-9_]+)\""), text("policy"));
        assertTrue(knowledge.questions().keySet().containsAll(answeredInPolicy), "policy rules read answers to undefined questions: " + answeredInPolicy);
        Set<String> plain = new TreeSet<>();
        knowledge.questions().values().stream().filter(q -> !q.type().equals("evidence")).forEach(q -> plain.add(q.id()));
        assertTrue(answeredInPolicy.containsAll(plain), "questions whose answers no rule reads");
        // a request for evidence is settled by the evidence itself, never by a rule reading its answer
        Set<String> evidence = new TreeSet<>(knowledge.questions().keySet());
        evidence.removeAll(plain);
        assertFalse(evidence.isEmpty());
        evidence.forEach(q -> assertFalse(answeredInPolicy.contains(q), q + " is an evidence request; rules must not read its answer"));
    }

    @Test
    void everyQuestionSaysFirstWhatATier1AgentCanDo() {
        knowledge.questions().values().forEach(q -> {
            assertFalse(q.agent().isBlank(), q.id() + " has no 'agent' text: what a tier-1 agent can do (ask the user, look at the"
                    + " device, probe in the shell) comes before the engineer's recipe");
            assertFalse(q.agent().startsWith("`openssl") || q.agent().contains("s_client"), q.id() + ": the agent's text is not a recipe");
        });
    }

    @Test
    void everyAnswerValueARuleTestsIsAChoiceOfItsQuestion() throws IOException {
        Matcher m = Pattern.compile("Answer\\(questionId == \"([a-z0-9_]+)\", value (?:==|in) \\(?([^)]*)\\)?\\)").matcher(text("policy"));
        int checked = 0;
        while (m.find()) {
            var q = knowledge.question(m.group(1)).orElseThrow();
            for (String v : all(Pattern.compile("\"([^\"]+)\""), m.group(2))) {
                assertTrue(q.choices().stream().anyMatch(c -> c.value().equals(v)), m.group(1) + " has no choice '" + v + "'");
                checked++;
            }
        }
        assertTrue(checked > 20, "the pattern found the answer tests: " + checked);
    }

    /** The contract: the ids in ../shared/KB-CATALOG.md, where that file is present beside the repository. */
    @Test
    void idsMatchTheSharedCatalogue() throws IOException {
        Path shared = Path.of("../../shared/KB-CATALOG.md");
        assumeTrue(Files.exists(shared), "shared/KB-CATALOG.md not beside the repository");
        Set<String> ids = new LinkedHashSet<>();
        for (String line : Files.readAllLines(shared)) {
            Matcher m = Pattern.compile("^\\| `([A-Z0-9_]+)` \\|").matcher(line);
            if (m.find()) {
                ids.add(m.group(1));
            }
        }
        assertEquals(13, ids.size(), "parsed the catalogue table");
        assertEquals(new ArrayList<>(ids), knowledge.ids());
    }
}
