package org.exkb.engine.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.exkb.engine.model.ConnectionRow;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.model.SymptomView;

/**
 * The result of one case: findings ranked by status, pending questions ranked by how much they
 * decide, evidence that could not be used, the symptoms as recognised, the facts in the session,
 * the rules that fired, what was examined, the connections seen in captures, where the knowledge
 * that judged it came from, the answers given (question id to value), the live probes' reports, and
 * what was read of each file as fields ({@code read}; {@code examined} says it in words).
 */
public record Diagnosis(List<Finding> findings, List<PendingQuestion> questions,
                        List<EvidenceProblem> evidenceProblems, List<SymptomView> symptoms, String client,
                        List<FactView> facts, Map<String, Integer> firedRules, List<String> examined,
                        List<ConnectionRow> connections, List<KnowledgeSource> knowledge, Map<String, String> answers,
                        List<org.exkb.engine.probe.ProbeReport> probes, List<org.exkb.engine.model.ReadSummary> read,
                        List<DayFindings> days, List<Onset> onsets) {
    public Diagnosis {
        days = List.copyOf(days);
        onsets = List.copyOf(onsets);
        read = List.copyOf(read);
        knowledge = List.copyOf(knowledge);
        answers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(answers));
        probes = List.copyOf(probes);
        findings = List.copyOf(findings);
        questions = List.copyOf(questions);
        evidenceProblems = List.copyOf(evidenceProblems);
        symptoms = List.copyOf(symptoms);
        facts = List.copyOf(facts);
        firedRules = Map.copyOf(firedRules);
        examined = List.copyOf(examined);
        connections = List.copyOf(connections);
    }

    /** This diagnosis with what the logs of each day alone show, and since when each finding does. */
    public Diagnosis withDays(List<DayFindings> byDay, List<Onset> since) {
        return new Diagnosis(findings, questions, evidenceProblems, symptoms, client, facts, firedRules, examined, connections, knowledge,
                answers, probes, read, byDay, since);
    }

    public Optional<Finding> finding(String id) {
        return findings.stream().filter(f -> f.id().equals(id)).findFirst();
    }

    public Optional<PendingQuestion> question(String id) {
        return questions.stream().filter(q -> q.id().equals(id)).findFirst();
    }
}
