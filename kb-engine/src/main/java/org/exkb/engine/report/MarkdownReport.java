package org.exkb.engine.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.Finding;
import org.exkb.engine.api.PendingQuestion;
import org.exkb.engine.knowledge.Choice;
import org.exkb.engine.knowledge.FixStep;
import org.exkb.engine.knowledge.SourceRef;
import org.exkb.engine.model.ConnectionRow;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.model.EvidenceRef;
import org.exkb.engine.model.Level;
import org.exkb.engine.model.SymptomView;

/** The diagnosis as Markdown, for pasting into a ticket. */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    public static String render(Diagnosis d) {
        StringBuilder b = new StringBuilder("# Exchange connectivity diagnosis\n\n");
        b.append("- **Client:** ").append(d.client() == null ? "not given" : esc(d.client())).append('\n');
        for (SymptomView s : d.symptoms()) {
            b.append("- **Reported:** \"").append(esc(s.text())).append("\" (")
                    .append(s.recognized().isEmpty() ? "not recognised" : "`" + String.join("`, `", s.recognized()) + "`").append(")\n");
        }
        d.answers().forEach((q, v) -> b.append("- **Answered:** `").append(q).append("` = ").append(esc(v)).append('\n'));
        b.append("\n## Findings\n\n");
        if (d.findings().isEmpty()) {
            b.append("No catalogued root cause matches the evidence so far.\n");
        } else {
            b.append("| Status | Id | What |\n|---|---|---|\n");
            for (Finding f : d.findings()) {
                b.append("| ").append(f.status().json()).append(" | `").append(f.id()).append("` | ")
                        .append(cellEsc(f.title())).append(f.kind().equals("benign") ? " (benign)" : "").append(" |\n");
            }
            for (Finding f : d.findings()) {
                if (f.status() == Level.RULED_OUT) {
                    continue;
                }
                b.append("\n### ").append(f.id()).append(" (").append(f.status().json()).append(")\n\n");
                if (!f.summary().isEmpty()) {
                    b.append(esc(f.summary())).append("\n\n");
                }
                b.append("Why:\n");
                for (Finding.Reason r : f.reasons()) {
                    b.append("- ").append(r.level().json()).append(": ").append(esc(r.text())).append('\n');
                }
                if (!f.evidence().isEmpty()) {
                    b.append("\nEvidence:\n");
                    for (EvidenceRef e : f.evidence()) {
                        b.append("- `").append(e.source()).append("`").append(e.locator().isEmpty() ? "" : " " + esc(e.locator()))
                                .append(e.detail().isEmpty() ? "" : ": " + esc(e.shortDetail())).append('\n');
                    }
                }
                if (!f.fix().isEmpty()) {
                    b.append("\nFix").append(f.status() == Level.POSSIBLE ? " (if this turns out to be the cause)" : "").append(":\n");
                    int n = 1;
                    for (FixStep s : f.fix()) {
                        b.append(n++).append(". **").append(esc(s.who())).append(":** ").append(esc(s.action()));
                        if (!s.verify().isEmpty()) {
                            b.append(" *Verify:* ").append(esc(s.verify()));
                        }
                        b.append('\n');
                    }
                }
                if (!f.sources().isEmpty()) {
                    b.append("\nSources: ");
                    b.append(String.join("; ", f.sources().stream().map(MarkdownReport::source).toList())).append('\n');
                }
            }
        }
        List<String> since = d.days().isEmpty() ? List.of() : Timeline.lines(d);
        if (!since.isEmpty()) {
            b.append("\n## ").append(esc(Timeline.heading(d))).append("\n\n");
            since.forEach(l -> b.append("- ").append(esc(l)).append('\n'));
        }
        if (!d.questions().isEmpty()) {
            b.append("\n## Open questions\n\n");
            for (PendingQuestion q : d.questions()) {
                b.append("- [ ] ").append(esc(q.text())).append(" (`").append(q.id()).append("`");
                if (!q.choices().isEmpty()) {
                    b.append(": ").append(String.join(" / ", q.choices().stream().map(Choice::value).toList()));
                }
                b.append(")\n");
                if (!q.agent().isEmpty()) {
                    b.append("  - You can: ").append(esc(q.agent())).append('\n');
                }
                if (!q.how().isEmpty()) {
                    b.append(q.agent().isEmpty() ? "  - How: " : "  - How (engineer): ").append(esc(q.how())).append('\n');
                }
            }
        }
        connections(b, d.connections());
        if (!d.evidenceProblems().isEmpty()) {
            b.append("\n## Evidence that could not be used\n\n");
            for (EvidenceProblem p : d.evidenceProblems()) {
                b.append("- `").append(p.source()).append("`").append(p.locator().isEmpty() ? "" : " " + esc(p.locator()))
                        .append(": ").append(p.reason()).append(": ").append(esc(p.detail())).append('\n');
            }
        }
        return b.toString();
    }

    /** Rows shown per capture; the rest are counted (the JSON has them all). */
    static final int CONNECTIONS_SHOWN = 40;

    /** The connection table of each capture, as tier 2 reads a trace first (frame numbers as Wireshark shows them). */
    private static void connections(StringBuilder b, List<ConnectionRow> rows) {
        Map<String, List<ConnectionRow>> bySource = new LinkedHashMap<>();
        rows.stream().filter(r -> r.kind() != ConnectionRow.Kind.PROBE).forEach(r -> bySource.computeIfAbsent(r.source(), k -> new ArrayList<>()).add(r));
        for (Map.Entry<String, List<ConnectionRow>> e : bySource.entrySet()) {
            b.append("\n## Connections in `").append(e.getKey()).append("`\n\n");
            b.append("| Frame | Client | Server | SNI | Version | Certificates | Outcome |\n|---:|---|---|---|---|---|---|\n");
            List<ConnectionRow> list = e.getValue();
            for (ConnectionRow r : list.subList(0, Math.min(CONNECTIONS_SHOWN, list.size()))) {
                b.append("| ").append(r.firstFrame()).append(" | ").append(cellEsc(r.client())).append(" | ").append(cellEsc(r.server()))
                        .append(" | ").append(cellEsc(r.sni())).append(" | ").append(cellEsc(r.version())).append(" | ")
                        .append(cellEsc(r.certificates())).append(" | ").append(cellEsc(r.outcome())).append(" |\n");
            }
            if (list.size() > CONNECTIONS_SHOWN) {
                b.append("\n").append(list.size() - CONNECTIONS_SHOWN).append(" more connections are in the JSON report.\n");
            }
        }
    }

    private static String source(SourceRef s) {
        return esc(s.citation());
    }

    /** Keeps user text from breaking tables or turning into markup. */
    /** For a table cell: GFM needs {@code \|} for a pipe even inside a code span there. */
    static String cellEsc(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*")
                .replace("<", "&lt;").replace("\n", " ");
    }

    /**
     * For running text: Markdown's escapes outside code spans only, since inside a code span a
     * backslash is shown as it is (CommonMark 6.1), so a pasted command must come out unchanged; a pipe
     * needs no escape outside a table.
     */
    static String esc(String s) {
        StringBuilder b = new StringBuilder();
        String[] parts = s.replace("\n", " ").split("`", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                b.append('`');
            }
            boolean code = i % 2 == 1 && i < parts.length - 1; // an unclosed backtick is text
            b.append(code ? parts[i] : parts[i].replace("\\", "\\\\").replace("*", "\\*").replace("<", "&lt;"));
        }
        return b.toString();
    }
}
