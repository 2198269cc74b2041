package org.exkb.engine.kit;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.exkb.engine.knowledge.DeviceDef;
import org.exkb.engine.knowledge.EntryDoc;
import org.exkb.engine.knowledge.QuestionDef;
import org.exkb.engine.knowledge.SymptomDef;

/**
 * A rule folder, read from disk: root causes (one folder each, with their document, rules,
 * questions and samples), shared policy rules, device, symptom and question data, and samples. The
 * built-in knowledge ({@code knowledge/} in the source tree) is a rule folder of this layout too.
 *
 * <pre>
 * DIR/causes/ID/cause.yaml      the document: id, title, kind, summary, explanation, fix, sources
 * DIR/causes/ID/*.drl           its rules: diagnosis rules named "ID: ...", and policy rules reading its answers
 * DIR/causes/ID/questions.yaml  questions: [...] its rules ask
 * DIR/causes/ID/samples/CASE/   evidence and/or case.yaml, plus expected.yaml: cases that must fire it and near misses
 * DIR/catalog.yaml              entries: [ID, ...]  (optional: the order of the ids; then it lists every cause)
 * DIR/policy/*.drl              rules shared by several causes (any *.drl outside samples/)
 * DIR/devices.yaml              devices: [...]      (same fields as the built-in catalogue)
 * DIR/symptoms.yaml             symptoms: [...]
 * DIR/questions.yaml            questions: [...]    several causes ask
 * DIR/samples/CASE/             samples about no one cause (healthy controls)
 * DIR/recording/                scripts that recorded the samples' evidence (not read)
 * DIR/docs/ID.yaml              a document outside its cause's folder (the earlier layout, still read)
 * </pre>
 *
 * Reading never throws for bad content: every problem is collected with its file, line and column.
 */
public final class RuleFolder {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Pattern ID = Pattern.compile("[A-Z][A-Z0-9_]*");
    /** A file in a cause's folder: causes/ID/REST. */
    private static final Pattern CAUSE_FILE = Pattern.compile("causes/([^/]+)/(.+)");

    private final Path dir;
    private final Map<String, String> drl = new TreeMap<>();
    private final List<String> entries = new ArrayList<>();
    private final Map<String, EntryDoc> docs = new LinkedHashMap<>();
    private final List<DeviceDef> devices = new ArrayList<>();
    private final List<SymptomDef> symptoms = new ArrayList<>();
    private final List<QuestionDef> questions = new ArrayList<>();
    private final List<Path> samples = new ArrayList<>();
    /** Cause folders (causes/ID) by id, in name order. */
    private final Map<String, Path> causes = new TreeMap<>();
    private boolean catalogGiven;
    private final List<Problem> problems = new ArrayList<>();

    private RuleFolder(Path dir) {
        this.dir = dir;
    }

    record DevicesFile(List<DeviceDef> devices) { }

    record SymptomsFile(List<SymptomDef> symptoms) { }

    record QuestionsFile(List<QuestionDef> questions) { }

    record CatalogFile(List<String> entries) { }

