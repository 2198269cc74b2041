package org.exkb.engine.api;

import java.util.ArrayList;
import java.util.List;
import org.exkb.engine.collect.CollectContext;
import org.exkb.engine.collect.EvidenceCollector;
import org.exkb.engine.collect.EvidenceReader;
import org.exkb.engine.collect.capture.CaptureCollector;
import org.exkb.engine.collect.casefile.CaseFileCollector;
import org.exkb.engine.collect.certificate.CertificateFileCollector;
import org.exkb.engine.collect.client.AnswerCollector;
import org.exkb.engine.collect.client.ClientResolver;
import org.exkb.engine.collect.symptom.SymptomCollector;
import org.exkb.engine.knowledge.Knowledge;
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
    private final Knowledge knowledge;
    private final EvidenceReader reader;
    private final CollectContext context;
    private final SymptomCollector symptoms;
    private final ClientResolver clients;
    private final AnswerCollector answers;

    public DiagnosisEngine(RuleBase rules, Knowledge knowledge, List<EvidenceCollector> collectors) {
        this.rules = rules;
        this.knowledge = knowledge;
        this.reader = new EvidenceReader(collectors);
        this.context = new CollectContext(knowledge);
        this.symptoms = new SymptomCollector(knowledge.symptoms());
        this.clients = new ClientResolver(knowledge.devices());
        this.answers = new AnswerCollector(knowledge);
    }

    /**
     * The rules and knowledge found on this class's class loader, with the built-in collectors. The
     * rules are built on a background thread: a case's evidence is read meanwhile, and the first
     * session waits for them (a broken rule base throws {@link RuleBase.RuleBaseException} there).
     */
    public static DiagnosisEngine fromClasspath() {
        ClassLoader cl = DiagnosisEngine.class.getClassLoader();
        return new DiagnosisEngine(RuleBase.fromClasspathInBackground(cl), Knowledge.fromClasspath(cl), defaultCollectors());
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
        return new CaseSession(this, new LiveSession(rules, knowledge));
    }

    public Knowledge knowledge() {
        return knowledge;
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
        return symptoms;
    }

    ClientResolver clients() {
        return clients;
    }

    /** Checks answers against the question catalogue; also used by front ends before they submit. */
    public AnswerCollector answers() {
        return answers;
    }
}
