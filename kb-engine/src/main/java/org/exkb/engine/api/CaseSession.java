package org.exkb.engine.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.collect.tls.TrustAnchors;
import org.exkb.engine.model.Answer;
import org.exkb.engine.model.DeviceProfile;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.model.EvidenceRef;
import org.exkb.engine.session.LiveSession;

/**
 * A case being worked on: one Drools session kept open while symptoms, the client, answers and
 * evidence arrive. Changing or withdrawing an answer retracts everything that was logically inserted
 * because of the old answer (truth maintenance), so {@link #diagnose()} always reflects the current
 * inputs. Not thread-safe; close it when done.
 */
public final class CaseSession implements AutoCloseable {
    private final DiagnosisEngine engine;
    private final LiveSession live;
    private final CollectResult collected = new CollectResult();
    /** The partials of everything added so far, merged per class in the order added (see {@link org.exkb.engine.collect.Partial}). */
    private final org.exkb.engine.collect.MergedPartials merged = new org.exkb.engine.collect.MergedPartials();
    /** The same partials per day they fall on (shared where merging leaves them as they are, else copies), to diagnose each day alone. */
    private final java.util.TreeMap<String, org.exkb.engine.collect.MergedPartials> byDay = new java.util.TreeMap<>();
    /** Days diagnosed one by one at most (a year and a month of daily logs). */
    static final int MAX_DAYS = 400;
    /**
     * The memory the days' aggregates may hold (a quarter of what Java may use, unless the system
     * property {@code kb.dayViewMb} says otherwise): a year of a fleet's logs keeps its last days.
     */
    private final long dayBudget = dayBudget();
    /** The days' aggregates' weight, in all and per day ({@link org.exkb.engine.collect.Partial#weight}). */
    private long daysWeight;
    private final Map<String, Long> dayWeight = new java.util.HashMap<>();
    /** The oldest days let go (to stay within the budget or MAX_DAYS), how many, and the newest of them. */
    private int daysLetGo;
    private String letGoThrough = "";
    private final java.util.Set<String> allDays = new java.util.TreeSet<>();
    /** The day-by-day diagnoses as last made, and the number of log additions they were made after (they change only then). */
    private List<DayFindings> daysMade = List.of();
    private int dayAdds;
    private int daysMadeAt = -1;
    /** Files whose evidence was added (real paths): reading them again would count their requests twice. */
    private final java.util.Set<Path> filesAdded = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<String, Answer> answers = new LinkedHashMap<>();
    private int symptomCount;
    private TrustAnchors trust = TrustAnchors.jdkDefault();
    // The case as given, in the order given: what current() describes and a saved case holds
    private final List<String> symptomTexts = new ArrayList<>();
    /** The evidence each of those symptoms' facts carries, to withdraw one. */
    private final List<EvidenceRef> symptomRefs = new ArrayList<>();
    private String clientGiven;
    private final List<Path> evidenceGiven = new ArrayList<>();
    private final List<Path> trustGiven = new ArrayList<>();
    private final List<String> probed = new ArrayList<>();
    private final List<org.exkb.engine.probe.ProbeReport> probeReports = new ArrayList<>();
    private DeviceProfile client;
    private String title = "";
    private String notes = "";

    CaseSession(DiagnosisEngine engine, LiveSession live) {
        this.engine = engine;
        this.live = live;
    }

    /** Adds everything a {@link Case} holds, reading its evidence files and probing its servers. */
    public CaseSession load(Case c) {
        return load(c, true);
    }

