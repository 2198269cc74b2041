package org.exkb.engine.collect.casefile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one reader and writer of case descriptions: a {@code *.case.yaml} file, the shell's saved case,
 * and the JSON a ticketing system sends ({@code kb diagnose --case -}, the embedding API). Every field
 * is checked the same way wherever the case comes from; a problem names its field
 * ({@code symptoms[0]}, {@code answers.chain_sent}) or its line. JSON is read strictly (a duplicate key
 * or data after the object is an error; values must have their types); YAML, which people write, also
 * takes a scalar where a string belongs and a single symptom without a list. Nothing here reads a file
 * a case names: that is the caller's decision.
 */
public final class CaseCodec {
    /** Longest case text read: symptoms, client, answers and paths; evidence goes in files. */
    public static final int MAX_CASE_CHARS = 1_000_000;
    /** Longest symptom text: what a user reports, or a pasted error dialog. */
    public static final int MAX_SYMPTOM_CHARS = 10_000;
    public static final List<String> FIELDS = List.of("title", "symptoms", "client", "answers", "evidence", "trust", "probe", "notes");

    /** A case as described, before anything in it is read or resolved. */
    public record Description(String title, List<String> symptoms, String client, Map<String, String> answers,
                              List<String> evidence, List<String> trust, List<String> probe, String notes) {
        public Description {
            title = title == null ? "" : title;
            symptoms = List.copyOf(symptoms);
            answers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(answers));
            evidence = List.copyOf(evidence);
            trust = List.copyOf(trust);
            probe = List.copyOf(probe);
            notes = notes == null ? "" : notes;
        }

