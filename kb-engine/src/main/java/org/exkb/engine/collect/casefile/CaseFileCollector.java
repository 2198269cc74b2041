package org.exkb.engine.collect.casefile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.exkb.engine.collect.CollectContext;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.collect.EvidenceCollector;
import org.exkb.engine.collect.EvidenceProblem;
import org.exkb.engine.collect.client.AnswerCollector;
import org.exkb.engine.collect.client.ClientResolver;
import org.exkb.engine.collect.symptom.SymptomCollector;

/**
 * Reads a case description ({@code case.yaml}, {@code case.json}, {@code NAME.case.yaml}): what the
 * user reported, the failing client and answers already known. This is the evidence of a case that
 * has no files, and the same format a ticketing system can store.
 *
 * <pre>
 * symptoms: [ "bad username or password" ]
 * client: Outlook for Mac 2011
 * answers: { handshake_without_sni: fails }
 * notes: free text, kept but not interpreted
 * </pre>
 *
 * <p>A case saved by {@code kb shell} also lists {@code evidence} paths, {@code probe} targets and
 * {@code trust} files; the shell's {@code open} replays them. Read here, they are named in what was
 * examined (they are not read from inside another file).
 */
public final class CaseFileCollector implements EvidenceCollector {
    private static final Pattern NAME = Pattern.compile("(?i)(.+\\.)?case\\.(ya?ml|json)");
    private static final Set<String> FIELDS = Set.of("symptoms", "client", "answers", "notes", "title", "evidence", "probe", "trust");
    /** Made on first use: a diagnosis without case files does not pay for it (about 50 ms cold). */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());
    }

    @Override
    public java.util.List<org.exkb.engine.model.EvidenceKind> kinds() {
        return java.util.List.of(org.exkb.engine.model.EvidenceKind.CASE);
    }

    @Override
    public String name() {
        return "case file";
    }

    @Override
    public boolean accepts(Path file, byte[] head) {
        return NAME.matcher(file.getFileName().toString()).matches();
    }

    @Override
    public CollectResult collect(Path file, CollectContext context) {
        return collect(file, file.toString(), context);
    }

    /**
     * The file as text: UTF-8 (a BOM is dropped) or UTF-16 with a BOM (Notepad's "Unicode"). Bytes that
     * are not valid UTF-8 are reported with their line and read as U+FFFD, so the rest is still used.
     */
    static String text(Path file, String src, CollectResult r) throws IOException {
        byte[] b = java.nio.file.Files.readAllBytes(file);
        if (b.length >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) {
            return new String(b, 2, b.length - 2, java.nio.charset.StandardCharsets.UTF_16LE);
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) {
            return new String(b, 2, b.length - 2, java.nio.charset.StandardCharsets.UTF_16BE);
        }
        int start = b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf ? 3 : 0;
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(b, start, b.length - start);
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(in).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            int bad = in.position(); // where the decoder stopped
            int line = 1;
            for (int i = start; i < bad && i < b.length; i++) {
                if (b[i] == '\n') {
                    line++;
                }
            }
            r.problem(new EvidenceProblem(src, "line " + line, EvidenceProblem.MALFORMED, "bytes that are not valid UTF-8 (a case"
                    + " description is UTF-8 text; the file's encoding is wrong or it is damaged): read with them replaced by U+FFFD"));
            return new String(b, start, b.length - start, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Override
    public CollectResult collect(Path file, String src, CollectContext context) {
        CollectResult r = new CollectResult();
        JsonNode root;
        try {
            root = Yaml.MAPPER.readTree(text(file, src, r));
        } catch (IOException e) {
            String where = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null
                    ? "line " + jpe.getLocation().getLineNr() : "";
            String msg = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe ? jpe.getOriginalMessage() : e.toString();
            return r.problem(new EvidenceProblem(src, where, EvidenceProblem.MALFORMED, "not a readable case description: " + msg));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return r.problem(new EvidenceProblem(src, "", EvidenceProblem.EMPTY, "the case description is empty"));
        }
        if (!root.isObject()) {
            return r.problem(new EvidenceProblem(src, "", EvidenceProblem.MALFORMED,
                    "a case description is a mapping with symptoms, client and answers; found " + root.getNodeType()));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                r.problem(new EvidenceProblem(src, f, EvidenceProblem.MALFORMED,
                        "unknown field '" + f + "' (known: " + String.join(", ", FIELDS.stream().sorted().toList()) + "); ignored"));
            }
        }
        SymptomCollector symptoms = new SymptomCollector(context.knowledge().symptoms());
        JsonNode s = root.path("symptoms");
        if (s.isTextual()) {
            r.addAll(symptoms.collect(s.asText(), src, "symptoms"));
        } else if (s.isArray()) {
            for (int i = 0; i < s.size(); i++) {
                if (s.get(i).isValueNode()) {
                    r.addAll(symptoms.collect(s.get(i).asText(), src, "symptoms[" + (i + 1) + "]"));
                } else {
                    r.problem(new EvidenceProblem(src, "symptoms[" + (i + 1) + "]", EvidenceProblem.MALFORMED, "a symptom is a string"));
                }
            }
        } else if (!s.isMissingNode() && !s.isNull()) {
            r.problem(new EvidenceProblem(src, "symptoms", EvidenceProblem.MALFORMED, "symptoms is a list of strings"));
        }
        JsonNode c = root.path("client");
        if (c.isValueNode() && !c.isNull()) {
            r.addAll(new ClientResolver(context.knowledge().devices()).collect(c.asText(), src, "client"));
        } else if (!c.isMissingNode() && !c.isNull()) {
            r.problem(new EvidenceProblem(src, "client", EvidenceProblem.MALFORMED, "client is one device name"));
        }
        JsonNode a = root.path("answers");
        if (a.isObject()) {
            AnswerCollector answers = new AnswerCollector(context.knowledge());
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                r.addAll(answers.collect(e.getKey(), e.getValue().asText(), src, "answers." + e.getKey()));
            }
        } else if (!a.isMissingNode() && !a.isNull()) {
            r.problem(new EvidenceProblem(src, "answers", EvidenceProblem.MALFORMED, "answers is a mapping of question id to answer"));
        }
        for (String list : List.of("evidence", "probe", "trust")) {
            JsonNode n = root.path(list);
            if (n.isArray() && !n.isEmpty()) {
                List<String> items = new java.util.ArrayList<>();
                n.forEach(x -> items.add(x.asText()));
                r.examined(src + ": lists " + list + " " + String.join(", ", items)
                        + " - not read from here: open the case in `kb shell` (open FILE), or name them on the command line");
            }
        }
        r.examined(src + ": case description (" + r.symptoms().size() + " symptom(s), "
                + (r.client() == null ? "no client" : "client " + r.client()) + ", "
                + r.facts().stream().filter(f -> f instanceof org.exkb.engine.model.Answer).count() + " answer(s))");
        return r;
    }
}