    /** Reads the folder; what cannot be read is in {@link #problems()}. */
    public static RuleFolder read(Path dir) {
        RuleFolder f = new RuleFolder(dir);
        if (!Files.isDirectory(dir)) {
            f.problems.add(Problem.error(dir.toString(), 0, 0, "not a folder"));
            return f;
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException | RuntimeException e) {
            f.problems.add(Problem.error(dir.toString(), 0, 0, "cannot list the folder: " + e.getMessage()));
            return f;
        }
        for (Path file : files) {
            String rel = f.rel(file);
            try {
                Matcher cause = CAUSE_FILE.matcher(rel);
                if (cause.matches()) {
                    f.causes.putIfAbsent(cause.group(1), dir.resolve("causes").resolve(cause.group(1)));
                }
                if (rel.startsWith("samples/") || cause.matches() && cause.group(2).startsWith("samples/")) {
                    if (file.getFileName().toString().equals("expected.yaml")) {
                        f.samples.add(file.getParent());
                    }
                } else if (rel.startsWith("recording/")) {
                    continue;   // how the samples' evidence was recorded: kept beside them, not read
                } else if (rel.endsWith(".drl")) {
                    f.drl.put(rel, Files.readString(file, StandardCharsets.UTF_8));
                } else if (rel.equals("catalog.yaml")) {
                    f.catalogGiven = true;
                    CatalogFile c = f.yaml(file, CatalogFile.class);
                    if (c != null && c.entries() != null) {
                        f.entries.addAll(c.entries());
                    }
                } else if (cause.matches() && cause.group(2).equals("cause.yaml")) {
                    EntryDoc d = f.yaml(file, EntryDoc.class);
                    if (d != null) {
                        if (!d.id().equals(cause.group(1))) {
                            f.problems.add(Problem.error(rel, 1, 1, "document id '" + d.id() + "' does not match its folder name " + cause.group(1)));
                        }
                        f.docs.put(cause.group(1), d);
                    }
                } else if (cause.matches() && cause.group(2).equals("questions.yaml")) {
                    QuestionsFile d = f.yaml(file, QuestionsFile.class);
                    if (d != null && d.questions() != null) {
                        f.questions.addAll(d.questions());
                    }
                } else if (rel.startsWith("docs/") && rel.endsWith(".yaml")) {
                    EntryDoc d = f.yaml(file, EntryDoc.class);
                    if (d != null) {
                        String name = file.getFileName().toString().replaceFirst("\\.yaml$", "");
                        if (!d.id().equals(name)) {
                            f.problems.add(Problem.error(rel, 1, 1, "document id '" + d.id() + "' does not match its file name " + name));
                        }
                        f.docs.put(d.id(), d);
                    }
                } else if (rel.equals("devices.yaml")) {
                    DevicesFile d = f.yaml(file, DevicesFile.class);
                    if (d != null && d.devices() != null) {
                        f.devices.addAll(d.devices());
                    }
                } else if (rel.equals("symptoms.yaml")) {
                    SymptomsFile d = f.yaml(file, SymptomsFile.class);
                    if (d != null && d.symptoms() != null) {
                        f.symptoms.addAll(d.symptoms());
                    }
                } else if (rel.equals("questions.yaml")) {
                    QuestionsFile d = f.yaml(file, QuestionsFile.class);
                    if (d != null && d.questions() != null) {
                        f.questions.addAll(d.questions());
                    }
                } else if (!rel.matches("(?i).*\\.(md|txt)")) {
                    f.problems.add(Problem.warning(rel, 0, 0, "not a rule-folder file (causes/ID/ with cause.yaml, *.drl, questions.yaml"
                            + " and samples/CASE/; rules *.drl, catalog.yaml, devices.yaml, symptoms.yaml, questions.yaml, samples/CASE/,"
                            + " recording/); ignored"));
                }
            } catch (IOException e) {
                f.problems.add(Problem.error(rel, 0, 0, "cannot read: " + e.getMessage()));
            }
        }
        Collections.sort(f.samples);
        if (!f.catalogGiven) {
            f.entries.addAll(f.causes.keySet());   // no catalog.yaml: the cause folders, in name order
        }
        return f;
    }

    private <T> T yaml(Path file, Class<T> type) {
        try {
            String text = Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                int tab = lines[i].indexOf('\t');
                if (tab >= 0 && lines[i].substring(0, tab).isBlank()) { // YAML's own message loses this cause
                    problems.add(Problem.error(rel(file), i + 1, tab + 1, "a tab in the indentation: YAML indents with spaces only"));
                    return null;
                }
            }
            T t = YAML.readValue(text, type);
            if (t == null) {
                problems.add(Problem.error(rel(file), 1, 1, "the file is empty"));
            }
            return t;
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            problems.add(Problem.error(rel(file), l == null ? 0 : l.getLineNr(), l == null ? 0 : l.getColumnNr(), rootMessage(e)));
            return null;
        } catch (IOException e) {
            problems.add(Problem.error(rel(file), 0, 0, "cannot read: " + e.getMessage()));
            return null;
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t instanceof JsonProcessingException j ? j.getOriginalMessage() : t.getMessage();
        if (m == null) {
            m = t.toString();
        }
        return m.lines().findFirst().orElse(m).strip();
    }

