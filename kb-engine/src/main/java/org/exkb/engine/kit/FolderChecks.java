package org.exkb.engine.kit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.exkb.engine.kit.RuleFolder.Problem;
import org.exkb.engine.kit.RuleFolder.RuleText;
import org.exkb.engine.knowledge.DeviceDef;
import org.exkb.engine.knowledge.EntryDoc;
import org.exkb.engine.knowledge.FixStep;
import org.exkb.engine.knowledge.Knowledge;
import org.exkb.engine.knowledge.QuestionDef;
import org.exkb.engine.knowledge.SymptomCatalog;
import org.exkb.engine.knowledge.SymptomDef;
import org.exkb.engine.knowledge.Vocabulary;
import org.exkb.engine.model.EvidenceKind;

/**
 * The catalogue's rules for a rule folder, against the knowledge it joins ({@link Base}): the same
 * checks for the built-in knowledge (checked on its own, {@link Base#NONE}) and for a knowledge
 * engineer's folder (checked against the built-in knowledge). Each method checks one thing; every
 * problem names its file and line.
 */
final class FolderChecks {
    private static final Pattern SUPPORT = Pattern.compile("new\\s+Support\\(\\s*\"([^\"]*)\"");
    private static final Pattern ASK = Pattern.compile("new\\s+Ask\\(\\s*\"([^\"]*)\"");
    /** An answer a rule tests: {@code Answer(questionId == "q", value == "v")} or {@code value in ("a", "b")}. */
    private static final Pattern ANSWER = Pattern.compile(
            "Answer\\(\\s*questionId\\s*==\\s*\"([a-z0-9_]+)\"\\s*,\\s*value\\s*(?:==|in)\\s*(\\([^)]*\\)|\"[^\"]*\")");
    /** Any answer a rule reads. */
    private static final Pattern READS = Pattern.compile("questionId\\s*==\\s*\"([a-z0-9_]+)\"");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    private static final List<String> STATUSES = List.of("confirmed", "likely", "possible", "ruled_out");
    private static final Set<String> FIRES = Set.of("confirmed", "likely", "possible");

    /** What a folder joins: the knowledge, the names of the rules already loaded, what those rules produce. */
    record Base(Knowledge knowledge, Set<String> ruleNames, Vocabulary vocabulary) {
        /** Nothing: the folder is the whole knowledge (the built-in knowledge checked on its own). */
        static final Base NONE = new Base(new Knowledge(Map.of(), List.of(), List.of(), List.of()), Set.of(), Vocabulary.EMPTY);
    }

    private final RuleFolder f;
    private final Base base;
    private final List<Problem> out = new ArrayList<>();
    /** The ids the folder adds, in order. */
    private final Set<String> ids = new LinkedHashSet<>();
    /** The base's ids and the folder's. */
    private final Set<String> known = new LinkedHashSet<>();
    private final Map<String, QuestionDef> questions = new LinkedHashMap<>();
    private final Map<String, Integer> supportedAt = new LinkedHashMap<>();
    private final Set<String> asked = new LinkedHashSet<>();

    private FolderChecks(RuleFolder f, Base base) {
        this.f = f;
        this.base = base;
        questions.putAll(base.knowledge().questions());
        f.questions().forEach(q -> questions.putIfAbsent(q.id(), q));
    }

    static List<Problem> run(RuleFolder f, Base base) {
        FolderChecks c = new FolderChecks(f, base);
        c.catalogue();
        c.documents();
        c.rules();
        c.meanings();
        c.answers();
        c.questions();
        c.symptoms();
        c.devices();
        c.samples();
        return c.out;
    }

    private void error(String file, int line, String message) {
        out.add(Problem.error(file, line, 0, message));
    }

    private void warning(String file, int line, String message) {
        out.add(Problem.warning(file, line, 0, message));
    }

    /** Where an id is declared: its cause folder's document, else its catalog.yaml line. */
    private String declaredIn(String id) {
        return f.causes().containsKey(id) ? "causes/" + id + "/cause.yaml" : "catalog.yaml";
    }

