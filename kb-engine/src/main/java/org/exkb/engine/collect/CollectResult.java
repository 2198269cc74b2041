package org.exkb.engine.collect;

import java.util.ArrayList;
import java.util.List;
import org.exkb.engine.model.ConnectionRow;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.model.SymptomView;

/**
 * What a collector got out of one piece of evidence: facts for the session, problems (what it could
 * not read and why), the symptom texts it saw with their recognised codes, and a line saying what
 * was examined. Mutable while collecting; collectors return it and never throw.
 */
public final class CollectResult {
    private final List<Object> facts = new ArrayList<>();
    /** Partials not yet turned into facts, in the order added (see {@link Partial}). */
    private final List<Partial> partials = new ArrayList<>();
    /** The files read (real paths), so that a case does not read them again. */
    private final List<java.nio.file.Path> filesRead = new ArrayList<>();
    private final List<EvidenceProblem> problems = new ArrayList<>();
    private final List<SymptomView> symptoms = new ArrayList<>();
    private final List<String> examined = new ArrayList<>();
    private final List<org.exkb.engine.model.ReadSummary> read = new ArrayList<>();
    private final List<ConnectionRow> connections = new ArrayList<>();
    private final List<java.security.cert.X509Certificate> trust = new ArrayList<>();
    private String client;

    public CollectResult fact(Object f) {
        facts.add(f);
        return this;
    }

    public CollectResult problem(EvidenceProblem p) {
        problems.add(p);
        return this;
    }

    public CollectResult symptom(SymptomView s) {
        symptoms.add(s);
        return this;
    }

    /** What was read of a file as fields (its examined line says it in words). */
    public CollectResult read(org.exkb.engine.model.ReadSummary summary) {
        read.add(summary);
        return this;
    }

    public List<org.exkb.engine.model.ReadSummary> read() {
        return read;
    }

    public CollectResult examined(String what) {
        examined.add(what);
        return this;
    }

    public CollectResult connection(ConnectionRow row) {
        connections.add(row);
        return this;
    }

    /** Roots the evidence itself supplies (a private root CA file) for the evidence read after it. */
    public CollectResult trust(List<java.security.cert.X509Certificate> roots) {
        trust.addAll(roots);
        return this;
    }

    public List<java.security.cert.X509Certificate> trust() {
        return trust;
    }

    public CollectResult client(String name) {
        client = name;
        return this;
    }

    public CollectResult fileRead(java.nio.file.Path file) {
        filesRead.add(file);
        return this;
    }

    public List<java.nio.file.Path> filesRead() {
        return filesRead;
    }

    /** A file's partial aggregates, merged with the other files' by {@link #facts()}. */
    public CollectResult partial(Partial p) {
        partials.add(p);
        return this;
    }

    /** Removes and answers the partials not yet turned into facts (a session that merges them with later ones takes them). */
    public List<Partial> takePartials() {
        List<Partial> taken = new ArrayList<>(partials);
        partials.clear();
        return taken;
    }

    public CollectResult addAll(CollectResult other) {
        facts.addAll(other.facts);
        partials.addAll(other.partials); // merged later, with those of the files added after it
        filesRead.addAll(other.filesRead);
        problems.addAll(other.problems);
        symptoms.addAll(other.symptoms);
        examined.addAll(other.examined);
        read.addAll(other.read);
        connections.addAll(other.connections);
        trust.addAll(other.trust);
        if (other.client != null) {
            client = other.client;
        }
        return this;
    }

    /**
     * The facts. The partials added so far are first merged, those of a class into one in the order
     * they were added, and their facts added; later partials are merged among themselves only, so
     * ask for the facts once everything that belongs together has been added.
     */
    public List<Object> facts() {
        if (!partials.isEmpty()) {
            MergedPartials merged = new MergedPartials();
            merged.add(partials);
            partials.clear();
            facts.addAll(merged.facts());
        }
        return facts;
    }

    public List<EvidenceProblem> problems() {
        return problems;
    }

    public List<SymptomView> symptoms() {
        return symptoms;
    }

    public List<String> examined() {
        return examined;
    }

    public List<ConnectionRow> connections() {
        return connections;
    }

    /** The client named by this evidence (a case file's {@code client:}), or null. */
    public String client() {
        return client;
    }
}