    /**
     * Adds everything a {@link Case} holds, reading its evidence files; its servers are probed when
     * {@code probe}, else only kept in the case (a case replayed into new rules need not probe again).
     */
    public CaseSession load(Case c, boolean probe) {
        List<EvidenceProblem> trustProblems = new ArrayList<>();
        for (Path t : c.trust()) {
            trust(t).ifPresent(msg -> trustProblems.add(new EvidenceProblem(t.toString(), "", EvidenceProblem.UNREADABLE, msg)));
        }
        // read before the session is first touched: a rule base still being built is waited for only after
        CollectResult evidence = c.evidence().isEmpty() ? null : read(c.evidence());
        c.symptoms().forEach(this::addSymptom);
        if (c.client() != null) {
            setClient(c.client());
        }
        c.answers().forEach((q, v) -> add(engine.answers().collect(q, v, "answer", q)));
        collected.problems().addAll(trustProblems);
        if (evidence != null) {
            add(evidence);
            evidenceGiven.addAll(normalized(c.evidence()));
        }
        if (!probe) {
            probed.addAll(c.probe());
        } else if (!c.probe().isEmpty()) {
            List<org.exkb.engine.probe.ProbeTarget> targets = new ArrayList<>();
            for (String t : c.probe()) {
                try {
                    targets.add(org.exkb.engine.probe.ProbeTarget.parse(t));
                } catch (IllegalArgumentException e) {
                    collected.problems().add(new EvidenceProblem(EvidenceRef.live(t), "", EvidenceProblem.CONNECTIVITY, e.getMessage()));
                }
            }
            probe(targets, probeOptions(null, false, 5000));
        }
        return this;
    }

    /** Probe options with this session's trusted roots and the whole device catalogue. */
    public org.exkb.engine.probe.Probe.Options probeOptions(String sni, boolean noSni, int timeoutMillis) {
        return new org.exkb.engine.probe.Probe.Options(sni, noSni, timeoutMillis, trust, engine.knowledge().devices().all(), true);
    }

    /**
     * Probes servers live (in parallel) and adds what was found, as facts from {@code live:host:port};
     * returns the per-target reports (chains, versions, HTTP checks, per-device verdicts).
     */
    public List<org.exkb.engine.probe.ProbeReport> probe(List<org.exkb.engine.probe.ProbeTarget> targets,
                                                        org.exkb.engine.probe.Probe.Options options) {
        List<org.exkb.engine.probe.ProbeReport> reports = org.exkb.engine.probe.Probe.run(targets, options);
        addProbed(targets.stream().map(Object::toString).toList(), reports);
        return reports;
    }

    /** Adds what probes made elsewhere (a front end's own thread) found, keeping the targets in the case. */
    public CaseSession addProbed(List<String> targets, List<org.exkb.engine.probe.ProbeReport> reports) {
        probed.addAll(targets);
        probeReports.addAll(reports);
        reports.forEach(r -> add(r.collected()));
        return this;
    }

    public CaseSession addSymptom(String text) {
        if (text.length() > org.exkb.engine.collect.casefile.CaseCodec.MAX_SYMPTOM_CHARS) {
            collected.problems().add(new EvidenceProblem("symptom", "#" + (symptomCount + 1), EvidenceProblem.UNSUPPORTED, "a symptom of "
                    + text.length() + " characters; the first " + org.exkb.engine.collect.casefile.CaseCodec.MAX_SYMPTOM_CHARS
                    + " are read (give logs and exports as evidence files)"));
            text = text.substring(0, org.exkb.engine.collect.casefile.CaseCodec.MAX_SYMPTOM_CHARS);
        }
        symptomTexts.add(text);
        symptomCount++;
        symptomRefs.add(EvidenceRef.of("symptom", "#" + symptomCount, text.strip()));
        return addSymptom(text, "symptom", "#" + symptomCount);
    }

    public CaseSession addSymptom(String text, String source, String locator) {
        return add(engine.symptoms().collect(text, source, locator));
    }

    /**
     * Withdraws a symptom given with {@link #addSymptom(String)} ({@code index} from 0 in the order given):
     * what followed from it is retracted. Returns the text withdrawn, or empty when there is none there.
     */
    public Optional<String> removeSymptom(int index) {
        if (index < 0 || index >= symptomRefs.size()) {
            return Optional.empty();
        }
        EvidenceRef ref = symptomRefs.remove(index);
        String text = symptomTexts.remove(index);
        live.retractWhere(f -> f instanceof org.exkb.engine.model.SymptomReport s && s.ref().equals(ref));
        collected.symptoms().removeIf(v -> v.ref().equals(ref));
        return Optional.of(text);
    }

