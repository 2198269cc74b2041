package org.exkb.shell;

import java.util.List;
import java.util.Locale;
import org.exkb.engine.api.Finding;
import org.exkb.engine.api.PendingQuestion;
import org.exkb.engine.knowledge.Choice;
import org.exkb.engine.knowledge.DeviceDef;
import org.exkb.engine.knowledge.QuestionDef;
import org.exkb.engine.knowledge.SymptomDef;
import org.jline.builtins.Completers;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * TAB completion: command names and the choices of the question on screen for the first word; then,
 * by command, paths, finding ids, question ids and their choices, device names, symptom phrases,
 * options and formats. Reads the shell's current state, so it follows the case.
 */
final class ShellCompleter implements Completer {
    private final GuidedShell shell;
    private final Completer files = new Completers.FileNameCompleter();

    ShellCompleter(GuidedShell shell) {
        this.shell = shell;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> out) {
        List<String> words = line.words();
        int index = line.wordIndex();
        String cmd = words.get(0).toLowerCase(Locale.ROOT);
        if (shell.expectsClient() && !ShellCommands.ORDER.contains(cmd) && (index > 0 || line.word().length() > 0)) {
            phrases(words, 0, index, deviceNames(), "devices", out);   // a bare reply on the client prompt
        }
        if (index == 0) {
            for (String c : ShellCommands.ORDER) {
                out.add(new Candidate(c, c, "commands", null, null, null, true));
            }
            PendingQuestion q = shell.question();
            if (q != null) {
                choices(q.choices(), out);
            }
            return;
        }
        switch (cmd) {
            case "add", "open", "save", "trust" -> files.complete(reader, line, out);
            case "report" -> {
                String prev = words.get(index - 1);
                if (prev.equals("--format") || prev.equals("-f")) {
                    List.of("text", "markdown", "json").forEach(f -> out.add(new Candidate(f)));
                } else {
                    out.add(new Candidate("--format"));
                    files.complete(reader, line, out);
                }
            }
            case "why", "fix" -> {
                if (index == 1) {
                    for (Finding f : shell.current().findings()) {
                        out.add(new Candidate(f.id(), f.id(), "findings", f.status().json() + ": " + f.title(), null, null, true));
                    }
                    if (cmd.equals("fix")) {
                        shell.engine().knowledge().ids().forEach(id -> out.add(new Candidate(id, id, "catalogue", null, null, null, true)));
                    }
                }
            }
            case "change", "answer" -> {
                if (index == 1) {
                    shell.answers().keySet().forEach(id -> out.add(new Candidate(id, id, "answered", null, null, null, true)));
                    shell.current().questions().forEach(q -> out.add(new Candidate(q.id(), q.id(), "pending", q.text(), null, null, true)));
                    if (cmd.equals("answer") && shell.question() != null) {
                        choices(shell.question().choices(), out);
                    }
                } else if (index == 2) {
                    shell.engine().knowledge().question(words.get(1).toLowerCase(Locale.ROOT))
                            .map(QuestionDef::choices).ifPresent(c -> choices(c, out));
                }
            }
            case "client" -> phrases(words, 1, index, deviceNames(), "devices", out);
            case "symptom" -> {
                List<String> examples = new java.util.ArrayList<>();
                for (SymptomDef d : shell.engine().knowledge().symptoms().all()) {
                    examples.addAll(d.examples());
                }
                phrases(words, 1, index, examples, "symptoms", out);
            }
            case "probe" -> List.of("--sni", "--no-sni").forEach(o -> out.add(new Candidate(o)));
            case "help" -> ShellCommands.ORDER.forEach(c -> out.add(new Candidate(c)));
            default -> {
            }
        }
    }

    private static void choices(List<Choice> choices, List<Candidate> out) {
        for (Choice c : choices) {
            out.add(new Candidate(c.value(), c.value(), "answers", c.label(), null, null, true));
        }
    }

    private List<String> deviceNames() {
        // the catalogue's names and their aliases (Polycom CX600 is an alias of Lync Phone Edition): either resolves
        return shell.engine().knowledge().devices().all().stream()
                .flatMap(d -> java.util.stream.Stream.concat(java.util.stream.Stream.of(d.name()), d.aliases().stream())).distinct().toList();
    }

    /**
     * Multi-word phrases (device names, symptom examples) completed word by word: the words typed
     * since {@code from} must begin the phrase, and the candidate is the rest of it from the current
     * word on (JLine escapes its spaces; the shell undoes that).
     */
    static void phrases(List<String> words, int from, int index, List<String> phrases, String group, List<Candidate> out) {
        String typed = String.join(" ", words.subList(Math.min(from, index), index)).toLowerCase(Locale.ROOT);
        String prefix = typed.isEmpty() ? "" : typed + " ";
        for (String p : phrases) {
            if (p.toLowerCase(Locale.ROOT).startsWith(prefix) && p.length() > prefix.length()) {
                String rest = p.substring(prefix.length());
                out.add(new Candidate(rest, p, group, null, null, null, true));
            }
        }
    }
}
