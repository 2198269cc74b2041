package org.exkb.engine.api;

import java.util.ArrayList;
import java.util.List;
import org.exkb.engine.collect.CollectContext;
import org.exkb.engine.collect.EvidenceCollector;
import org.exkb.engine.collect.EvidenceReader;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.collect.capture.CaptureCollector;
import org.exkb.engine.collect.casefile.CaseFileCollector;
import org.exkb.engine.collect.certificate.CertificateFileCollector;
import org.exkb.engine.collect.client.AnswerCollector;
import org.exkb.engine.collect.client.ClientResolver;
import org.exkb.engine.collect.symptom.SymptomCollector;
import org.exkb.engine.collect.tls.TrustAnchors;
import org.exkb.engine.knowledge.Knowledge;
import org.exkb.engine.session.Background;
import org.exkb.engine.session.LiveSession;
import org.exkb.engine.session.RuleBase;

/**
 * The embedding entry point. Load it once ({@link #fromClasspath()} finds the precompiled rules and
 * the knowledge data on the class path); it is thread-safe, and every case gets a fresh session that
 * is always disposed.
 *
 * <pre>
 * DiagnosisEngine engine = DiagnosisEngine.fromClasspath();
 * Diagnosis d = engine.diagnose(Case.builder().symptom("hr=0x80072f0d").client("Windows Phone 7").build());
 * String json = DiagnosisJson.write(d);
 * </pre>
 */
public final class DiagnosisEngine {
    private final RuleBase rules;
    private final Background<Parts> parts;
    private final EvidenceReader reader;
    private final CollectContext context;
    private final List<KnowledgeSource> sources;
    /** What was refused when the engine was made (a broken rule folder), told in every diagnosis it gives. */
    private final List<EvidenceProblem> refused;

    /** What is made from the knowledge; made once, possibly on a background thread. */
    private record Parts(Knowledge knowledge, SymptomCollector symptoms, ClientResolver clients, AnswerCollector answers) {
        static Parts of(Knowledge k) {
            return new Parts(k, new SymptomCollector(k.symptoms()), new ClientResolver(k.devices()), new AnswerCollector(k));
        }
    }

    public DiagnosisEngine(RuleBase rules, Knowledge knowledge, List<EvidenceCollector> collectors) {
        this(rules, Background.of(Parts.of(java.util.Objects.requireNonNull(knowledge, "knowledge"))), collectors);
    }

    private DiagnosisEngine(RuleBase rules, Background<Parts> parts, List<EvidenceCollector> collectors) {
        this(rules, parts, collectors, List.of(new KnowledgeSource(KnowledgeSource.BUILT_IN, Versions.ENGINE)), List.of());
    }

    private DiagnosisEngine(RuleBase rules, Background<Parts> parts, List<EvidenceCollector> collectors, List<KnowledgeSource> sources,
                            List<EvidenceProblem> refused) {
        this.rules = rules;
        this.parts = parts;
        this.reader = new EvidenceReader(collectors);
        this.context = new CollectContext(this::knowledge, TrustAnchors.jdkDefault());
        this.sources = List.copyOf(sources);
        this.refused = List.copyOf(refused);
        this.collectors = List.copyOf(collectors);
    }

    private final List<EvidenceCollector> collectors;

    /**
     * The same engine saying where its knowledge came from (the built-in knowledge and each rule folder
     * with its fingerprint) and what was refused when it was made, in every diagnosis.
     */
    public DiagnosisEngine withProvenance(List<KnowledgeSource> sources, List<EvidenceProblem> refused) {
        return new DiagnosisEngine(rules, parts, collectors, sources, refused);
    }

    /** Where the knowledge came from: the built-in knowledge, then each rule folder in use. */
    public List<KnowledgeSource> sources() {
        return sources;
    }

    List<EvidenceProblem> refused() {
        return refused;
    }

    /**
     * Makes the first diagnosis fast: loads the rules and the knowledge (where they are still loading)
     * and runs one small case through a session, so class loading and the rule network's first use
     * are paid now and not by the first real case (about 1.5 s in a fresh JVM). Optional; safe to call
     * from any thread, once or more.
     */
    public DiagnosisEngine warmUp() {
        diagnose(Case.builder().symptom("hr=0x80072f0d").client("Windows Phone 7").build());
        return this;
    }

    /**
     * The rules and knowledge found on this class's class loader, with the built-in collectors. Both
     * are loaded on background threads: a case's evidence is read meanwhile, and whatever needs them
     * first waits (a broken rule base throws {@link RuleBase.RuleBaseException} there, broken
     * knowledge {@link Knowledge.KnowledgeException}).
     */
    public static DiagnosisEngine fromClasspath() {
        ClassLoader cl = DiagnosisEngine.class.getClassLoader();
        RuleBase rules = RuleBase.fromClasspathInBackground(cl);
        return new DiagnosisEngine(rules, Background.start("exkb-knowledge", () -> Parts.of(Knowledge.fromClasspath(cl))),
                defaultCollectors());
    }

    /** The file readers this version has, in the order they are offered a file. */
    public static List<EvidenceCollector> defaultCollectors() {
        List<EvidenceCollector> c = new ArrayList<>();
        c.add(new CaseFileCollector());
        c.add(new CaptureCollector());
        c.add(new CertificateFileCollector());
        c.add(new org.exkb.engine.collect.logs.LogCollector());
        return c;
    }

    /** Diagnoses one case in a fresh session. */
    public Diagnosis diagnose(Case c) {
        try (CaseSession s = open()) {
            return s.load(c).diagnose();
        }
    }

    /** A live session for guided, incremental work (the shell). Close it when done. */
    public CaseSession open() {
        return new CaseSession(this, new LiveSession(rules, this::knowledge));
    }

    /** The knowledge data; waits for it while it is still loading. */
    public Knowledge knowledge() {
        return parts().knowledge();
    }

    private Parts parts() {
        return parts.get(c -> new Knowledge.KnowledgeException("the knowledge could not be loaded: " + c, c));
    }

    public RuleBase rules() {
        return rules;
    }

    EvidenceReader reader() {
        return reader;
    }

    CollectContext context() {
        return context;
    }

    SymptomCollector symptoms() {
        return parts().symptoms();
    }

    ClientResolver clients() {
        return parts().clients();
    }

    /** Checks answers against the question catalogue; also used by front ends before they submit. */
    public AnswerCollector answers() {
        return parts().answers();
    }
}
