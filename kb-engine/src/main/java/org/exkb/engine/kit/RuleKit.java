package org.exkb.engine.kit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.exkb.engine.api.Case;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.api.Finding;
import org.exkb.engine.api.PendingQuestion;
import org.exkb.engine.kit.RuleFolder.Problem;
import org.exkb.engine.knowledge.DeviceDef;
import org.exkb.engine.knowledge.EntryDoc;
import org.exkb.engine.knowledge.Knowledge;
import org.exkb.engine.knowledge.Vocabulary;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.knowledge.QuestionDef;
import org.exkb.engine.knowledge.SymptomDef;
import org.exkb.engine.session.RuleBase;
import org.kie.api.io.ResourceType;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderError;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.io.ResourceFactory;

/**
 * The knowledge engineer's kit: check a rule folder (every problem of every file in one pass), load
 * folders next to the built-in knowledge (a broken folder is refused whole, the rest keeps
 * working), and run a folder's samples through the real collectors and rules.
 */
public final class RuleKit {
    /** A type nobody knows, in a pattern ("Unable to resolve ObjectType 'X'") or in a consequence ("X cannot be resolved to a type"). */
    private static final Pattern UNKNOWN_TYPE = Pattern.compile("Unable to resolve ObjectType '([A-Za-z0-9_]+)'|\\b([A-Za-z0-9_]+) cannot be resolved to a type");
    /** The fact types rules match, for "did you mean" on a misspelt one. */
    private static final Set<String> FACT_TYPES = java.util.stream.Stream.concat(org.exkb.engine.model.EvidenceKind.allRawFacts().stream().map(Class::getSimpleName),
            java.util.stream.Stream.of("Indication", "ClientTrait", "Support", "Ask", "Evidence", "Level", "Capability", "ChainState",
                    "NameCoverage", "CertificateDates", "HandshakeOutcome", "Tri")).collect(java.util.stream.Collectors.toSet());

    private RuleKit() {
    }

    /** Built-in knowledge and rules plus the accepted folders; refused folders with their messages. */
    public record Loaded(DiagnosisEngine engine, List<RuleFolder> accepted, Map<Path, List<Problem>> refused) {
        public boolean allAccepted() {
            return refused.isEmpty();
        }
    }

    /** Thrown by {@link #engine} when a folder is refused. */
    public static final class RuleFolderException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Map<Path, List<Problem>> refused;

        public RuleFolderException(Map<Path, List<Problem>> refused) {
            super(describe(refused));
            this.refused = refused;
        }

        public Map<Path, List<Problem>> refused() {
            return refused;
        }

