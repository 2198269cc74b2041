package org.exkb.engine.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The meanings the rules derive: indication and client-trait names that some rule produces
 * ({@code new Indication("NAME"} or {@code new ClientTrait("NAME"}). The build writes the built-in
 * rules' vocabulary to {@code kb/vocabulary.txt}; the rule kit checks that what a folder's rules
 * match is produced by some rule, so a misspelt name is an error at check time, not a rule that never fires.
 */
public record Vocabulary(Set<String> indications, Set<String> traits) {
    public static final String RESOURCE = "kb/vocabulary.txt";
    private static final Pattern PRODUCED = Pattern.compile("new\\s+(Indication|ClientTrait)\\(\\s*\"([A-Za-z0-9_]+)\"");
    /** A pattern on a fact type, with one level of nested parentheses: {@code Type( ... )}. */
    private static final String PATTERN = "\\((?:[^()]|\\([^()]*\\))*\\)";
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    public static final Set<String> EMPTY_NAMES = Set.of();
    public static final Vocabulary EMPTY = new Vocabulary(EMPTY_NAMES, EMPTY_NAMES);

    public Vocabulary {
        indications = Set.copyOf(indications);
        traits = Set.copyOf(traits);
    }

    /** What the rules in {@code drl} produce, added to this. */
    public Vocabulary plus(Iterable<String> drl) {
        Set<String> i = new TreeSet<>(indications);
        Set<String> t = new TreeSet<>(traits);
        for (String text : drl) {
            Matcher m = PRODUCED.matcher(text);
            while (m.find()) {
                (m.group(1).equals("Indication") ? i : t).add(m.group(2));
            }
        }
        return new Vocabulary(i, t);
    }

    /** A name a rule tests: {@code Indication(name == "X")}, {@code ClientTrait(trait in ("X", "Y"))}, {@code SymptomReport(code == "X")}. */
    public record Use(String type, String name, int offset) { }

    /**
     * The quoted names the patterns on {@code type} test in {@code field} ({@code field == "X"} or
     * {@code field in ("X", "Y")}), with the offset of each pattern in the DRL text.
     */
    public static java.util.List<Use> uses(String drl, String type, String field) {
        java.util.List<Use> out = new java.util.ArrayList<>();
        Matcher m = Pattern.compile("\\b" + type + PATTERN).matcher(drl);
        Pattern test = Pattern.compile("\\b" + field + "\\s*(?:==\\s*(\"[^\"]+\")|in\\s*\\(([^)]*)\\))");
        while (m.find()) {
            Matcher f = test.matcher(m.group());
            while (f.find()) {
                Matcher q = QUOTED.matcher(f.group(1) != null ? f.group(1) : f.group(2));
                while (q.find()) {
                    out.add(new Use(type, q.group(1), m.start()));
                }
            }
        }
        return out;
    }

    /** The indications and client traits {@code drl} tests. */
    public static java.util.List<Use> meaningsUsed(String drl) {
        java.util.List<Use> out = new java.util.ArrayList<>(uses(drl, "Indication", "name"));
        out.addAll(uses(drl, "ClientTrait", "trait"));
        return out;
    }

    public Set<String> of(String kind) {
        return kind.equals("Indication") ? indications : traits;
    }

    /** The built-in vocabulary on this class loader (empty when the build wrote none). */
    public static Vocabulary fromClasspath(ClassLoader cl) {
        Set<String> i = new TreeSet<>();
        Set<String> t = new TreeSet<>();
        try (InputStream in = cl.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    String[] w = line.strip().split(" ");
                    if (w.length == 2) {
                        (w[0].equals("indication") ? i : t).add(w[1]);
                    }
                }
            }
        } catch (IOException e) {
            // no vocabulary: the check is then made against the folder's own rules only
        }
        return new Vocabulary(i, t);
    }

    /** Writes the vocabulary of every DRL file under {@code classes} to {@code classes/kb/vocabulary.txt} (the build calls this). */
    static void write(Path classes) throws IOException {
        Vocabulary v = new Vocabulary(Set.of(), Set.of());
        try (Stream<Path> s = Files.walk(classes)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".drl")).sorted().toList()) {
                v = v.plus(java.util.List.of(Files.readString(p, StandardCharsets.UTF_8)));
            }
        }
        StringBuilder b = new StringBuilder("# Indications and client traits the built-in rules produce; written by the build.\n");
        new TreeSet<>(v.indications()).forEach(n -> b.append("indication ").append(n).append('\n'));
        new TreeSet<>(v.traits()).forEach(n -> b.append("trait ").append(n).append('\n'));
        Files.createDirectories(classes.resolve("kb"));
        Files.writeString(classes.resolve(RESOURCE), b.toString(), StandardCharsets.UTF_8);
    }
}
