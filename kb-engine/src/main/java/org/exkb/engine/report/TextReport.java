package org.exkb.engine.report;

import java.util.List;
import java.util.stream.Collectors;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.Finding;
import org.exkb.engine.api.PendingQuestion;
import org.exkb.engine.knowledge.Choice;
import org.exkb.engine.knowledge.FixStep;
import org.exkb.engine.model.ConnectionRow;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.model.EvidenceRef;
import org.exkb.engine.model.Level;
import org.exkb.engine.model.SymptomView;

/**
 * The diagnosis for a person at a terminal: findings ranked by status with their reasons and
 * evidence, fix steps for what is confirmed or likely, then the questions that would decide the
 * rest, then what could not be read.
 */
public final class TextReport {
    private TextReport() {
    }

    public static String render(Diagnosis d) {
        StringBuilder b = new StringBuilder();
        b.append("Client:   ").append(d.client() == null ? "(not given)" : d.client()).append('\n');
        if (!d.symptoms().isEmpty()) {
            b.append("Symptoms:\n");
            for (SymptomView s : d.symptoms()) {
                b.append("  \"").append(s.text()).append("\" -> ")
                        .append(s.recognized().isEmpty() ? "not recognised (kept as reported)" : String.join(", ", s.recognized()))
                        .append('\n');
            }
        }
        b.append('\n');
        if (d.findings().isEmpty()) {
            b.append("Findings: none. Nothing in this case matches a catalogued root cause yet;\n")
                    .append("          add the symptom the user sees, the client, or evidence (capture, logs).\n");
        } else {
            b.append("Findings\n");
            for (Finding f : d.findings()) {
                finding(b, f);
            }
        }
        List<String> since = d.days().isEmpty() ? List.of() : Timeline.lines(d);
        if (!since.isEmpty()) {
            b.append('\n').append(Timeline.heading(d)).append('\n');
            since.forEach(l -> b.append("  ").append(l).append('\n'));
        }
        if (!d.questions().isEmpty()) {
            b.append("\nQuestions that would decide (most decisive first)\n");
            int n = 1;
            for (PendingQuestion q : d.questions()) {
                b.append(String.format("  %d. %s%n", n++, q.text()));
                b.append("     id: ").append(q.id()).append("   decides: ").append(String.join(", ", q.decides())).append('\n');
                if (!q.choices().isEmpty()) {
                    b.append("     answers: ").append(q.choices().stream().map(Choice::value).collect(Collectors.joining(" | "))).append('\n');
                } else {
                    b.append("     answer: ").append(q.type().equals("number") ? "a number" : "free text").append('\n');
                }
                if (!q.agent().isEmpty()) {
                    wrap(b, "you can: " + q.agent(), "     ", "          ");
                }
                if (!q.how().isEmpty()) {
                    wrap(b, (q.agent().isEmpty() ? "how: " : "how (engineer): ") + q.how(), "     ", "          ");
                }
                b.append("     give it with: --answer ").append(q.id()).append("=VALUE\n");
            }
        }
        if (!d.connections().isEmpty()) {
            connections(b, d.connections());
        }
        if (!d.evidenceProblems().isEmpty()) {
            b.append("\nEvidence problems (the diagnosis above uses everything else)\n");
            for (EvidenceProblem p : d.evidenceProblems()) {
                b.append("  ").append(p.source()).append(p.locator().isEmpty() ? "" : " [" + p.locator() + "]")
                        .append(": ").append(p.reason()).append(": ").append(p.detail()).append('\n');
            }
        }
        if (!d.examined().isEmpty()) {
            b.append("\nExamined\n");
            d.examined().forEach(e -> b.append("  ").append(e).append('\n'));
        }
        return b.toString();
    }

    private static void finding(StringBuilder b, Finding f) {
        String status = f.status().json().toUpperCase().replace('_', ' ');
        b.append(String.format("%n  %-10s %s%s%n", status, f.id(), f.kind().equals("benign") ? "  (benign: not a fault)" : ""));
        wrap(b, f.title(), "             ", "             ");
        for (Finding.Reason r : f.reasons()) {
            wrap(b, "- " + r.level().json() + ": " + r.text(), "             ", "               ");
        }
        if (!f.evidence().isEmpty()) {
            b.append("             evidence:\n");
            for (EvidenceRef e : f.evidence()) {
                wrap(b, "* " + e.display(), "               ", "                 ");
            }
        }
        if (f.status() == Level.CONFIRMED || f.status() == Level.LIKELY) {
            if (!f.fix().isEmpty()) {
                b.append("             fix:\n");
                int n = 1;
                for (FixStep s : f.fix()) {
                    wrap(b, n++ + ". [" + s.who() + "] " + s.action(), "               ", "                  ");
                    if (!s.verify().isEmpty()) {
                        wrap(b, "verify: " + s.verify(), "                  ", "                  ");
                    }
                }
            }
        }
    }

    /** The per-connection table of captures, grouped by file: a TLS-aware {@code tshark -z conv}. */
    public static void connections(StringBuilder b, List<ConnectionRow> rows) {
        String source = null;
        for (ConnectionRow r : rows) {
            if (!r.source().equals(source)) {
                source = r.source();
                b.append("\nConnections in ").append(source).append('\n');
                b.append(String.format("  %7s  %-21s  %-21s  %-20s  %-7s  %-28s  %s%n", "frame", "client", "server", "SNI", "version",
                        "certificates", "outcome"));
            }
            b.append(String.format("  %7d  %-21s  %-21s  %-20s  %-7s  %-28s  %s%n", r.firstFrame(), r.client(), r.server(),
                    clip(r.sni(), 20), r.version().isEmpty() ? "-" : r.version(), clip(r.certificates().isEmpty() ? "-" : r.certificates(), 28),
                    r.outcome()));
        }
        source = null;
        for (ConnectionRow r : rows) {
            if (r.renegotiations().isEmpty()) {
                continue;
            }
            if (!r.source().equals(source)) {
                source = r.source();
                b.append("\nRenegotiations in ").append(source).append('\n');
                b.append(String.format("  %7s  %-21s  %-7s  %-9s  %s%n", "frame", "connection (client)", "by", "taken up", "what followed"));
            }
            for (org.exkb.engine.model.Renegotiation n : r.renegotiations()) {
                String after = n.takenUp()
                        ? (n.peerBytesBefore() > 0 ? (n.byClient() ? "server" : "client") + " sent " + n.peerBytesBefore() + " bytes first; " : "")
                        + (n.completed() ? "finished" : "not seen to finish") + (n.dataAfter() ? ", data flows on" : "")
                        : (n.peerAlert() ? "refused with an alert" : "never taken up")
                        + (n.peerBytesBefore() > 0 ? "; " + (n.byClient() ? "server" : "client") + " keeps sending " + n.peerBytesBefore() + " bytes" : "");
                b.append(String.format("  %7d  %-21s  %-7s  %-9s  %s%n", n.frame(), r.client(), n.byClient() ? "client" : "server",
                        n.takenUp() ? String.valueOf(n.takenUpFrame()) : "no", after));
            }
        }
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    static void wrap(StringBuilder b, String text, String first, String rest) {
        int width = 100;
        List<String> words = List.of(text.strip().split("\\s+"));
        StringBuilder line = new StringBuilder(first);
        int start = first.length();
        for (String w : words) {
            if (line.length() > start && line.length() + 1 + w.length() > width) {
                b.append(line).append('\n');
                line = new StringBuilder(rest);
                start = rest.length();
            }
            if (line.length() > start) {
                line.append(' ');
            }
            line.append(w);
        }
        b.append(line).append('\n');
    }
}