        static String describe(Map<Path, List<Problem>> refused) {
            StringBuilder b = new StringBuilder();
            refused.forEach((dir, problems) -> {
                b.append("rule folder ").append(dir).append(" refused:\n");
                problems.stream().filter(p -> !p.warning()).forEach(p -> b.append("  ").append(p.in(dir)).append('\n'));
            });
            return b.toString().stripTrailing();
        }
    }

    /** An engine with the folders, or an exception listing every message when any folder is refused (for embedders). */
    public static DiagnosisEngine engine(ClassLoader cl, List<Path> dirs) {
        Loaded l = load(cl, dirs);
        if (!l.allAccepted()) {
            throw new RuleFolderException(l.refused());
        }
        return l.engine();
    }

    /** Loads the built-in knowledge and every folder that is sound; the others are refused with their messages. */
    public static Loaded load(ClassLoader cl, List<Path> dirs) {
        Knowledge builtIn = Knowledge.fromClasspath(cl);
        RuleBase base = RuleBase.fromClasspath(cl);   // a fresh base of our own: folders' rules are added to it
        Set<String> builtInRules = new HashSet<>(base.rules().stream().map(r -> r.getName()).toList());
        List<RuleFolder> accepted = new ArrayList<>();
        List<RuleBase> compiled = new ArrayList<>();
        Map<Path, List<Problem>> refused = new LinkedHashMap<>();
        Knowledge merged = builtIn;
        Vocabulary vocabulary = Vocabulary.fromClasspath(cl);
        for (Path dir : dirs) {
            RuleFolder f = RuleFolder.read(dir);
            List<Problem> problems = new ArrayList<>(f.problems());
            if (isBuiltIn(f, builtIn)) {
                refused.put(dir, List.of(Problem.error(".", 0, 0, "this is the built-in knowledge itself (its ids are the built-in ones):"
                        + " it is already loaded; to check or test edits to it, use 'kb rules check' or 'kb rules test' on it")));
                continue;
            }
            problems.addAll(FolderChecks.run(f, new FolderChecks.Base(merged, builtInRules, vocabulary)));
            RuleBase rb = null;
            boolean classicDone = false;
            if (problems.stream().noneMatch(p -> !p.warning()) && !f.drl().isEmpty()) {
                try {
                    rb = RuleBase.compile(f.drl());
                } catch (Throwable t) {   // the executable-model compiler can throw instead of reporting
                    classicDone = true;
                    List<Problem> classic = classic(f);
                    problems.addAll(classic.isEmpty() ? List.of(Problem.error(".", 0, 0,
                            "the rules do not compile: " + RuleFolder.rootMessage(t))) : classic);
                }
            }
            if (problems.stream().anyMatch(p -> !p.warning())) {
                if (!classicDone) {
                    problems.addAll(classic(f));   // refused anyway: say everything that is wrong, in one pass
                }
                refused.put(dir, problems);
                continue;
            }
            accepted.add(f);
            if (rb != null) {
                compiled.add(rb);
            }
            merged = merge(merged, f);
            vocabulary = vocabulary.plus(f.drl().values());
        }
        List<org.exkb.engine.api.KnowledgeSource> sources = new ArrayList<>();
        sources.add(new org.exkb.engine.api.KnowledgeSource(org.exkb.engine.api.KnowledgeSource.BUILT_IN, org.exkb.engine.api.Versions.ENGINE));
        accepted.forEach(f -> sources.add(new org.exkb.engine.api.KnowledgeSource(f.dir().toString(), fingerprint(f.dir()))));
        List<EvidenceProblem> told = new ArrayList<>();
        refused.forEach((dir, problems) -> problems.stream().filter(p -> !p.warning()).forEach(p -> told.add(new EvidenceProblem(
                dir.resolve(p.file()).normalize().toString(), p.line() > 0 ? "line " + p.line() + (p.column() > 0 ? ", column " + p.column() : "")
                : "", EvidenceProblem.Reason.RULES_REFUSED, "this rule folder is refused and not used (the built-in knowledge and the"
                + " other folders are): " + p.message()))));
        return new Loaded(new DiagnosisEngine(base.add(compiled), merged, DiagnosisEngine.defaultCollectors()).withProvenance(sources, told),
                accepted, refused);
    }

    /**
     * Whether a folder is the built-in knowledge itself (a working copy of {@code knowledge/}): it lists
     * every built-in id, which a folder of additions never may. It is then checked on its own, and
     * tested with an engine made from it alone.
     */
    public static boolean isBuiltIn(RuleFolder f, Knowledge builtIn) {
        return !builtIn.ids().isEmpty() && f.entries().containsAll(builtIn.ids());
    }

    /** An engine made from one folder alone: its rules compiled now, its knowledge read from it (for the built-in knowledge's working copy). */
    public static DiagnosisEngine standalone(RuleFolder f) {
        Knowledge k = merge(FolderChecks.Base.NONE.knowledge(), f);
        return new DiagnosisEngine(RuleBase.compile(f.drl()), k, DiagnosisEngine.defaultCollectors())
                .withProvenance(List.of(new org.exkb.engine.api.KnowledgeSource(f.dir().toString(), fingerprint(f.dir()))), List.of());
    }

    /** The same folder content always gives the same fingerprint: SHA-256 over its files' relative paths and bytes (samples and recording scripts left out), 12 hex digits. */
    static String fingerprint(Path dir) {
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(dir)) {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            for (Path p : s.filter(java.nio.file.Files::isRegularFile).filter(p -> !dir.relativize(p).toString().replace('\\', '/').matches("(causes/[^/]+/)?samples/.*|recording/.*"))
                    .sorted().toList()) {
                md.update(dir.relativize(p).toString().replace('\\', '/').getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(java.nio.file.Files.readAllBytes(p));
            }
            return "sha256:" + java.util.HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            return "unknown";
        }
    }

    /** The name among {@code names} closest to {@code name} (at most a third of it edited), or null. */
    static String closest(String name, Set<String> names) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String n : names) {
            int d = org.exkb.engine.knowledge.DeviceCatalog.levenshtein(name, n);
            if (d < bestDistance) {
                bestDistance = d;
                best = n;
            }
        }
        return bestDistance <= Math.max(2, name.length() / 3) ? best : null;
    }

    /**
     * Everything wrong with a folder in one pass: unreadable data (with line and column), every DRL
     * error of every file from the classic compiler, the catalogue rules, and finally the
     * executable-model build that loading uses. Warnings are included; errors make a folder unusable.
     */
    public static List<Problem> check(ClassLoader cl, Path dir) {
        Knowledge builtIn = Knowledge.fromClasspath(cl);
        RuleFolder f = RuleFolder.read(dir);
        FolderChecks.Base base = isBuiltIn(f, builtIn) ? FolderChecks.Base.NONE
                : new FolderChecks.Base(builtIn, new HashSet<>(RuleBase.fromClasspath(cl).rules().stream().map(r -> r.getName()).toList()),
                        Vocabulary.fromClasspath(cl));
        List<Problem> problems = new ArrayList<>(f.problems());
        problems.addAll(classic(f));
        problems.addAll(FolderChecks.run(f, base));
        if (problems.stream().noneMatch(p -> !p.warning()) && !f.drl().isEmpty()) {
            try {
                RuleBase.compile(f.drl());
            } catch (Throwable t) {
                problems.add(Problem.error(".", 0, 0, "the executable-model compiler refused the rules: " + RuleFolder.rootMessage(t)));
            }
        }
        return problems;
    }

    /** Every error of every DRL file from the classic compiler (which reports all of them, with lines). */
    static List<Problem> classic(RuleFolder f) {
        List<Problem> out = new ArrayList<>();
        if (f.drl().isEmpty()) {
            return out;
        }
        if (System.getProperty("drools.jittingThreshold") == null) {
            System.setProperty("drools.jittingThreshold", "-1");   // drools-mvel 10.2.0 JIT bug (STACK-NOTES)
        }
        for (Map.Entry<String, String> e : f.drl().entrySet()) {
            // one builder per file: an error in one file never hides the next file's
            try {
                KnowledgeBuilder kb = KnowledgeBuilderFactory.newKnowledgeBuilder();
                kb.add(ResourceFactory.newByteArrayResource(e.getValue().getBytes(StandardCharsets.UTF_8)).setSourcePath(e.getKey()),
                        ResourceType.DRL);
                boolean unknownType = kb.getErrors().stream().anyMatch(err -> UNKNOWN_TYPE.matcher(String.valueOf(err.getMessage())).find());
                int followOn = 0;
                for (KnowledgeBuilderError err : kb.getErrors()) {
                    String message = oneLine(err.getMessage());
                    if (message.contains("Parser returned a null Package") && kb.getErrors().size() > 1) {
                        continue;   // follows a syntax error already reported for this file
                    }
                    if (unknownType && message.contains("cannot be resolved to a variable")) {
                        followOn++;   // a variable bound by the pattern whose type is unknown: said once, at the type
                        continue;
                    }
                    int[] lines = err.getLines();
                    int line = lines != null && lines.length > 0 ? lines[0] : 0;
                    int column = column(err);
                    Matcher unknown = UNKNOWN_TYPE.matcher(message);
                    if (unknown.find()) {
                        String type = unknown.group(1) != null ? unknown.group(1) : unknown.group(2);
                        String near = closest(type, FACT_TYPES);
                        message += near == null ? "" : "; did you mean " + near + "?";
                        if (column <= 0 && line > 0) {
                            // the compiler names the rule's first line for an error in its consequence: find the type itself
                            String[] text = e.getValue().split("\n", -1);
                            for (int l = line; l <= text.length && l < line + 200; l++) {
                                Matcher at = Pattern.compile("\\b" + type + "\\b").matcher(text[l - 1]);
                                if (at.find()) {
                                    line = l;
                                    column = at.start() + 1;
                                    break;
                                }
                            }
                        }
                    }
                    out.add(Problem.error(e.getKey(), Math.max(line, 0), Math.max(column, 0), message));
                }
                if (followOn > 0) {
                    out.add(Problem.warning(e.getKey(), 0, 0, followOn + " follow-on error(s) of the unknown type above are not listed"));
                }
            } catch (Throwable t) {
                out.add(Problem.error(e.getKey(), 0, 0, "the compiler failed on this file: " + RuleFolder.rootMessage(t)));
            }
        }
        return out;
    }

    private static int column(KnowledgeBuilderError err) {
        try {
            Object c = err.getClass().getMethod("getCol").invoke(err);
            return c instanceof Integer i ? i + 1 : 0;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return 0;
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\n\\s*", " ").strip();
    }

    /** Built-in knowledge plus a folder's additions; the folder's entries come after the built-in ones. */
    static Knowledge merge(Knowledge base, RuleFolder f) {
        Map<String, EntryDoc> docs = new LinkedHashMap<>();
        base.ids().forEach(id -> docs.put(id, base.doc(id).orElseThrow()));
        f.entries().forEach(id -> docs.put(id, f.docs().get(id)));
        List<DeviceDef> devices = concat(base.devices().all(), f.devices());
        List<SymptomDef> symptoms = concat(base.symptoms().all(), f.symptoms());
        List<QuestionDef> questions = concat(List.copyOf(base.questions().values()), f.questions());
        return new Knowledge(docs, devices, symptoms, questions);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    // ---------------------------------------------------------------- samples

    /** One sample's outcome: what differed from its expected.yaml (empty: passed). */
    public record SampleResult(Path sample, List<String> failures, Map<String, String> got, Diagnosis diagnosis) {
        public boolean passed() {
            return failures.isEmpty();
        }
    }

    /** Every sample through the engine; plus the folder's rules that fired on no sample. */
    public record TestReport(List<SampleResult> samples, List<String> neverFired) {
        public boolean passed() {
            return samples.stream().allMatch(SampleResult::passed);
        }
    }

    public static TestReport test(DiagnosisEngine engine, List<Path> samples, List<String> ruleNames) {
        List<SampleResult> results = new ArrayList<>();
        Set<String> fired = new HashSet<>();
        for (Path s : samples) {
            results.add(runSample(engine, s, fired));
        }
        List<String> never = ruleNames.stream().filter(n -> !fired.contains(n)).toList();
        return new TestReport(results, never);
    }

    /** The names of the rules in a folder's DRL files. */
    public static List<String> ruleNames(RuleFolder f) {
        List<String> names = new ArrayList<>();
        f.drl().values().forEach(text -> RuleFolder.rules(text).forEach(r -> names.add(r.name())));
        return names;
    }

    /** One sample through the engine, held to its expected.yaml; the rules that fired are added to {@code fired}. */
    public static SampleResult runSample(DiagnosisEngine engine, Path sample, Set<String> fired) {
        List<String> failures = new ArrayList<>();
        Expectation exp;
        try {
            exp = Expectation.read(sample);
        } catch (IOException e) {
            return new SampleResult(sample, List.of("expected.yaml is not readable: " + RuleFolder.rootMessage(e)), Map.of(), null);
        }
        Diagnosis d = engine.diagnose(Case.builder().evidence(sample).build());
        fired.addAll(d.firedRules().keySet());
        Map<String, String> got = new LinkedHashMap<>();
        for (Finding f : d.findings()) {
            got.put(f.id(), f.status().json());
        }
        d.evidenceProblems().forEach(p -> failures.add("evidence problem: " + p.source() + " " + p.locator() + ": " + p.detail()));
        exp.expect().forEach((id, status) -> {
            String g = got.get(id);
            if (!status.equals(g)) {
                failures.add(id + ": expected " + status + ", got " + (g == null ? "no finding" : g));
            }
        });
        exp.absent().forEach(a -> {
            if (got.containsKey(a)) {
                failures.add(a + ": must not appear, got " + got.get(a));
            }
        });
        if (exp.none() && !got.isEmpty()) {
            failures.add("expected no finding, got " + got);
        }
        List<String> asked = d.questions().stream().map(PendingQuestion::id).toList();
        exp.questions().forEach(q -> {
            if (!asked.contains(q)) {
                failures.add("question " + q + " is not pending (pending: " + asked + ")");
            }
        });
        exp.evidence().forEach((id, wanted) -> {
            List<String> places = d.finding(id).map(f -> f.evidence().stream().map(r -> r.source() + " " + r.locator()).toList())
                    .orElse(List.of());
            wanted.forEach(place -> {
                if (places.stream().noneMatch(p -> p.endsWith(" " + place))) { // "frame 2" is not "frame 27"
                    failures.add(id + ": no evidence at '" + place + "' (has " + places + ")");
                }
            });
        });
        List<String> unrecognised = d.symptoms().stream().filter(v -> v.recognized().isEmpty()).map(v -> v.text()).toList();
        exp.unrecognized().forEach(u -> {
            if (!unrecognised.contains(u)) {
                failures.add("symptom '" + u + "' should be kept as not recognised (kept: " + unrecognised + ")");
            }
        });
        return new SampleResult(sample, failures, got, d);
    }

    /** The sorted set of catalogue ids a folder adds (for messages). */
    public static Set<String> ids(RuleFolder f) {
        return new TreeSet<>(f.entries());
    }
}