    private int declaredLine(String id) {
        return f.causes().containsKey(id) ? 1 : lineIn("catalog.yaml", id);
    }

    /** Ids: well formed, new, listed once; cause folders and catalog.yaml agree; documents belong to an id. */
    void catalogue() {
        for (String id : f.entries()) {
            if (!RuleFolder.isId(id)) {
                error(declaredIn(id), declaredLine(id), "'" + id + "' is not an id (upper case letters, digits and _)");
            } else if (base.knowledge().ids().contains(id)) {
                error(declaredIn(id), declaredLine(id), id + " is already in the knowledge base; choose a new id");
            } else if (!ids.add(id)) {
                error("catalog.yaml", lineIn("catalog.yaml", id), id + " is listed twice");
            }
        }
        known.addAll(base.knowledge().ids());
        known.addAll(ids);
        if (f.catalogGiven()) {
            f.causes().keySet().stream().filter(id -> !f.entries().contains(id)).forEach(id -> error("causes/" + id, 0,
                    "the cause folder " + id + " is not listed in catalog.yaml, which gives the ids and their order: add it there"));
        }
        for (String id : f.causes().keySet()) {
            if (!f.docs().containsKey(id) && RuleFolder.isId(id)) {
                error("causes/" + id, 0, "the cause folder has no cause.yaml (id, title, kind, summary, explanation, fix, sources)");
            }
        }
        for (String id : f.docs().keySet()) {
            if (!ids.contains(id) && !f.causes().containsKey(id)) {
                error("docs/" + id + ".yaml", 1, "a document for " + id + ", which catalog.yaml does not list");
            }
        }
    }

