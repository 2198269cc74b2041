package org.exkb.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.exkb.engine.api.CaseSession;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.api.Finding;
import org.exkb.engine.api.PendingQuestion;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.collect.casefile.CaseCodec;
import org.exkb.engine.knowledge.Choice;
import org.exkb.engine.knowledge.QuestionDef;
import org.exkb.engine.model.SymptomView;
import org.exkb.engine.probe.Probe;
import org.exkb.engine.probe.ProbeReport;
import org.exkb.engine.probe.ProbeTarget;
import org.exkb.engine.report.ProbeText;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import picocli.CommandLine;

/**
 * The guided diagnosis behind {@code kb shell}: one case (a live {@link CaseSession}), the next thing
 * to ask, and the commands. The engine decides what to ask; the shell shows it, takes the answer (a
 * bare reply answers the question on screen) and shows what changed, including what an earlier
 * answer's change retracted. The same commands run from a script or piped input.
 */
public final class GuidedShell implements AutoCloseable {

    /** What a bare line (one that is not a command) answers. */
    private enum Pending { SYMPTOM, CLIENT, CLIENT_CHOICE, QUESTION, NONE }

    private final Supplier<DiagnosisEngine> engines;
    private DiagnosisEngine engine;
    private final Ui ui;
    private final ShellView view;
    private final CommandLine commands;
    private final ExecutorService worker = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kb-shell-step");
        t.setDaemon(true);
        return t;
    });

    private CaseSession session;
    private Diagnosis current;
    private boolean clientSkipped;
    private final Deque<String> answerOrder = new ArrayDeque<>();
    private final Set<String> skipped = new LinkedHashSet<>();
    private Pending pending = Pending.NONE;
    private PendingQuestion question;
    private String forcedQuestion;
    private boolean done;
    private int failures;

    /**
     * @param engines makes the engine (called again by {@code reload}, to pick up edited rule folders)
     */
    public GuidedShell(Supplier<DiagnosisEngine> engines, Ui ui) {
        this.engines = engines;
        this.engine = engines.get();
        this.ui = ui;
        this.view = new ShellView(ui);
        this.session = engine.open();
        this.current = session.diagnose();
        this.commands = ShellCommands.commandLine(this, ui.writer());
    }

    public static GuidedShell plain(DiagnosisEngine engine, java.io.PrintWriter out) {
        return new GuidedShell(() -> engine, Ui.plain(out));
    }

    Ui ui() {
        return ui;
    }

    DiagnosisEngine engine() {
        return engine;
    }

    Diagnosis current() {
        return current;
    }

    Map<String, String> answers() {
        return session.answers();
    }

    PendingQuestion question() {
        return pending == Pending.QUESTION ? question : null;
    }

    boolean expectsClient() {
        return pending == Pending.CLIENT;
    }

    CommandLine commands() {
        return commands;
    }

    /** Commands that failed (unknown command, an answer that does not fit, unreadable evidence). */
    public int failures() {
        return failures;
    }

    void failed(String message) {
        failures++;
        ui.say(ui.error(message));
    }

    void exit() {
        done = true;
    }

    // ---------------------------------------------------------------- running

    /** The interactive loop: a prompt, history, completion; Ctrl-C cancels a line or a step, Ctrl-D leaves. */
    public int runInteractive(LineReader reader) {
        greet();
        askNext(true);
        while (!done) {
            String line;
            try {
                line = reader.readLine(prompt());
            } catch (UserInterruptException e) {
                ui.say(ui.faint("(cancelled; Ctrl-D or 'exit' leaves the shell)"));
                continue;
            } catch (EndOfFileException e) {
                break;
            }
            handle(line);
        }
        return 0;
    }

    /** Runs commands from a script or piped input, without prompts; returns 0, or 2 when a command failed. */
    public int runScript(BufferedReader in) throws IOException {
        askNext(true);
        String line;
        while (!done && (line = in.readLine()) != null) {
            handle(line);
        }
        return failures == 0 ? 0 : 2;
    }

    private void greet() {
        ui.say(ui.bold("kb shell") + " - guided diagnosis of mail clients that cannot reach Exchange through a TLS terminator.");
        ui.say(ui.faint("Answer the questions as they come (a number or the value), or type a command: 'help' lists them"
                + (ui.completes() ? "; TAB completes." : ".")));
    }

    String prompt() {
        String tag = switch (pending) {
            case CLIENT_CHOICE -> "client";
            case SYMPTOM -> "symptom";
            case CLIENT -> "client";
            case QUESTION -> question.id();
            case NONE -> "";
        };
        return ui.bold("kb") + (tag.isEmpty() ? "" : " " + ui.ask("[" + tag + "]")) + "> ";
    }

    /** One line of input: a command, a comment, or a bare reply to what is on screen. */
    public void handle(String line) {
        String t = line == null ? "" : line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
            return;
        }
        List<String> words = Words.split(t);
        if (words.isEmpty()) {
            return;
        }
        String first = words.get(0).toLowerCase(Locale.ROOT);
        String[] parts = t.split("\\s+", 2);
        String rest = parts.length > 1 ? parts[1].strip() : "";
        if ((first.equals("symptom") || first.equals("client")) && !rest.isEmpty() && !rest.startsWith("-")) {
            // free text: kept as typed (an apostrophe is not a quote), completion's escaped spaces undone
            String text = unescapeSpaces(rest);
            if (first.equals("symptom")) {
                symptom(text);
            } else {
                client(text);
            }
        } else if (commands.getSubcommands().containsKey(first)) {
            words.set(0, first);
            int rc = commands.execute(words.toArray(String[]::new));
            if (rc != 0) {
                failures++;
            }
        } else {
            reply(unescapeSpaces(t));
        }
    }

    private static String unescapeSpaces(String s) {
        return s.replace("\\ ", " ");
    }

    private void reply(String t) {
        switch (pending) {
            case SYMPTOM -> symptom(t);
            case CLIENT -> {
                if (List.of("unknown", "skip", "?", "dont know", "don't know").contains(t.toLowerCase(Locale.ROOT))) {
                    clientSkipped = true;
                    askNext(true);
                } else {
                    client(t);
                }
            }
            case CLIENT_CHOICE -> {
                String v = t.toLowerCase(Locale.ROOT);
                if (v.matches("\\d+") && Integer.parseInt(v) >= 1 && Integer.parseInt(v) <= clientChoices.size()) {
                    client(clientChoices.get(Integer.parseInt(v) - 1));
                } else if (v.equals("0") || v.equals("keep")) {
                    setClient(clientTyped);
                } else if (List.of("unknown", "skip", "?").contains(v)) {
                    clientSkipped = true;
                    pending = Pending.NONE;
                    askNext(true);
                } else {
                    client(t);
                }
            }
            case QUESTION -> {
                PendingQuestion q = question;
                if (q.wantsEvidence() && !isUnavailable(t, q)) {
                    // a host or a path, perhaps pasted in quotes
                    String v = t.length() > 1 && (t.charAt(0) == '"' || t.charAt(0) == '\'') && t.endsWith(t.substring(0, 1))
                            ? t.substring(1, t.length() - 1) : t;
                    if (q.evidence().equals("probe")) {
                        probe(List.of(v), null, false);
                    } else {
                        add(List.of(v));
                    }
                } else {
                    answer(q.id(), t);
                }
            }
            case NONE -> failed("'" + t + "' is not a command (type 'help'); nothing is being asked right now.");
        }
    }

    private static boolean isUnavailable(String t, PendingQuestion q) {
        String v = t.toLowerCase(Locale.ROOT);
        return v.equals("1") || q.choices().stream().anyMatch(c -> c.value().equals(v)) || List.of("no", "none", "n/a", "skip", "cannot").contains(v);
    }

    // ---------------------------------------------------------------- case changes

    void symptom(String text) {
        session.addSymptom(text);
        List<SymptomView> views = refreshQuietly();
        SymptomView v = views.isEmpty() ? null : views.get(views.size() - 1);
        if (v != null && !v.recognized().isEmpty()) {
            ui.say("Symptom recognised: " + ui.bold(String.join(", ", v.recognized())));
        } else {
            ui.say("Symptom kept as free text: it matches nothing in the symptom catalogue ("
                    + "try the exact error text, e.g. an hr= code or the dialog's words).");
        }
        showChanges();
        askNext(true);
    }

    void forget(int number) {
        Optional<String> gone = session.removeSymptom(number - 1);
        if (gone.isEmpty()) {
            failed("There is no symptom " + number + "; 'status' lists them, numbered from 1.");
            return;
        }
        ui.say("Symptom withdrawn: " + gone.get());
        refreshQuietly();
        showChanges();
        askNext(true);
    }

    /** Closes this case and starts the next one in the same shell. */
    void newCase() {
        resetCase();
        ui.say("New case. (The one before is closed; 'open FILE' brings back a saved one.)");
        askNext(true);
    }

    /** The catalogued names offered for a client that was not found, and what was typed. */
    private List<String> clientChoices = List.of();
    private String clientTyped;

    void client(String name) {
        if (engine.knowledge().devices().find(name.strip()).isEmpty()) {
            List<String> near = engine.knowledge().devices().suggest(name.strip());
            if (!near.isEmpty()) {
                clientChoices = near;
                clientTyped = name.strip();
                pending = Pending.CLIENT_CHOICE;
                ui.say(ui.ask("? '" + clientTyped + "' is not in the device catalogue. Did you mean:"));
                for (int i = 0; i < near.size(); i++) {
                    ui.say("  " + (i + 1) + ". " + near.get(i));
                }
                ui.say(ui.faint("  a number picks one; 0 keeps '" + clientTyped + "' as given (its capabilities then unknown);"
                        + " or type another name"));
                return;
            }
        }
        setClient(name);
    }

    private void setClient(String name) {
        pending = Pending.NONE;
        session.setClient(name);
        refreshQuietly();
        String resolved = current.client();
        ui.say("Client: " + ui.bold(resolved == null ? name : resolved));
        showChanges();
        askNext(true);
    }

    void answer(String questionId, String raw) {
        Optional<QuestionDef> def = engine.knowledge().question(questionId);
        if (def.isEmpty()) {
            failed("No question '" + questionId + "'. Pending: " + String.join(", ",
                    current.questions().stream().map(PendingQuestion::id).toList()));
            return;
        }
        String value = raw.strip();
        List<Choice> choices = def.get().choices();
        if (value.matches("\\d{1,2}") && !def.get().type().equals(QuestionDef.NUMBER)) {
            int i = Integer.parseInt(value);
            if (i < 1 || i > choices.size()) {
                failed("Choose 1 to " + choices.size() + " (or type the value).");
                return;
            }
            value = choices.get(i - 1).value();
        }
        String before = session.answers().get(questionId);
        Optional<String> error = session.answer(questionId, value);
        if (error.isPresent()) {
            failed(error.get());
            return;
        }
        String now = session.answers().get(questionId);
        answerOrder.remove(questionId);
        answerOrder.addLast(questionId);
        skipped.remove(questionId);
        if (questionId.equals(forcedQuestion)) {
            forcedQuestion = null;
        }
        if (before != null && !before.equals(now)) {
            ui.say("Changed " + questionId + ": " + before + " -> " + ui.bold(now) + "; what followed from '" + before + "' is retracted.");
        } else {
            ui.say("Noted " + questionId + " = " + ui.bold(now));
        }
        refreshQuietly();
        showChanges();
        askNext(true);
    }

    void back() {
        if (answerOrder.isEmpty()) {
            failed("No answer to take back.");
            return;
        }
        String q = answerOrder.removeLast();
        String was = session.answers().get(q);
        session.unanswer(q);
        ui.say("Withdrew " + q + " = " + was + "; what followed from it is retracted.");
        refreshQuietly();
        showChanges();
        forcedQuestion = q;
        askNext(true);
    }

    void change(String questionId, String value) {
        if (engine.knowledge().question(questionId).isEmpty()) {
            failed("No question '" + questionId + "'. Answered: " + String.join(", ", session.answers().keySet()));
            return;
        }
        if (value != null) {
            answer(questionId, value);
            return;
        }
        forcedQuestion = questionId;
        skipped.remove(questionId);
        askNext(true);
    }

    void skip() {
        if (pending == Pending.QUESTION) {
            skipped.add(question.id());
            if (question.id().equals(forcedQuestion)) {
                forcedQuestion = null;
            }
        } else if (pending == Pending.CLIENT) {
            clientSkipped = true;
        } else if (pending == Pending.SYMPTOM) {
            ui.say(ui.faint("A case needs a symptom or evidence to start from; 'add PATH' adds evidence."));
            return;
        }
        askNext(true);
    }

    void add(List<String> paths) {
        List<Path> files = paths.stream().map(GuidedShell::path).toList();
        long bytes = files.stream().mapToLong(GuidedShell::size).sum();
        String label = "reading " + (files.size() == 1 ? files.get(0).getFileName() : files.size() + " paths")
                + (bytes > 0 ? " (" + human(bytes) + ")" : "");
        Optional<CollectResult> r = step(label, () -> session.read(files));
        if (r.isEmpty()) {
            return;
        }
        session.addRead(files, r.get());
        for (String e : r.get().examined()) {
            ui.say(ui.faint("  " + e));
        }
        if (!r.get().problems().isEmpty()) {
            failures++;
        }
        refreshQuietly();
        showChanges();
        askNext(true);
    }

    void probe(List<String> targets, String sni, boolean noSni) {
        List<ProbeTarget> parsed = new ArrayList<>();
        for (String t : targets) {
            try {
                parsed.add(ProbeTarget.parse(t));
            } catch (IllegalArgumentException e) {
                failed("Cannot probe '" + t + "': " + e.getMessage());
                return;
            }
        }
        Probe.Options options = session.probeOptions(sni, noSni, 5000);
        Optional<List<ProbeReport>> reports = step("probing " + String.join(", ", targets),
                () -> Probe.run(parsed, options));
        if (reports.isEmpty()) {
            return;
        }
        session.addProbed(targets, reports.get());
        ui.println(ProbeText.render(reports.get(), false).stripTrailing());
        if (reports.get().stream().anyMatch(rep -> !rep.error().isEmpty())) {
            failures++;
        }
        refreshQuietly();
        showChanges();
        askNext(true);
    }

    void trust(String file) {
        Path p = path(file);
        Optional<String> error = session.trust(p);
        if (error.isPresent()) {
            failed(error.get());
        } else {
            ui.say("Trusted roots added from " + p + " (for evidence added from now on).");
        }
    }

    /** Opens a saved case: a fresh session replaying its symptoms, client, answers, evidence and probes. */
    void open(String file) {
        Path p = path(file);
        CaseCodec.Result parsed;
        try {
            parsed = CaseCodec.yaml(Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
            failed(p + ": cannot read the case: " + e.getMessage());
            return;
        }
        if (parsed.description() == null) {
            failed(p + ": not a case file: " + parsed.problems().get(0).message());
            return;
        }
        CaseCodec.Description d = parsed.description();
        resetCase();
        session.label(d.title(), d.notes());
        ui.say("Opened " + p + (d.title().isEmpty() ? "" : ": " + d.title()));
        parsed.problems().forEach(x -> failed(p + (x.where().isEmpty() ? "" : " " + x.where()) + ": " + x.message()));
        d.trust().forEach(this::trust);
        d.symptoms().forEach(session::addSymptom);
        if (d.client() != null) {
            session.setClient(d.client());
        }
        d.answers().forEach((q, v) -> {
            Optional<String> error = session.answer(q, v);
            if (error.isPresent()) {
                failed(p + ": answers." + q + ": " + error.get());
            } else {
                answerOrder.addLast(q);
            }
        });
        if (!d.evidence().isEmpty()) {
            add(d.evidence());
        }
        if (!d.probe().isEmpty()) {
            probe(d.probe(), null, false);
        }
        refreshQuietly();
        showChanges();
        askNext(true);
    }

    void save(String file) {
        Path p = path(file);
        try {
            if (p.getParent() != null) {
                Files.createDirectories(p.getParent());
            }
            Files.writeString(p, CaseCodec.yaml(session.describe()), StandardCharsets.UTF_8);
        } catch (IOException ex) {
            failed("Cannot write " + p + ": " + ex.getMessage());
            return;
        }
        ui.say("Saved the case to " + p + " (continue with 'open " + p + "', or 'kb shell' then open).");
    }

    void report(org.exkb.engine.report.ReportFormat format, String file) {
        String text = format.render(current);
        if (file == null) {
            ui.println(text.stripTrailing());
            return;
        }
        Path p = path(file);
        try {
            if (p.getParent() != null) {
                Files.createDirectories(p.getParent());
            }
            Files.writeString(p, text, StandardCharsets.UTF_8);
            ui.say("Report written to " + p + " (" + format + ").");
        } catch (IOException e) {
            failed("Cannot write " + p + ": " + e.getMessage());
        }
    }

    /** Rebuilds the engine (picking up edited rule folders) and replays the case into a new session. */
    void reload() {
        DiagnosisEngine fresh;
        try {
            fresh = engines.get();
        } catch (RuntimeException e) {
            failed("Reload refused; the rules in use are unchanged:\n" + e.getMessage());
            return;
        }
        org.exkb.engine.api.Case c = session.current();
        CaseCodec.Description label = session.describe();
        engine = fresh;
        session.close();
        session = engine.open();
        session.label(label.title(), label.notes()).load(c, false);
        if (!c.probe().isEmpty()) {
            ui.say(ui.faint("(servers probed earlier are not probed again; 'probe' them to refresh)"));
        }
        ui.say("Reloaded: " + engine.rules().ruleNames().size() + " rules, " + engine.knowledge().ids().size() + " root causes.");
        refreshQuietly();
        showChanges();
        askNext(true);
    }

    private void resetCase() {
        session.close();
        session = engine.open();
        clientSkipped = false;
        answerOrder.clear();
        skipped.clear();
        forcedQuestion = null;
        current = session.diagnose();
        shown = current;
    }

    // ---------------------------------------------------------------- showing

    private Diagnosis shown;

    private List<SymptomView> refreshQuietly() {
        if (shown == null) {
            shown = current;
        }
        current = session.diagnose();
        return current.symptoms();
    }

    /** What changed since last shown: findings that appeared, moved or went, reasons added and retracted, new problems. */
    private void showChanges() {
        Diagnosis before = shown == null ? current : shown;
        shown = current;
        view.changes(before, current);
    }

    /** Decides what to ask next (the engine's most decisive pending question) and shows it. */
    void askNext(boolean show) {
        org.exkb.engine.api.Case given = session.current();
        if (given.symptoms().isEmpty() && given.evidence().isEmpty() && given.probe().isEmpty() && given.answers().isEmpty()) {
            pending = Pending.SYMPTOM;
            if (show) {
                ui.say(ui.ask("? What does the user report?") + " The error text or what they see, e.g. "
                        + "\"bad username or password\", hr=0x80072f0d, \"Connection to Microsoft Exchange is unavailable\".");
            }
            return;
        }
        if (given.client() == null && !clientSkipped && current.client() == null) {
            pending = Pending.CLIENT;
            if (show) {
                ui.say(ui.ask("? Which mail client or device fails?") + " e.g. Outlook for Mac 2011, Windows Phone 7, iPhone "
                        + (ui.completes() ? "(TAB completes from the device catalogue; 'unknown' to go on without)." : "('unknown' to go on without)."));
            }
            return;
        }
        PendingQuestion next = null;
        if (forcedQuestion != null) {
            String id = forcedQuestion;
            next = current.question(id).orElseGet(() -> engine.knowledge().question(id)
                    .map(d -> new PendingQuestion(d.id(), d.text(), d.type(), d.choices(), List.of(), d.how(), 0, d.evidence(), d.agent()))
                    .orElse(null));
        }
        if (next == null) {
            next = current.questions().stream().filter(q -> !skipped.contains(q.id())).findFirst().orElse(null);
        }
        if (next == null) {
            pending = Pending.NONE;
            question = null;
            if (show) {
                showVerdict();
            }
            return;
        }
        boolean same = pending == Pending.QUESTION && question != null && question.id().equals(next.id());
        pending = Pending.QUESTION;
        question = next;
        if (show) {
            showQuestion(next, same);
        }
    }

    private void showQuestion(PendingQuestion q, boolean again) {
        view.question(q, session.answers().get(q.id()), again);
    }

    private void showVerdict() {
        view.verdict(current, skipped);
    }

    void status() {
        view.status(session.current(), current, skipped);
    }

    /** A finding by id (any case, or a unique prefix) or by its rank in 'status'. */
    Optional<Finding> finding(String ref) {
        if (ref.matches("\\d{1,3}")) {
            int i = Integer.parseInt(ref);
            return i >= 1 && i <= current.findings().size() ? Optional.of(current.findings().get(i - 1)) : Optional.empty();
        }
        String r = ref.toUpperCase(Locale.ROOT);
        Optional<Finding> exact = current.finding(r);
        if (exact.isPresent()) {
            return exact;
        }
        List<Finding> prefixed = current.findings().stream().filter(f -> f.id().startsWith(r)).toList();
        return prefixed.size() == 1 ? Optional.of(prefixed.get(0)) : Optional.empty();
    }

    private boolean noFinding(String ref) {
        String known = current.findings().isEmpty() ? "there are no findings yet"
                : "findings now: " + String.join(", ", current.findings().stream().map(Finding::id).toList());
        String catalogued = engine.knowledge().ids().contains(ref.toUpperCase(Locale.ROOT))
                ? ref.toUpperCase(Locale.ROOT) + " is catalogued but nothing in this case points to it; " : "";
        failed("No finding '" + ref + "': " + catalogued + known);
        return false;
    }

    void why(String ref) {
        Optional<Finding> of = finding(ref);
        if (of.isEmpty()) {
            noFinding(ref);
            return;
        }
        view.why(of.get());
    }

    void fix(String ref) {
        Optional<Finding> of = finding(ref);
        Optional<org.exkb.engine.knowledge.EntryDoc> doc = of.isPresent() ? Optional.empty()
                : engine.knowledge().doc(ref.toUpperCase(Locale.ROOT));
        if (of.isEmpty() && doc.isEmpty()) {
            noFinding(ref);
            return;
        }
        view.fix(of.map(Finding::id).orElseGet(() -> doc.get().id()), of.map(Finding::status),
                of.map(Finding::fix).orElseGet(() -> doc.get().fix()), of.map(Finding::sources).orElseGet(() -> doc.get().sources()));
    }

    // ---------------------------------------------------------------- long steps

    /**
     * Runs a long step off the input thread, showing progress after a second; Ctrl-C (SIGINT on the
     * terminal) cancels it and nothing it read is added.
     */
    private <T> Optional<T> step(String label, Callable<T> work) {
        Future<T> f = worker.submit(work);
        Terminal t = ui.terminal();
        Terminal.SignalHandler previous = t == null ? null : t.handle(Terminal.Signal.INT, s -> f.cancel(true));
        long start = System.nanoTime();
        try {
            while (true) {
                try {
                    return Optional.ofNullable(f.get(100, TimeUnit.MILLISECONDS));
                } catch (TimeoutException e) {
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    if (ms >= 700) {
                        ui.progress(label + " ... " + String.format(Locale.ROOT, "%.1f s", ms / 1000.0) + " (Ctrl-C cancels)");
                    }
                } catch (CancellationException e) {
                    failed("Cancelled: " + label + "; nothing from it was added.");
                    return Optional.empty();
                } catch (ExecutionException e) {
                    failed(label + " failed: " + e.getCause());
                    return Optional.empty();
                } catch (InterruptedException e) {
                    f.cancel(true);
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        } finally {
            ui.clearProgress();
            if (t != null) {
                t.handle(Terminal.Signal.INT, previous);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    static Path path(String s) {
        String t = s.strip();
        if (t.startsWith("~/")) {
            t = System.getProperty("user.home") + t.substring(1);
        }
        return Path.of(t);
    }

    private static long size(Path p) {
        try {
            if (Files.isRegularFile(p)) {
                return Files.size(p);
            }
            if (Files.isDirectory(p)) {
                try (var s = Files.walk(p)) {
                    return s.filter(Files::isRegularFile).mapToLong(x -> x.toFile().length()).sum();
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private static String human(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.0f KB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1024.0 / 1024.0);
    }

    @Override
    public void close() {
        session.close();
        worker.shutdownNow();
    }
}