        public static Description empty() {
            return new Description("", List.of(), null, Map.of(), List.of(), List.of(), List.of(), "");
        }
    }

    /**
     * What was wrong: {@code where} is a field ({@code symptoms[0]}), a line ({@code line 3}) or empty
     * for the whole; {@code fatal} when nothing of the case could be used; {@code empty} when there was
     * nothing to read.
     */
    public record Problem(String where, String message, boolean fatal, boolean empty) {
    }

    /** The description (null when a fatal problem left nothing to use) and every problem found. */
    public record Result(Description description, List<Problem> problems) {
        public Result {
            problems = List.copyOf(problems);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** Made on first use: a diagnosis without case files does not pay for it (about 50 ms cold). */
    private static final class Yaml {
        static final ObjectMapper READER = new ObjectMapper(new YAMLFactory())
                .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        static final ObjectMapper WRITER = new ObjectMapper(new YAMLFactory()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    }

    private CaseCodec() {
    }

    /** Reads the JSON a ticketing system sends. */
    public static Result json(String text) {
        return read(text, false);
    }

    /** Reads a case file as people and the shell write it (YAML; JSON is YAML too). */
    public static Result yaml(String text) {
        return read(text, true);
    }

    private static Result read(String text, boolean yaml) {
        String what = yaml ? "case description" : "case JSON";
        List<Problem> problems = new ArrayList<>();
        if (text.length() > MAX_CASE_CHARS) {
            problems.add(new Problem("", what + " is " + text.length() + " characters; at most " + MAX_CASE_CHARS
                    + " are read (symptoms, client, answers and paths; evidence goes in files)", true, false));
            return new Result(null, problems);
        }
        JsonNode root;
        try {
            root = (yaml ? Yaml.READER : JSON).readTree(text);
        } catch (JsonProcessingException e) {
            String line = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr();
            problems.add(new Problem(line, what + " is not valid " + (yaml ? "YAML" : "JSON") + ": " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()),
                    true, false));
            return new Result(null, problems);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            problems.add(new Problem("", "the " + what + " is empty", true, true));
            return new Result(null, problems);
        }
        if (!root.isObject()) {
            problems.add(new Problem("", what + " must be a mapping of symptoms, client, answers, evidence, trust and probe; found "
                    + root.getNodeType().name().toLowerCase(), true, false));
            return new Result(null, problems);
        }
        Reader r = new Reader(what, yaml, problems);
        String title = "";
        String notes = "";
        List<String> symptoms = new ArrayList<>();
        String client = null;
        Map<String, String> answers = new LinkedHashMap<>();
        List<String> evidence = new ArrayList<>();
        List<String> trust = new ArrayList<>();
        List<String> probe = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull() && FIELDS.contains(e.getKey())) {
                continue; // null: not given, for every field alike
            }
            switch (e.getKey()) {
                case "title" -> title = r.text("title", v, title);
                case "notes" -> notes = r.text("notes", v, notes);
                case "symptoms" -> {
                    if (yaml && v.isValueNode()) {
                        r.symptom("symptoms", v, symptoms);
                    } else {
                        r.list("symptoms", v).forEach((field, item) -> r.symptom(field, item, symptoms));
                    }
                }
                case "client" -> client = r.text("client", v, null);
                case "answers" -> {
                    if (!v.isObject()) {
                        problems.add(new Problem("answers", what + ": answers must be a mapping of question id to answer", false, false));
                    } else {
                        for (Iterator<Map.Entry<String, JsonNode>> a = v.fields(); a.hasNext(); ) {
                            Map.Entry<String, JsonNode> x = a.next();
                            String value = r.text("answers." + x.getKey(), x.getValue(), null);
                            if (value != null) {
                                answers.put(x.getKey(), value);
                            }
                        }
                    }
                }
                case "evidence" -> r.list("evidence", v).forEach((field, item) -> r.add(field, item, evidence));
                case "trust" -> r.list("trust", v).forEach((field, item) -> r.add(field, item, trust));
                case "probe" -> r.list("probe", v).forEach((field, item) -> r.add(field, item, probe));
                default -> problems.add(new Problem(e.getKey(), what + ": unknown field '" + e.getKey() + "' (known: "
                        + String.join(", ", FIELDS) + ")", false, false));
            }
        }
        return new Result(new Description(title, symptoms, client, answers, evidence, trust, probe, notes), problems);
    }

    /** Checks values and says what is wrong with each, field by field. */
    private record Reader(String what, boolean yaml, List<Problem> problems) {
        String text(String field, JsonNode v, String otherwise) {
            if (v.isTextual() || yaml && v.isValueNode() && !v.isNull()) {
                return v.asText();
            }
            problems.add(new Problem(field, what + ": " + field + " must be a string, not " + v.getNodeType().name().toLowerCase()
                    + (v.isContainerNode() ? "" : " " + v), false, false));
            return otherwise;
        }

        Map<String, JsonNode> list(String field, JsonNode v) {
            Map<String, JsonNode> out = new LinkedHashMap<>();
            if (!v.isArray()) {
                problems.add(new Problem(field, what + ": " + field + " must be a list of strings", false, false));
                return out;
            }
            for (int i = 0; i < v.size(); i++) {
                out.put(field + "[" + i + "]", v.get(i));
            }
            return out;
        }

        void add(String field, JsonNode v, List<String> to) {
            String t = text(field, v, null);
            if (t != null) {
                to.add(t);
            }
        }

        void symptom(String field, JsonNode v, List<String> to) {
            String t = text(field, v, null);
            if (t == null) {
                return;
            }
            if (t.length() > MAX_SYMPTOM_CHARS) {
                problems.add(new Problem(field, what + ": " + field + " is " + t.length() + " characters; a symptom is at most "
                        + MAX_SYMPTOM_CHARS + " (give logs and exports as evidence files)", false, false));
                return;
            }
            to.add(t);
        }
    }

    /** The case as the shell saves it and a case file holds it (YAML, fields in their usual order, empty ones left out). */
    public static String yaml(Description d) {
        ObjectNode root = Yaml.WRITER.createObjectNode();
        if (!d.title().isEmpty()) {
            root.put("title", d.title());
        }
        ArrayNode s = root.putArray("symptoms");
        d.symptoms().forEach(s::add);
        if (d.client() != null) {
            root.put("client", d.client());
        }
        ObjectNode a = root.putObject("answers");
        d.answers().forEach(a::put);
        ArrayNode e = root.putArray("evidence");
        d.evidence().forEach(e::add);
        ArrayNode p = root.putArray("probe");
        d.probe().forEach(p::add);
        ArrayNode t = root.putArray("trust");
        d.trust().forEach(t::add);
        if (!d.notes().isEmpty()) {
            root.put("notes", d.notes());
        }
        try {
            return Yaml.WRITER.writeValueAsString(root);
        } catch (JsonProcessingException x) {
            throw new IllegalStateException("a case description could not be written as YAML", x);
        }
    }
}
