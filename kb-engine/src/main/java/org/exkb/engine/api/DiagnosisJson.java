package org.exkb.engine.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;
import org.exkb.engine.collect.casefile.CaseCodec;
import org.exkb.engine.knowledge.Choice;
import org.exkb.engine.knowledge.FixStep;
import org.exkb.engine.knowledge.SourceRef;
import org.exkb.engine.model.ConnectionRow;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.model.EvidenceRef;
import org.exkb.engine.model.SymptomView;

/**
 * The JSON contract with ticketing systems: a case in, a diagnosis out. The output shape is written
 * out field by field (not derived from class layouts) so that refactoring cannot change it; it is
 * described by {@link #SCHEMA_RESOURCE}, which the tests validate against.
 */
public final class DiagnosisJson {
    /** The JSON Schema of the output, shipped in this jar. */
    public static final String SCHEMA_RESOURCE = "/org/exkb/engine/api/diagnosis.schema.json";
    public static final String SCHEMA_ID = "exkb-diagnosis/2";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The probe's reports in the contract's spelling (snake_case, as the rest of it). */
    private static final ObjectMapper PROBE = new ObjectMapper()
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);

    private DiagnosisJson() {
    }

    public static String write(Diagnosis d) {
        try {
            return MAPPER.writeValueAsString(toTree(d));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode toTree(Diagnosis d) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA_ID);
        root.putObject("engine").put("name", "kb").put("version", Versions.ENGINE);
        ArrayNode knowledge = root.putArray("knowledge");
        d.knowledge().forEach(k -> knowledge.addObject().put("name", k.name()).put("version", k.version()));
        if (d.client() == null) {
            root.putNull("client");
        } else {
            root.put("client", d.client());
        }
        ArrayNode findings = root.putArray("findings");
        for (Finding f : d.findings()) {
            ObjectNode o = findings.addObject();
            o.put("id", f.id());
            o.put("status", f.status().json());
            o.put("kind", f.kind());
            o.put("title", f.title());
            o.put("summary", f.summary());
            ArrayNode reasons = o.putArray("reasons");
            for (Finding.Reason r : f.reasons()) {
                reasons.addObject().put("status", r.level().json()).put("text", r.text());
            }
            evidence(o.putArray("evidence"), f.evidence());
            ArrayNode fix = o.putArray("fix");
            int n = 1;
            for (FixStep s : f.fix()) {
                fix.addObject().put("step", n++).put("who", s.who()).put("action", s.action()).put("verify", s.verify());
            }
            ArrayNode sources = o.putArray("sources");
            for (SourceRef s : f.sources()) {
                sources.addObject().put("title", s.title()).put("ref", s.ref()).put("kind", s.kind()).put("author", s.author())
                        .put("date", s.date()).put("citation", s.citation());
            }
        }
        ArrayNode questions = root.putArray("questions");
        for (PendingQuestion q : d.questions()) {
            ObjectNode o = questions.addObject();
            o.put("id", q.id());
            o.put("text", q.text());
            o.put("type", q.type());
            ArrayNode choices = o.putArray("choices");
            for (Choice c : q.choices()) {
                choices.addObject().put("value", c.value()).put("label", c.label());
            }
            ArrayNode decides = o.putArray("decides");
            q.decides().forEach(decides::add);
            o.put("how", q.how());
            o.put("agent", q.agent());
            o.put("evidence", q.evidence());
        }
        ArrayNode problems = root.putArray("evidence_problems");
        for (EvidenceProblem p : d.evidenceProblems()) {
            problems.addObject().put("source", p.source()).put("locator", p.locator())
                    .put("reason", p.reason().wire()).put("detail", p.detail());
        }
        ArrayNode symptoms = root.putArray("symptoms");
        for (SymptomView s : d.symptoms()) {
            ObjectNode o = symptoms.addObject();
            o.put("text", s.text());
            ArrayNode codes = o.putArray("recognized");
            s.recognized().forEach(codes::add);
        }
        ArrayNode facts = root.putArray("facts");
        for (FactView f : d.facts()) {
            ObjectNode o = facts.addObject().put("type", f.type()).put("description", f.description());
            evidence(o.putArray("evidence"), f.evidence());
        }
        ArrayNode connections = root.putArray("connections");
        for (ConnectionRow c : d.connections()) {
            ObjectNode row = connections.addObject().put("source", c.source()).put("first_frame", c.firstFrame()).put("client", c.client())
                    .put("server", c.server()).put("sni", c.sni()).put("version", c.version())
                    .put("certificates", c.certificates()).put("outcome", c.outcome()).put("kind", c.kind().word());
            if (c.handshake() == null) {
                row.putNull("handshake");
            } else {
                ConnectionRow.Handshake h = c.handshake();
                row.putObject("handshake").put("outcome", h.outcome().word()).put("stage", h.stage()).put("ended_by", h.endedBy())
                        .put("ended_by_client", h.endedByClient()).put("end_frame", h.endFrame()).put("reaction_ms", h.reactionMillis());
            }
            ArrayNode renegotiations = row.putArray("renegotiations");
            for (org.exkb.engine.model.Renegotiation n : c.renegotiations()) {
                renegotiations.addObject().put("frame", n.frame()).put("started_by", n.byClient() ? "client" : "server")
                        .put("taken_up_frame", n.takenUpFrame()).put("peer_bytes_before", n.peerBytesBefore())
                        .put("completed", n.completed()).put("peer_alert", n.peerAlert()).put("data_after", n.dataAfter())
                        .put("description", n.describe());
            }
        }
        ObjectNode answers = root.putObject("answers");
        d.answers().forEach(answers::put);
        if (!d.probes().isEmpty()) {
            root.set("probe", PROBE.valueToTree(d.probes()));
        }
        ArrayNode read = root.putArray("read");
        for (org.exkb.engine.model.ReadSummary r : d.read()) {
            ObjectNode o = read.addObject().put("source", r.source()).put("kind", r.kind().request() == null ? "case" : r.kind().request())
                    .put("format", r.format());
            ObjectNode counts = o.putObject("counts");
            r.counts().forEach(counts::put);
        }
        ArrayNode days = root.putArray("days");
        for (DayFindings day : d.days()) {
            ObjectNode f = days.addObject().put("day", day.day()).putObject("findings");
            day.findings().forEach((id, level) -> f.put(id, level.json()));
        }
        ArrayNode onsets = root.putArray("onsets");
        for (Onset o : d.onsets()) {
            onsets.addObject().put("id", o.id()).put("status", o.status().json()).put("day", o.day()).put("first_day", o.firstDay())
                    .put("last_day", o.lastDay()).put("days", o.days());
        }
        ArrayNode examined = root.putArray("examined");
        d.examined().forEach(examined::add);
        ObjectNode fired = root.putObject("fired_rules");
        new java.util.TreeMap<>(d.firedRules()).forEach(fired::put);
        return root;
    }

    private static void evidence(ArrayNode into, List<EvidenceRef> refs) {
        for (EvidenceRef r : refs) {
            into.addObject().put("source", r.source()).put("locator", r.locator()).put("detail", r.detail());
        }
    }

    /** Longest case text read: symptoms, client, answers and paths; evidence goes in files. */
    public static final int MAX_CASE_CHARS = CaseCodec.MAX_CASE_CHARS;
    /** Longest symptom text: what a user reports, or a pasted error dialog. */
    public static final int MAX_SYMPTOM_CHARS = CaseCodec.MAX_SYMPTOM_CHARS;

    /**
     * Reads a case from JSON: {@code {"symptoms": [...], "client": "...", "answers": {"id": "value"},
     * "evidence": ["path", ...], "trust": [...], "probe": [...]}}. Strict: an unknown field, a duplicate
     * key, trailing data, a value of the wrong type (a number where a string belongs) are refused with a
     * message naming the field; {@code null} for a field means it is not given, for every field alike.
     * The same reader ({@link CaseCodec}) reads case files and the shell's saved cases.
     */
    public static Case readCase(String json) {
        CaseCodec.Result r = CaseCodec.json(json);
        if (!r.problems().isEmpty()) {
            List<String> all = r.problems().stream().map(CaseCodec.Problem::message).limit(5).toList();
            throw new IllegalArgumentException(String.join("; ", all)
                    + (r.problems().size() > all.size() ? " (and " + (r.problems().size() - all.size()) + " more)" : ""));
        }
        return Case.of(r.description());
    }
}
