package org.exkb.engine.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.exkb.engine.collect.ConnectionRow;
import org.exkb.engine.collect.EvidenceProblem;
import org.exkb.engine.collect.SymptomView;
import org.exkb.engine.knowledge.Choice;
import org.exkb.engine.knowledge.FixStep;
import org.exkb.engine.knowledge.SourceRef;
import org.exkb.engine.model.EvidenceRef;

/**
 * The JSON contract with ticketing systems: a case in, a diagnosis out. The output shape is written
 * out field by field (not derived from class layouts) so that refactoring cannot change it; it is
 * described by {@link #SCHEMA_RESOURCE}, which the tests validate against.
 */
public final class DiagnosisJson {
    /** The JSON Schema of the output, shipped in this jar. */
    public static final String SCHEMA_RESOURCE = "/org/exkb/engine/api/diagnosis.schema.json";
    public static final String SCHEMA_ID = "exkb-diagnosis/1";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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
                sources.addObject().put("title", s.title()).put("ref", s.ref());
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
                    .put("certificates", c.certificates()).put("outcome", c.outcome());
            ArrayNode renegotiations = row.putArray("renegotiations");
            for (org.exkb.engine.collect.tls.Renegotiation n : c.renegotiations()) {
                renegotiations.addObject().put("frame", n.frame()).put("started_by", n.byClient() ? "client" : "server")
                        .put("taken_up_frame", n.takenUpFrame()).put("peer_bytes_before", n.peerBytesBefore())
                        .put("completed", n.completed()).put("peer_alert", n.peerAlert()).put("data_after", n.dataAfter())
                        .put("description", n.describe());
            }
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

    /**
     * Reads a case from JSON: {@code {"symptoms": [...], "client": "...", "answers": {"id": "value"},
     * "evidence": ["path", ...]}}. Every field is optional; anything else is refused with its name.
     */
    /** Longest case JSON read: symptoms, answers and paths, not evidence (which comes as files). */
    public static final int MAX_CASE_CHARS = 1_000_000;
    /** Longest symptom text: what a user reports, or a pasted error dialog. */
    public static final int MAX_SYMPTOM_CHARS = 10_000;

    /** Strict: trailing data after the object and duplicate keys are errors, not silently dropped or overwritten. */
    private static final ObjectMapper CASE_READER = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * Reads a case. Strict: an unknown field, a duplicate key, trailing data, a value of the wrong type
     * (a number where a string belongs) are refused with a message naming the field; {@code null} for a
     * field means it is not given, for every field alike.
     */
    public static Case readCase(String json) {
        if (json.length() > MAX_CASE_CHARS) {
            throw new IllegalArgumentException("case JSON is " + json.length() + " characters; at most " + MAX_CASE_CHARS
                    + " are read (symptoms, client, answers and paths; evidence goes in files)");
        }
        JsonNode root;
        try {
            root = CASE_READER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("case JSON is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("case JSON must be an object with symptoms, client, answers and evidence");
        }
        Case.Builder b = Case.builder();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull() && List.of("symptoms", "client", "answers", "evidence", "trust", "probe").contains(e.getKey())) {
                continue; // null: not given
            }
            switch (e.getKey()) {
                case "symptoms" -> {
                    List<String> symptoms = strings("symptoms", v);
                    for (int i = 0; i < symptoms.size(); i++) {
                        if (symptoms.get(i).length() > MAX_SYMPTOM_CHARS) {
                            throw new IllegalArgumentException("case JSON: symptoms[" + i + "] is " + symptoms.get(i).length()
                                    + " characters; a symptom is at most " + MAX_SYMPTOM_CHARS + " (give logs and exports as evidence files)");
                        }
                        b.symptom(symptoms.get(i));
                    }
                }
                case "client" -> b.client(text("client", v));
                case "answers" -> {
                    if (!v.isObject()) {
                        throw new IllegalArgumentException("case JSON: answers must be an object of question id to answer");
                    }
                    v.fields().forEachRemaining(a -> b.answer(a.getKey(), text("answers." + a.getKey(), a.getValue())));
                }
                case "evidence" -> strings("evidence", v).forEach(p -> b.evidence(Path.of(p)));
                case "trust" -> strings("trust", v).forEach(p -> b.trust(Path.of(p)));
                case "probe" -> strings("probe", v).forEach(b::probe);
                default -> throw new IllegalArgumentException("case JSON: unknown field '" + e.getKey()
                        + "' (known: symptoms, client, answers, evidence, trust, probe)");
            }
        }
        return b.build();
    }

    private static List<String> strings(String field, JsonNode v) {
        if (!v.isArray()) {
            throw new IllegalArgumentException("case JSON: " + field + " must be an array of strings");
        }
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            out.add(text(field + "[" + i + "]", v.get(i)));
        }
        return out;
    }

    private static String text(String field, JsonNode v) {
        if (!v.isTextual()) {
            throw new IllegalArgumentException("case JSON: " + field + " must be a string, not " + v.getNodeType().name().toLowerCase()
                    + " " + (v.isContainerNode() ? "" : v.toString()).strip());
        }
        return v.asText();
    }
}
