package org.exkb.engine.collect.casefile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.exkb.engine.collect.CollectContext;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.collect.EvidenceCollector;
import org.exkb.engine.collect.client.AnswerCollector;
import org.exkb.engine.collect.client.ClientResolver;
import org.exkb.engine.collect.symptom.SymptomCollector;
import org.exkb.engine.model.EvidenceProblem;

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
        CaseCodec.Result parsed;
        try {
            parsed = CaseCodec.yaml(text(file, src, r));
        } catch (IOException e) {
            return r.problem(new EvidenceProblem(src, "", EvidenceProblem.UNREADABLE, e.toString()));
        }
        for (CaseCodec.Problem p : parsed.problems()) {
            r.problem(new EvidenceProblem(src, p.where(), p.empty() ? EvidenceProblem.EMPTY : EvidenceProblem.MALFORMED,
                    p.message() + (p.fatal() ? "" : "; the rest is used")));
        }
        CaseCodec.Description d = parsed.description();
        if (d == null) {
            return r;
        }
        SymptomCollector symptoms = new SymptomCollector(context.knowledge().symptoms());
        for (int i = 0; i < d.symptoms().size(); i++) {
            r.addAll(symptoms.collect(d.symptoms().get(i), src, "symptoms[" + (i + 1) + "]"));
        }
        if (d.client() != null) {
            r.addAll(new ClientResolver(context.knowledge().devices()).collect(d.client(), src, "client"));
        }
        AnswerCollector answers = new AnswerCollector(context.knowledge());
        d.answers().forEach((q, v) -> r.addAll(answers.collect(q, v, src, "answers." + q)));
        for (Map.Entry<String, List<String>> list : Map.of("evidence", d.evidence(), "probe", d.probe(), "trust", d.trust()).entrySet()
                .stream().sorted(Map.Entry.comparingByKey()).toList()) {
            if (!list.getValue().isEmpty()) {
                r.examined(src + ": lists " + list.getKey() + " " + String.join(", ", list.getValue())
                        + " - not read from here: open the case in `kb shell` (open FILE), or name them on the command line");
            }
        }
        r.examined(src + ": case description (" + r.symptoms().size() + " symptom(s), "
                + (r.client() == null ? "no client" : "client " + r.client()) + ", "
                + r.facts().stream().filter(f -> f instanceof org.exkb.engine.model.Answer).count() + " answer(s))");
        return r;
    }
}
