package org.exkb.engine.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.knowledge.EntryDoc;
import org.exkb.engine.knowledge.FixStep;
import org.exkb.engine.knowledge.Knowledge;
import org.exkb.engine.knowledge.QuestionDef;
import org.exkb.engine.model.Answer;
import org.exkb.engine.model.Ask;
import org.exkb.engine.model.EvidenceKind;
import org.exkb.engine.model.EvidenceRef;
import org.exkb.engine.model.HasEvidence;
import org.exkb.engine.model.Level;
import org.exkb.engine.model.Support;

/**
 * Folds what the rules left in working memory into a {@link Diagnosis}: one finding per root cause
 * (its status is the strongest level any rule gave it), and the questions that would still decide an
 * open hypothesis, most decisive first.
 */
final class DiagnosisAssembler {
    private static final List<Level> DISPLAY_ORDER = List.of(Level.CONFIRMED, Level.LIKELY, Level.POSSIBLE, Level.RULED_OUT);

    private final Knowledge knowledge;

    DiagnosisAssembler(Knowledge knowledge) {
        this.knowledge = knowledge;
    }

    Diagnosis assemble(Collection<?> memory, CollectResult collected, String client, Map<String, Integer> fired) {
        return assemble(memory, collected, client, fired, List.of(), List.of());
    }

    Diagnosis assemble(Collection<?> memory, CollectResult collected, String client, Map<String, Integer> fired,
                       List<KnowledgeSource> sources, List<org.exkb.engine.probe.ProbeReport> probes) {
        Map<String, List<Support>> byId = new LinkedHashMap<>();
        List<Ask> asks = new ArrayList<>();
        Set<String> answered = new LinkedHashSet<>();
        Set<String> evidenceKinds = new LinkedHashSet<>();
        List<FactView> facts = new ArrayList<>();
        for (Object o : memory) {
            if (o instanceof Support s) {
                byId.computeIfAbsent(s.finding(), k -> new ArrayList<>()).add(s);
            } else if (o instanceof Ask a) {
                asks.add(a);
            } else if (o instanceof HasEvidence h) {
                String kind = evidenceKind(o);
                if (kind != null) {
                    evidenceKinds.add(kind);
                }
                if (o instanceof Answer a) {
                    answered.add(a.questionId());
                }
                facts.add(new FactView(o.getClass().getSimpleName(), h.describe(), h.evidence()));
            }
        }
        facts.sort(Comparator.comparing(FactView::type).thenComparing(FactView::description)
                .thenComparing(FactView::evidence, DiagnosisAssembler::compareEvidence));

        List<Finding> findings = new ArrayList<>();
        byId.forEach((id, supports) -> findings.add(finding(id, supports, client)));
        List<String> catalogueOrder = knowledge.ids();
        findings.sort(Comparator
                .comparingInt((Finding f) -> DISPLAY_ORDER.indexOf(f.status()))
                .thenComparing(f -> -f.reasons().size())
                .thenComparingInt(f -> catalogueOrder.indexOf(f.id()) < 0 ? Integer.MAX_VALUE : catalogueOrder.indexOf(f.id())));

        Map<String, Level> open = new LinkedHashMap<>();
        for (Finding f : findings) {
            if (!f.status().decides()) {
                open.put(f.id(), f.status());
            }
        }
        return new Diagnosis(findings, questions(asks, answered, evidenceKinds, open), collected.problems(),
                collected.symptoms(), client, facts, fired, collected.examined(), collected.connections(), sources, answersGiven(memory), probes,
                collected.read(), List.of(), List.of());
    }

    /** The answers in the session, in the order of the question catalogue (question id to value). */
    private Map<String, String> answersGiven(Collection<?> memory) {
        Map<String, String> byId = new java.util.TreeMap<>();
        memory.stream().filter(Answer.class::isInstance).map(Answer.class::cast).forEach(a -> byId.put(a.questionId(), a.value()));
        Map<String, String> out = new LinkedHashMap<>();
        knowledge.questions().keySet().forEach(id -> {
            if (byId.containsKey(id)) {
                out.put(id, byId.remove(id));
            }
        });
        out.putAll(byId);
        return out;
    }

