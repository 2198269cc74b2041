package org.exkb.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.Finding;
import org.exkb.engine.api.PendingQuestion;
import org.exkb.engine.knowledge.Choice;
import org.exkb.engine.knowledge.FixStep;
import org.exkb.engine.knowledge.QuestionDef;
import org.exkb.engine.knowledge.SourceRef;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.model.EvidenceRef;
import org.exkb.engine.model.Level;

/**
 * How the guided shell shows a case: what changed since the last step, the question on screen, the
 * verdict or the next steps at a dead end, the status, why a finding holds and how to fix it. It
 * reads the diagnosis it is given and writes to the {@link Ui}; it holds no case state.
 */
final class ShellView {
    private final Ui ui;

    ShellView(Ui ui) {
        this.ui = ui;
    }

    /** What changed since last shown: findings that appeared, moved or went, reasons added and retracted, new problems. */
    void changes(Diagnosis before, Diagnosis current) {
        for (int i = before.evidenceProblems().size(); i < current.evidenceProblems().size(); i++) {
            EvidenceProblem p = current.evidenceProblems().get(i);
            ui.say(ui.error("  ! " + p.source() + (p.locator().isEmpty() ? "" : " " + p.locator()) + ": " + p.detail()));
        }
        Map<String, Finding> old = new LinkedHashMap<>();
        before.findings().forEach(f -> old.put(f.id(), f));
        for (Finding f : current.findings()) {
            Finding was = old.remove(f.id());
            Set<String> oldReasons = new LinkedHashSet<>();
            if (was != null) {
                was.reasons().forEach(r -> oldReasons.add(r.level().json() + "|" + r.text()));
            }
            Set<String> newReasons = new LinkedHashSet<>();
            f.reasons().forEach(r -> newReasons.add(r.level().json() + "|" + r.text()));
            if (was == null) {
                ui.say("  + " + ui.bold(f.id()) + " " + ui.level(f.status()) + ": " + f.title());
            } else if (was.status() != f.status()) {
                ui.say("  ~ " + ui.bold(f.id()) + " " + ui.level(was.status()) + " -> " + ui.level(f.status()));
            }
            for (Finding.Reason r : was == null ? List.<Finding.Reason>of() : was.reasons()) {
                if (!newReasons.contains(r.level().json() + "|" + r.text())) {
                    ui.say(ui.faint("      retracted (" + r.level().json() + "): " + r.text()));
                }
            }
            for (Finding.Reason r : f.reasons()) {
                if (!oldReasons.contains(r.level().json() + "|" + r.text())) {
                    ui.say("      " + ui.level(r.level()) + ": " + r.text());
                }
            }
        }
        for (Finding f : old.values()) {
            ui.say("  - " + ui.bold(f.id()) + " withdrawn (was " + f.status().json() + "); the reasons for it were retracted:");
            for (Finding.Reason r : f.reasons()) {
                ui.say(ui.faint("      retracted (" + r.level().json() + "): " + r.text()));
            }
        }
    }

    /** A question: what it decides, its current answer, what a tier-1 agent can do, the engineer's recipe, the choices. */
    void question(PendingQuestion q, String currentAnswer, boolean again) {
        ui.println();
        if (q.wantsEvidence()) {
            ui.say(ui.ask("? Evidence wanted: ") + ui.bold(q.text()) + ui.faint("  [" + q.id() + "]"));
        } else {
            ui.say(ui.ask("? ") + ui.bold(q.text()) + ui.faint("  [" + q.id() + "]"));
        }
        if (!q.decides().isEmpty()) {
            ui.say(ui.faint("  decides " + String.join(", ", q.decides())));
        }
        String was = currentAnswer;
        if (was != null) {
            ui.say(ui.faint("  currently answered: " + was));
        }
        if (!q.agent().isEmpty()) {
            ui.say(Words.wrap("You can: " + q.agent(), ui.width(), "  "));
        }
        if (!q.how().isEmpty()) {
            ui.say(Words.wrap((q.agent().isEmpty() ? "How: " : "How (engineer): ") + q.how(), ui.width(), "  "));
        }
        if (q.wantsEvidence()) {
            if (q.evidence().equals("probe")) {
                ui.say("  Type the server name to probe it now (HOST or HOST:PORT), or 'unavailable'.");
            } else {
                ui.say("  Type the path of the file or folder to add it, or 'unavailable'.");
            }
        } else if (q.type().equals(QuestionDef.NUMBER)) {
            ui.say("  Type a number (or 'unknown').");
        } else if (q.type().equals(QuestionDef.TEXT)) {
            ui.say("  Type the answer.");
        } else {
            int i = 1;
            int width = q.choices().stream().mapToInt(c -> c.value().length()).max().orElse(0);
            for (Choice c : q.choices()) {
                ui.say("   " + ui.bold(i++ + ")") + " " + String.format("%-" + width + "s", c.value())
                        + (c.label().equalsIgnoreCase(c.value()) ? "" : "  " + c.label()));
            }
        }
        if (!again) {
            ui.say(ui.faint("  ('skip' leaves it for later; 'why ID', 'status', 'help')"));
        }
    }