    public CaseSession setClient(String name) {
        clientGiven = name;
        return add(engine.clients().collect(name, "client", ""));
    }

    /**
     * Answers (or re-answers) a question. Returns what is wrong when the answer does not fit the
     * question; the session is then unchanged.
     */
    public Optional<String> answer(String questionId, String value) {
        Optional<String> error = engine.answers().check(questionId, value);
        if (error.isEmpty()) {
            add(engine.answers().collect(questionId, value, "answer", questionId));
        }
        return error;
    }

    /** Withdraws an answer; what followed from it is retracted. Returns false when it was not answered. */
    public boolean unanswer(String questionId) {
        answers.remove(questionId);
        return live.retractAnswer(questionId);
    }

    public Map<String, String> answers() {
        Map<String, String> out = new LinkedHashMap<>();
        answers.forEach((k, v) -> out.put(k, v.value()));
        return out;
    }

    public CaseSession addEvidence(List<Path> paths) {
        if (!paths.isEmpty()) {
            addRead(paths, read(paths));
        }
        return this;
    }

    /** Adds evidence read with {@link #read(List)} (on another thread, say), keeping its paths in the case. */
    public CaseSession addRead(List<Path> paths, CollectResult read) {
        evidenceGiven.addAll(normalized(paths));
        return add(read);
    }