    /**
     * The strongest reason first, its evidence first. Everything is put in a stable order (supports by
     * level, text and evidence; evidence by {@link EvidenceRef#ORDER}), since the session gives facts
     * in an order that can change from run to run.
     */
    private Finding finding(String id, List<Support> supports, String client) {
        // the same reason given by several matches (one per NAT address, say) is said once, with all their evidence
        Map<String, Set<EvidenceRef>> same = new LinkedHashMap<>();
        Map<String, Level> levels = new LinkedHashMap<>();
        for (Support s : supports) {
            String key = s.level() + "\0" + s.reason() + affected(s.breaks());
            same.computeIfAbsent(key, k -> new LinkedHashSet<>()).addAll(s.evidence());
            levels.put(key, s.level());
        }
        List<Finding.Reason> reasons = new ArrayList<>();
        same.forEach((key, refs) -> {
            List<EvidenceRef> sorted = new ArrayList<>(refs);
            sorted.sort(EvidenceRef.ORDER);
            reasons.add(new Finding.Reason(levels.get(key), key.substring(key.indexOf('\0') + 1), sorted));
        });
        reasons.sort(Comparator.comparing(Finding.Reason::level).reversed().thenComparing(Finding.Reason::text)
                .thenComparing(r -> r.evidence(), DiagnosisAssembler::compareEvidence));
        Level status = reasons.get(0).level();
        Set<EvidenceRef> evidence = new LinkedHashSet<>();
        for (Finding.Reason r : reasons) {
            evidence.addAll(r.evidence());
        }
        EntryDoc doc = knowledge.doc(id).orElseGet(() -> EntryDoc.undocumented(id));
        return new Finding(id, status, doc.kind(), doc.title(), doc.summary(), reasons, new ArrayList<>(evidence),
                forDevice(doc.fix(), client), doc.sources());
    }

    /** Fix steps written for any device name it as {device}: the failing client of the case, else "the device". */
    static List<FixStep> forDevice(List<FixStep> steps, String client) {
        String device = client == null || client.isBlank() ? "the device" : client;
        return steps.stream().map(s -> new FixStep(s.who(), fill(s.action(), device), fill(s.verify(), device))).toList();
    }

    private static String fill(String text, String device) {
        if (!text.contains("{device}")) {
            return text;
        }
        String t = text.replace("{device}", device);
        return t.startsWith("the device") ? "The device" + t.substring("the device".length()) : t;
    }

    /** " (devices it breaks: ...)" for a capability, from the device catalogue; "" when none or null. */
    private String affected(org.exkb.engine.model.Capability c) {
        if (c == null) {
            return "";
        }
        List<String> names = new ArrayList<>();
        for (org.exkb.engine.knowledge.DeviceDef d : knowledge.devices().all()) {
            if (d.lacks(c)) {
                names.add(d.name());
            }
        }
        return names.isEmpty() ? "" : " (catalogued devices this breaks: " + String.join(", ", names) + ")";
    }

    private static int compareEvidence(List<EvidenceRef> a, List<EvidenceRef> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = EvidenceRef.ORDER.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** Which kind of evidence request a raw fact settles (see {@link EvidenceKind#requests()}), or null. */
    static String evidenceKind(Object fact) {
        EvidenceKind k = EvidenceKind.of(fact);
        return k == null ? null : k.request();
    }

    private List<PendingQuestion> questions(List<Ask> asks, Set<String> answered, Set<String> evidenceKinds, Map<String, Level> open) {
        Map<String, Set<String>> decides = new LinkedHashMap<>();
        for (Ask a : asks) {
            boolean settled = answered.contains(a.question()) || knowledge.question(a.question())
                    .map(q -> evidenceKinds.contains(q.evidence())).orElse(false);
            if (!settled && open.containsKey(a.hypothesis())) {
                decides.computeIfAbsent(a.question(), k -> new LinkedHashSet<>()).add(a.hypothesis());
            }
        }
        List<String> order = List.copyOf(knowledge.questions().keySet());
        List<String> ids = knowledge.ids();
        List<PendingQuestion> out = new ArrayList<>();
        decides.forEach((qid, hyps) -> {
            int weight = hyps.stream().mapToInt(h -> open.get(h) == Level.LIKELY ? 2 : 1).sum();
            QuestionDef def = knowledge.question(qid).orElseGet(() -> new QuestionDef(qid,
                    "(question " + qid + " has no text in the question catalogue)", QuestionDef.TEXT, List.of(), ""));
            List<String> sorted = hyps.stream().sorted(Comparator.comparingInt((String h) -> ids.indexOf(h) < 0 ? Integer.MAX_VALUE : ids.indexOf(h))
                    .thenComparing(h -> h)).toList();   // not working-memory order, which varies from run to run
            out.add(new PendingQuestion(qid, def.text(), def.type(), def.choices(), sorted, def.how(), weight,
                    def.evidence(), def.agent()));
        });
        // equally decisive: a question the agent can answer now before a request for evidence, then catalogue order
        out.sort(Comparator.comparingInt((PendingQuestion q) -> -q.weight())
                .thenComparing(q -> q.evidence() != null && !q.evidence().isEmpty())
                .thenComparingInt(q -> order.indexOf(q.id()) < 0 ? Integer.MAX_VALUE : order.indexOf(q.id())));
        return out;
    }
}