    void verdict(Diagnosis current, Set<String> skipped) {
        ui.println();
        List<Finding> decided = current.findings().stream().filter(f -> f.status() == Level.CONFIRMED || f.status() == Level.LIKELY).toList();
        if (current.findings().isEmpty()) {
            ui.say("No root cause in the knowledge base matches what is known so far. Add evidence ('add PATH', "
                    + "'probe HOST') or another symptom ('symptom TEXT').");
            return;
        }
        if (decided.isEmpty()) {
            ui.say("Nothing left to ask. No root cause is confirmed or likely; open hypotheses are in 'status'.");
            nextSteps(current);
        } else {
            ui.say(ui.good("Verdict: ") + String.join(", ", decided.stream().map(f -> f.id() + " (" + f.status().json() + ")").toList()));
            ui.say("  'fix " + decided.get(0).id() + "' for the steps, 'report --format markdown FILE' for the ticket.");
        }
        if (!skipped.isEmpty()) {
            ui.say(ui.faint("  skipped questions: " + String.join(", ", skipped) + " ('change ID' to answer one)"));
        }
    }

    /**
     * At a dead end: the evidence not yet in the case that would let the rules decide, and how to hand
     * the case to tier 2 with everything asked and answered so far.
     */
    void nextSteps(Diagnosis current) {
        java.util.Set<org.exkb.engine.model.EvidenceKind> have = java.util.EnumSet.noneOf(org.exkb.engine.model.EvidenceKind.class);
        for (org.exkb.engine.api.FactView f : current.facts()) {
            org.exkb.engine.model.EvidenceKind k = org.exkb.engine.model.EvidenceKind.ofType(f.type(),
                    !f.evidence().isEmpty() && f.evidence().get(0).live());
            if (k != null) {
                have.add(k);
            }
        }
        List<String> collect = new ArrayList<>();
        if (!have.contains(org.exkb.engine.model.EvidenceKind.PROBE)) {
            collect.add("probe the published name: 'probe mail.example.com' (the name the failing client connects to)");
        }
        if (!have.contains(org.exkb.engine.model.EvidenceKind.CAPTURE)) {
            collect.add("a network trace of the failing client connecting (Wireshark, Network Monitor, netsh trace on the proxy), then 'add FILE'");
        }
        if (!have.contains(org.exkb.engine.model.EvidenceKind.LOGS)) {
            collect.add("the IIS and HTTPERR logs of the Exchange servers for the time it failed, then 'add FOLDER'");
        }
        if (!have.contains(org.exkb.engine.model.EvidenceKind.EVENTS)) {
            collect.add("the Application and System event logs of those servers (.evtx), then 'add FILE'");
        }
        if (!collect.isEmpty()) {
            ui.say("Next, collect what is not in the case yet:");
            collect.forEach(c -> ui.say("  - " + c));
        }
        ui.say("Or escalate: 'save ticket.case.yaml' and 'report --format markdown ticket.md' give tier 2 the case, every answer"
                + " and the open hypotheses with the questions that would decide them.");
    }

    void status(org.exkb.engine.api.Case given, Diagnosis current, Set<String> skipped) {
        List<String> numbered = new ArrayList<>();
        for (int i = 0; i < given.symptoms().size(); i++) {
            numbered.add((i + 1) + ". " + given.symptoms().get(i));
        }
        ui.say(ui.bold("Case:") + " " + (numbered.isEmpty() ? "no symptom" : String.join("; ", numbered))
                + " | client: " + (current.client() == null ? "not given" : current.client())
                + " | " + given.answers().size() + " answer(s), " + given.evidence().size() + " evidence path(s), " + given.probe().size()
                + " probe(s)");
        if (current.findings().isEmpty()) {
            ui.say("  No hypotheses yet.");
        }
        int i = 1;
        for (Finding f : current.findings()) {
            ui.say(String.format("  %2d. ", i++) + ui.bold(f.id()) + "  " + ui.level(f.status()) + "  " + f.title());
        }
        if (!current.questions().isEmpty()) {
            ui.say(ui.bold("Pending") + " (most decisive first):");
            for (PendingQuestion q : current.questions()) {
                ui.say("  - " + q.id() + (skipped.contains(q.id()) ? " (skipped)" : "") + ": " + q.text());
            }
        }
        if (!given.answers().isEmpty()) {
            ui.say(ui.bold("Answers:") + " " + String.join(", ", given.answers().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        if (!current.evidenceProblems().isEmpty()) {
            ui.say(ui.error(current.evidenceProblems().size() + " evidence problem(s); 'report' lists them."));
        }
    }

    void why(Finding f) {
        ui.say(ui.bold(f.id()) + "  " + ui.level(f.status()) + "  " + f.title());
        ui.say(Words.wrap(f.summary(), ui.width(), "  "));
        for (Finding.Reason r : f.reasons()) {
            ui.say("  " + ui.level(r.level()) + ": " + r.text());
            for (EvidenceRef e : r.evidence()) {
                ui.say("      " + ui.faint("- ") + e);
            }
        }
    }

    /** The fix for a root cause: {@code status} is its status in this case, or empty when it is not a finding of it. */
    void fix(String id, Optional<Level> status, List<FixStep> steps, List<SourceRef> sources) {
        ui.say(ui.bold("Fix for " + id) + status.map(l -> " (" + l.json() + ")").orElse(" (not a finding in this case)"));
        int i = 1;
        for (FixStep s : steps) {
            ui.say(Words.wrap(i++ + ". [" + s.who() + "] " + s.action(), ui.width(), "   ").substring(3));
            if (!s.verify().isEmpty()) {
                ui.say(Words.wrap("Verify: " + s.verify(), ui.width(), "      "));
            }
        }
        for (SourceRef s : sources) {
            ui.say(ui.faint("   source: " + s.citation()));
        }
    }
}