    String rel(Path file) {
        return dir.relativize(file).toString().replace('\\', '/');
    }

    public Path dir() {
        return dir;
    }

    /** DRL text by path relative to the folder (the name used in messages). */
    public Map<String, String> drl() {
        return Collections.unmodifiableMap(drl);
    }

    public List<String> entries() {
        return List.copyOf(entries);
    }

    public Map<String, EntryDoc> docs() {
        return Collections.unmodifiableMap(docs);
    }

    public List<DeviceDef> devices() {
        return List.copyOf(devices);
    }

    public List<SymptomDef> symptoms() {
        return List.copyOf(symptoms);
    }

    public List<QuestionDef> questions() {
        return List.copyOf(questions);
    }

    /** The cause folders (causes/ID) by id. */
    public Map<String, Path> causes() {
        return Collections.unmodifiableMap(causes);
    }

    /** Whether the folder has a catalog.yaml (which then gives the ids and their order). */
    public boolean catalogGiven() {
        return catalogGiven;
    }

    /** The id of the cause whose folder holds this sample, or null for a sample of the whole folder. */
    public String causeOf(Path sample) {
        Matcher m = CAUSE_FILE.matcher(rel(sample));
        return m.matches() ? m.group(1) : null;
    }

    /** Sample case folders (each with an expected.yaml). */
    public List<Path> samples() {
        return List.copyOf(samples);
    }

    /** Problems found while reading, in file order. */
    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    static boolean isId(String s) {
        return ID.matcher(s).matches();
    }

    /** The rules in a DRL text: name and the line of its {@code rule} keyword. */
    static List<RuleText> rules(String drl) {
        List<RuleText> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*rule\\s+(\"([^\"]*)\"|'([^']*)'|(\\S+))").matcher(drl);
        while (m.find()) {
            String name = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
            int line = lineOf(drl, m.start(1));
            int end = drl.indexOf("\nend", m.end());
            String body = drl.substring(m.end(), end < 0 ? drl.length() : end);
            out.add(new RuleText(name, line, m.end(), body));
        }
        return out;
    }

    record RuleText(String name, int line, int bodyStart, String body) {
        /** The catalogue id the rule concludes about, from its name "ID: what it concludes", or null. */
        String id() {
            int colon = name.indexOf(':');
            String head = colon < 0 ? "" : name.substring(0, colon).strip();
            return isId(head) ? head : null;
        }
    }

    static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** One message about a rule folder, as {@code file:line:column: message}. */
    public record Problem(String file, int line, int column, String message, boolean warning) {
        static Problem error(String file, int line, int column, String message) {
            return new Problem(file, line, column, message, false);
        }

        static Problem warning(String file, int line, int column, String message) {
            return new Problem(file, line, column, message, true);
        }

        /** The message with its file named from the folder, e.g. {@code kit/rules/x.drl:7:1: ...}. */
        public String in(Path dir) {
            return withFile(dir.resolve(file).normalize().toString());
        }

        @Override
        public String toString() {
            return withFile(file);
        }

        private String withFile(String name) {
            StringBuilder b = new StringBuilder(name);
            if (line > 0) {
                b.append(':').append(line);
                if (column > 0) {
                    b.append(':').append(column);
                }
            }
            return b.append(": ").append(warning ? "warning: " : "").append(message).toString();
        }
    }

    /** A YAML file as a tree (for checks that need more than the typed records). */
    static JsonNode tree(Path file) throws IOException {
        return YAML.readTree(file.toFile());
    }
}