    /** Every new id has a document that says what it is, how to fix it (who acts, what, how to verify) and where it comes from. */
    void documents() {
        for (String id : ids) {
            EntryDoc d = f.docs().get(id);
            if (d == null) {
                if (!f.causes().containsKey(id)) {
                    error("catalog.yaml", lineIn("catalog.yaml", id), id + " has no document (causes/" + id + "/cause.yaml)");
                }
                continue;
            }
            String file = f.causes().containsKey(id) ? "causes/" + id + "/cause.yaml" : "docs/" + id + ".yaml";
            if (d.summary().isBlank() || d.explanation().isBlank()) {
                error(file, 1, id + ": the document needs a summary and an explanation");
            }
            if (d.fix().isEmpty()) {
                error(file, 1, id + ": the document has no fix steps (fix: - who, action, verify)");
            }
            for (FixStep s : d.fix()) {
                if (blank(s.who()) || blank(s.action()) || blank(s.verify())) {
                    error(file, lineIn(file, "fix:"), id + ": every fix step says who acts, what to do and how to verify: " + s);
                }
            }
            if (d.sources().isEmpty()) {
                error(file, 1, id + ": the document cites no source (sources: - kind, title, ...)");
            }
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Rule names unique and new; diagnosis rules named after a known id and matching meanings, not raw facts; Support and Ask of known things. */
    void rules() {
        Set<String> names = new HashSet<>();
        for (Map.Entry<String, String> e : f.drl().entrySet()) {
            String file = e.getKey();
            String text = e.getValue();
            for (RuleText r : RuleFolder.rules(text)) {
                if (!names.add(r.name())) {
                    error(file, r.line(), "rule \"" + r.name() + "\" is defined twice");
                }
                if (base.ruleNames().contains(r.name())) {
                    error(file, r.line(), "rule \"" + r.name() + "\" has the name of a built-in rule and would replace it");
                }
                String id = r.id();
                if (id != null && !known.contains(id)) {
                    error(file, r.line(), "rule \"" + r.name() + "\" is named after " + id + ", which is not in the catalogue (add a folder causes/"
                            + id + "/ or list it in catalog.yaml)");
                }
                if (id != null) {
                    int then = r.body().indexOf("then");
                    String when = then < 0 ? r.body() : r.body().substring(0, then);
                    for (Class<?> raw : EvidenceKind.allRawFacts()) {
                        Matcher m = Pattern.compile("\\b" + raw.getSimpleName() + "\\s*\\(").matcher(when);
                        if (m.find()) {
                            error(file, RuleFolder.lineOf(text, r.bodyStart() + m.start()), "diagnosis rule \"" + r.name() + "\" matches the raw fact "
                                    + raw.getSimpleName() + "; match the Indication or ClientTrait a policy rule derives from it (name policy rules"
                                    + " without an ID: prefix)");
                        }
                    }
                }
            }
            Matcher s = SUPPORT.matcher(text);
            while (s.find()) {
                int line = RuleFolder.lineOf(text, s.start());
                if (!known.contains(s.group(1))) {
                    error(file, line, "Support for " + s.group(1) + ", which is not in the catalogue");
                }
                supportedAt.putIfAbsent(s.group(1), line);
            }
            Matcher a = ASK.matcher(text);
            while (a.find()) {
                asked.add(a.group(1));
                if (!questions.containsKey(a.group(1))) {
                    error(file, RuleFolder.lineOf(text, a.start()), "asks question '" + a.group(1) + "', which is neither built in nor in a questions.yaml");
                }
            }
        }
        for (String id : ids) {
            if (!supportedAt.containsKey(id)) {
                error(declaredIn(id), declaredLine(id), id + " has no rule that inserts Support(\"" + id + "\", ...)");
            }
        }
    }

    /**
     * What the folder's rules match must be produced by some rule (built in or in the folder), or the
     * rule would never fire; what the folder's rules produce should be matched by some rule.
     */
    void meanings() {
        Vocabulary vocabulary = base.vocabulary().plus(f.drl().values());
        Set<String> used = new HashSet<>();
        for (Map.Entry<String, String> e : f.drl().entrySet()) {
            String text = e.getValue();
            for (Vocabulary.Use u : Vocabulary.meaningsUsed(text)) {
                used.add(u.type() + " " + u.name());
                Set<String> produced = vocabulary.of(u.type());
                if (!produced.contains(u.name())) {
                    String near = RuleKit.closest(u.name(), produced);
                    error(e.getKey(), RuleFolder.lineOf(text, u.offset()), "matches " + u.type() + " " + u.name()
                            + ", which no rule produces (built in or in this folder)" + (near == null ? "" : "; did you mean " + near + "?")
                            + " A rule that matches it would never fire");
                }
            }
        }
        Vocabulary own = Vocabulary.EMPTY.plus(f.drl().values());
        for (String kind : List.of("Indication", "ClientTrait")) {
            for (String name : new TreeSet<>(own.of(kind))) {
                if (!used.contains(kind + " " + name) && !base.vocabulary().of(kind).contains(name)) {
                    Map.Entry<String, Integer> at = firstMention("new " + kind + "(\"" + name + "\"");
                    warning(at.getKey(), at.getValue(), kind + " " + name + " is produced but no rule here matches it");
                }
            }
        }
    }

    /** The answers rules test are values their question offers; plain questions are read by a rule; requests for evidence are not. */
    void answers() {
        Set<String> read = new HashSet<>();
        for (Map.Entry<String, String> e : f.drl().entrySet()) {
            String text = e.getValue();
            Matcher r = READS.matcher(text);
            while (r.find()) {
                read.add(r.group(1));
                QuestionDef q = questions.get(r.group(1));
                if (q == null) {
                    error(e.getKey(), RuleFolder.lineOf(text, r.start()), "reads the answer to '" + r.group(1) + "', which is not a question");
                } else if (q.type().equals(QuestionDef.EVIDENCE)) {
                    error(e.getKey(), RuleFolder.lineOf(text, r.start()), "reads the answer to " + q.id() + ", a request for evidence: the"
                            + " evidence itself settles it, never a rule reading its answer");
                }
            }
            Matcher tested = ANSWER.matcher(text);
            while (tested.find()) {
                QuestionDef q = questions.get(tested.group(1));
                if (q == null || q.choices().isEmpty() || q.type().equals(QuestionDef.NUMBER)) {
                    continue;   // an unknown question is reported above; numbers have no list of values
                }
                Set<String> values = new TreeSet<>();
                q.choices().forEach(c -> values.add(c.value()));
                Matcher v = QUOTED.matcher(tested.group(2));
                while (v.find()) {
                    if (!values.contains(v.group(1))) {
                        error(e.getKey(), RuleFolder.lineOf(text, tested.start()), "tests the answer '" + v.group(1) + "' to " + q.id()
                                + ", which is not one of its values " + values + ": the rule would never fire");
                    }
                }
            }
        }
        for (QuestionDef q : f.questions()) {
            if (!q.type().equals(QuestionDef.EVIDENCE) && !read.contains(q.id())) {
                Map.Entry<String, Integer> at = questionAt(q.id());
                error(at.getKey(), at.getValue(), "no rule reads the answer to " + q.id() + " (Answer(questionId == \"" + q.id()
                        + "\", ...)): answering it would change nothing");
            }
        }
    }

    /** Questions new, asked by some rule, and with a first line a tier-1 agent can act on. */
    void questions() {
        Set<String> seen = new HashSet<>();
        for (QuestionDef q : f.questions()) {
            Map.Entry<String, Integer> at = questionAt(q.id());
            if (base.knowledge().question(q.id()).isPresent() || !seen.add(q.id())) {
                error(at.getKey(), at.getValue(), "question '" + q.id() + "' is already defined");
            } else if (!asked.contains(q.id())) {
                warning(at.getKey(), at.getValue(), "question '" + q.id() + "' is never asked (no Ask)");
            }
            if (blank(q.agent())) {
                warning(at.getKey(), at.getValue(), q.id() + " has no 'agent' text: what a tier-1 agent can do (ask the user, look at the"
                        + " device, probe in the shell) comes before the engineer's recipe in 'how'");
            }
        }
    }

    /** Symptom codes new, each example recognised as its code, codes rules match defined, codes defined matched by a rule. */
    void symptoms() {
        Set<String> codes = new HashSet<>(base.knowledge().symptoms().all().stream().map(SymptomDef::code).toList());
        for (SymptomDef s : f.symptoms()) {
            if (!codes.add(s.code())) {
                error("symptoms.yaml", lineIn("symptoms.yaml", s.code()), "symptom code '" + s.code() + "' is already defined");
            }
        }
        List<SymptomDef> all = new ArrayList<>(base.knowledge().symptoms().all());
        all.addAll(f.symptoms());
        SymptomCatalog catalog = new SymptomCatalog(all);
        for (SymptomDef s : f.symptoms()) {
            if (s.examples().isEmpty()) {
                error("symptoms.yaml", lineIn("symptoms.yaml", s.code()), s.code() + " has no example of what users see");
            }
            for (String example : s.examples()) {
                if (!catalog.recognise(example).contains(s.code())) {
                    error("symptoms.yaml", lineIn("symptoms.yaml", example), "the example '" + example + "' is not recognised as " + s.code());
                }
            }
        }
        Set<String> matched = new HashSet<>();
        for (Map.Entry<String, String> e : f.drl().entrySet()) {
            for (Vocabulary.Use u : Vocabulary.uses(e.getValue(), "SymptomReport", "code")) {
                matched.add(u.name());
                if (!codes.contains(u.name())) {
                    error(e.getKey(), RuleFolder.lineOf(e.getValue(), u.offset()), "matches the symptom code " + u.name()
                            + ", which no symptoms.yaml defines: the rule would never fire");
                }
            }
        }
        for (SymptomDef s : f.symptoms()) {
            if (!matched.contains(s.code())) {
                warning("symptoms.yaml", lineIn("symptoms.yaml", s.code()), "no rule here matches the symptom code " + s.code());
            }
        }
    }

    /** Device names, ids and aliases new. */
    void devices() {
        Set<String> deviceNames = new HashSet<>();
        for (DeviceDef d : base.knowledge().devices().all()) {
            deviceNames.add(d.id().toLowerCase(Locale.ROOT));
            deviceNames.add(d.name().toLowerCase(Locale.ROOT));
            d.aliases().forEach(x -> deviceNames.add(x.toLowerCase(Locale.ROOT)));
        }
        for (DeviceDef d : f.devices()) {
            Set<String> own = new LinkedHashSet<>();   // a device may repeat its own id as an alias
            for (String n : concat(List.of(d.id(), d.name()), d.aliases())) {
                own.add(n.toLowerCase(Locale.ROOT));
            }
            for (String n : own) {
                if (!deviceNames.add(n)) {
                    error("devices.yaml", lineIn("devices.yaml", n), "device name or id '" + n + "' is already taken");
                }
            }
        }
    }

    /**
     * Samples: readable, naming known ids with real statuses; every new id has a sample that must fire
     * it and a near miss that must not; a sample in a cause's folder says what it expects of that cause.
     */
    void samples() {
        Map<Path, JsonNode> expected = new LinkedHashMap<>();
        for (Path sample : f.samples()) {
            try {
                expected.put(sample, RuleFolder.tree(sample.resolve("expected.yaml")));
            } catch (IOException ex) {
                error(f.rel(sample.resolve("expected.yaml")), 0, "not readable: " + RuleFolder.rootMessage(ex));
            }
        }
        Map<String, Boolean> fires = new HashMap<>();
        Map<String, Boolean> nearMiss = new HashMap<>();
        expected.forEach((sample, n) -> {
            String file = f.rel(sample.resolve("expected.yaml"));
            Path path = sample.resolve("expected.yaml");
            Set<String> named = new LinkedHashSet<>();
            n.path("expect").fields().forEachRemaining(x -> {
                named.add(x.getKey());
                String status = x.getValue().asText();
                if (!STATUSES.contains(status)) {
                    error(file, lineIn(path, x.getKey()), x.getKey() + ": status must be confirmed, likely, possible or ruled_out, not '" + status + "'");
                }
                (FIRES.contains(status) ? fires : nearMiss).put(x.getKey(), true);
            });
            n.path("absent").forEach(x -> {
                named.add(x.asText());
                nearMiss.put(x.asText(), true);
            });
            for (String id : named) {
                if (!known.contains(id)) {
                    error(file, lineIn(path, id), id + " is not in the catalogue");
                }
            }
            String cause = f.causeOf(sample);
            if (cause != null && !named.contains(cause)) {
                error(file, 1, "a sample of " + cause + " (filed in its folder) that says nothing about it: expect it at a status, or list it"
                        + " under absent for a near miss");
            }
        });
        for (String id : ids) {
            if (!fires.containsKey(id)) {
                error(declaredIn(id), declaredLine(id), id + " has no sample that must fire it (causes/" + id
                        + "/samples/CASE/expected.yaml with expect: {" + id + ": confirmed, likely or possible})");
            }
            if (!nearMiss.containsKey(id)) {
                error(declaredIn(id), declaredLine(id), id + " has no near miss: a sample that must not fire it (expect: {" + id
                        + ": ruled_out} or absent: [" + id + "])");
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** Where a question is defined: the file and line. */
    private Map.Entry<String, Integer> questionAt(String id) {
        return firstMentionIn(questionFiles(), "id: " + id);
    }

    private List<String> questionFiles() {
        List<String> files = new ArrayList<>(List.of("questions.yaml"));
        f.causes().keySet().forEach(c -> files.add("causes/" + c + "/questions.yaml"));
        return files;
    }

    /** The first DRL file and line that has {@code needle}. */
    private Map.Entry<String, Integer> firstMention(String needle) {
        return firstMentionIn(List.copyOf(f.drl().keySet()), needle);
    }

    private Map.Entry<String, Integer> firstMentionIn(List<String> files, String needle) {
        for (String file : files) {
            int line = lineIn(file, needle);
            if (line > 0) {
                return Map.entry(file, line);
            }
        }
        return Map.entry(files.isEmpty() ? "." : files.get(0), 0);
    }

    private int lineIn(String rel, String needle) {
        return lineIn(f.dir().resolve(rel), needle);
    }

    /** The first line of a file that mentions {@code needle}, or 0. */
    static int lineIn(Path file, String needle) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(needle)) {
                    return i + 1;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