    private static List<Path> normalized(List<Path> paths) {
        return paths.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /** The case as given so far (symptoms, client, answers, evidence paths, trusted roots, probed servers), in the order given. */
    public Case current() {
        return new Case(symptomTexts, clientGiven, answers(), evidenceGiven, trustGiven, probed);
    }

    /** The case as a case file holds it, with its title and notes. */
    public org.exkb.engine.collect.casefile.CaseCodec.Description describe() {
        return current().describe(title, notes);
    }

    /** A title and notes kept with the case (a saved case carries them; nothing reads them). */
    public CaseSession label(String title, String notes) {
        this.title = title == null ? "" : title;
        this.notes = notes == null ? "" : notes;
        return this;
    }

    /**
     * Reads evidence files without touching the session, so a front end can read on another thread
     * (and abandon a read the user cancels); pass the result to {@link #add(CollectResult)}. An
     * interrupted read stops between files and says so.
     */
    public CollectResult read(List<Path> paths) {
        return engine.reader().read(paths, engine.context().withTrust(trust), java.util.Set.copyOf(filesAdded));
    }

    /**
     * Adds private roots (PEM or DER) that certificate chains in later evidence may end at, next to
     * the JDK's. Returns what is wrong with the file, if anything; the session is then unchanged.
     */
    public Optional<String> trust(Path file) {
        try {
            trust = trust.plus(TrustAnchors.read(file));
            trustGiven.add(file.toAbsolutePath().normalize());
            return Optional.empty();
        } catch (java.io.IOException | java.security.cert.CertificateException e) {
            return Optional.of(file + ": cannot read trusted roots: " + e.getMessage());
        }
    }

    /** Adds what any collector produced (files, a live probe, a ticketing system's own facts). */
    public CaseSession add(CollectResult r) {
        // server-log aggregates merge with those of everything added before (a log rolled over into
        // files added one by one counts as one): the merged facts replace the earlier merged ones
        filesAdded.addAll(r.filesRead());
        List<org.exkb.engine.collect.Partial> partials = r.takePartials();
        if (!partials.isEmpty()) {
            for (org.exkb.engine.collect.Partial p : partials) {
                // counts in its day as well as in the whole period: shared where merging leaves it as it is, else copied
                org.exkb.engine.collect.Partial copy = p.day().isEmpty() ? null
                        : org.exkb.engine.collect.MergedPartials.unchangedByMerging(p) ? p : org.exkb.engine.collect.MergedPartials.copy(p);
                if (copy != null) {
                    keepForDay(p.day(), copy);
                }
            }
            merged.add(partials);
            live.replaceMerged(merged.facts());
        }
        if (r.facts().stream().anyMatch(DeviceProfile.class::isInstance)
                || r.problems().stream().anyMatch(p -> p.reason() == EvidenceProblem.UNKNOWN_CLIENT)) {
            // a client given again replaces the one before: a name that was not found is no longer a problem of the case
            collected.problems().removeIf(p -> p.reason() == EvidenceProblem.UNKNOWN_CLIENT);
        }
        List<Object> others = new ArrayList<>();
        for (Object f : r.facts()) {
            if (f instanceof Answer a) {
                collected.problems().removeIf(p -> p.reason() == EvidenceProblem.INVALID_ANSWER
                        && (p.locator().equals(a.questionId()) || p.locator().equals("answers." + a.questionId())));
                Answer before = answers.get(a.questionId());
                if (before != null && !before.value().equals(a.value()) && conflicting(before.ref(), a.ref())) {
                    collected.problems().add(new EvidenceProblem(a.ref().source(), a.ref().locator(), EvidenceProblem.Reason.CONFLICT,
                            "answers " + a.questionId() + " '" + a.value() + "', where " + before.ref().source() + " answers '"
                                    + before.value() + "': two descriptions of the case disagree; '" + a.value()
                                    + "' is used - check which is right, or give one of them"));
                }
                answers.put(a.questionId(), a);
                live.putAnswer(a);
            } else if (f instanceof DeviceProfile d) {
                if (client != null && !client.id().equals(d.id()) && conflicting(client.ref(), d.ref())) {
                    collected.problems().add(new EvidenceProblem(d.ref().source(), d.ref().locator(), EvidenceProblem.Reason.CONFLICT,
                            "names the client " + d.name() + ", where " + client.ref().source() + " names " + client.name()
                                    + ": two descriptions of the case disagree; " + d.name() + " is used - check which is right, or give one of them"));
                }
                client = d;
                live.putClient(d);
            } else {
                others.add(f);
            }
        }
        live.insertAll(others);
        // facts live in the Drools session; the session keeps only what the report needs besides them
        collected.problems().addAll(r.problems());
        collected.symptoms().addAll(r.symptoms());
        collected.examined().addAll(r.examined());
        collected.read().addAll(r.read());
        collected.connections().addAll(r.connections());
        return this;
    }

    /** Two facts given by two different files (not a correction typed or sent for this case). */
    private static boolean conflicting(EvidenceRef before, EvidenceRef now) {
        return before != null && now != null && !before.source().equals(now.source()) && isFile(before.source()) && isFile(now.source());
    }

    private static boolean isFile(String source) {
        return !source.equals("client") && !source.equals("answer") && !source.equals("symptom") && !source.startsWith(EvidenceRef.LIVE);
    }

    /** Fires the rules on the current inputs and assembles the result. */
    public Diagnosis diagnose() {
        CollectResult view = new CollectResult().addAll(collected);
        engine.refused().forEach(view::problem);
        if (!live.fire()) {
            view.problem(new EvidenceProblem("rules", "", EvidenceProblem.Reason.RULES_DID_NOT_SETTLE,
                    "the rules fired " + LiveSession.MAX_FIRINGS + " times without settling; the result is incomplete"));
        }
        Diagnosis d = new DiagnosisAssembler(live.knowledge()).assemble(live.memory(), view, live.clientName(), live.fired(),
                engine.sources(), probeReports);
        if (byDay.size() < 2) {
            return daysLetGo == 0 ? d : withExamined(d, letGo(byDay.keySet().iterator().next()));
        }
        return byDay(d);
    }

    private static long dayBudget() {
        long quarter = Runtime.getRuntime().maxMemory() / 4;
        try {
            String mb = System.getProperty("kb.dayViewMb");
            return mb == null ? quarter : (long) (Double.parseDouble(mb) * (1 << 20));
        } catch (NumberFormatException e) {
            return quarter;
        }
    }

    /**
     * Keeps a partial for its day's diagnosis; then lets the oldest days go while the days are more
     * than MAX_DAYS or weigh more than the budget (the last day is always kept). A partial of a day
     * already let go counts in the whole period only.
     */
    private void keepForDay(String day, org.exkb.engine.collect.Partial p) {
        allDays.add(day);
        if (day.compareTo(letGoThrough) <= 0) {
            return;
        }
        byDay.computeIfAbsent(day, d -> new org.exkb.engine.collect.MergedPartials()).add(List.of(p));
        long w = p.weight();
        dayWeight.merge(day, w, Long::sum);
        daysWeight += w;
        dayAdds++;
        while (byDay.size() > 1 && (byDay.size() > MAX_DAYS || daysWeight > dayBudget)) {
            String oldest = byDay.pollFirstEntry().getKey();
            daysWeight -= dayWeight.remove(oldest);
            letGoThrough = oldest;
            daysLetGo++;
        }
    }

    /**
     * Logs of two days or more: each day's log aggregates are also diagnosed alone (in a session of
     * their own, nothing else of the case); for each root cause some day shows at least likely, the
     * first such day is its onset.
     */
    private Diagnosis byDay(Diagnosis whole) {
        List<String> kept = new ArrayList<>(byDay.keySet());
        if (daysMadeAt != dayAdds) {     // a guided case diagnoses after every change: the days only when the logs changed
            // each day in a session of its own: independent, so on the machine's processors
            daysMade = kept.parallelStream().map(day -> {
                try (CaseSession one = engine.open()) {
                    one.live.replaceMerged(byDay.get(day).facts());
                    Map<String, org.exkb.engine.model.Level> statuses = new LinkedHashMap<>();
                    one.diagnose().findings().forEach(f -> statuses.put(f.id(), f.status()));
                    return new DayFindings(day, statuses);
                }
            }).toList();
            daysMadeAt = dayAdds;
        }
        List<DayFindings> days = daysMade;
        // every root cause some day's logs alone show at least likely, whatever the whole period says
        // (a pattern that began late can be outweighed by the weeks before it), in the report's order
        java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>();
        whole.findings().forEach(f -> ids.add(f.id()));
        days.forEach(d -> ids.addAll(d.findings().keySet()));
        List<Onset> onsets = new ArrayList<>();
        for (String id : ids) {
            for (DayFindings d : days) {
                org.exkb.engine.model.Level s = d.findings().get(id);
                if (s == org.exkb.engine.model.Level.LIKELY || s == org.exkb.engine.model.Level.CONFIRMED) {
                    onsets.add(new Onset(id, s, d.day(), kept.get(0), kept.get(kept.size() - 1), kept.size()));
                    break;
                }
            }
        }
        Diagnosis out = whole.withDays(days, onsets);
        return daysLetGo == 0 ? out : withExamined(out, letGo(kept.get(0)));
    }

    /** What the report says when the oldest days' aggregates were let go; {@code from} is the first day kept. */
    private String letGo(String from) {
        return "server logs of " + allDays.size() + " days: the days before " + from + " were let go from the day-by-day view (its"
                + " aggregates are kept for " + MAX_DAYS + " days and " + String.format(java.util.Locale.ROOT, "%.1f MB", dayBudget / 1048576.0)
                + " at most; the system property kb.dayViewMb sets the memory); they count in the whole period";
    }

    private static Diagnosis withExamined(Diagnosis d, String line) {
        List<String> examined = new ArrayList<>(d.examined());
        examined.add(line);
        return new Diagnosis(d.findings(), d.questions(), d.evidenceProblems(), d.symptoms(), d.client(), d.facts(),
                d.firedRules(), examined, d.connections(), d.knowledge(), d.answers(), d.probes(), d.read(), d.days(), d.onsets());
    }

    @Override
    public void close() {
        live.close();
    }
}
