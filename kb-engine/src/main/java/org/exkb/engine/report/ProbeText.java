package org.exkb.engine.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.exkb.engine.probe.ProbeReport;
import org.exkb.engine.probe.ProbeReport.Chain;
import org.exkb.engine.probe.ProbeReport.DeviceVerdict;
import org.exkb.engine.probe.ProbeReport.Handshake;

/**
 * The live probe's reports for a person (text) or a ticket (Markdown): per target what it
 * presents and how each device would fare, then the hops side by side when there are several.
 */
public final class ProbeText {
    private ProbeText() {
    }

    public static String render(List<ProbeReport> reports, boolean markdown) {
        StringBuilder b = new StringBuilder();
        for (ProbeReport r : reports) {
            target(b, r, markdown);
        }
        if (reports.size() > 1) {
            hops(b, reports, markdown);
        }
        return b.toString();
    }

    private static void target(StringBuilder b, ProbeReport r, boolean md) {
        b.append(md ? "## Probe of " + r.target() + "\n\n" : "Probe of " + r.target() + "\n");
        if (!r.error().isEmpty()) {
            line(b, md, "result", "not probed: " + r.error());
            b.append('\n');
            return;
        }
        line(b, md, "address", r.address() + " (" + r.millis() + " ms)");
        line(b, md, "name", r.name().isEmpty() ? "(none: an address was given without --sni)" : r.name());
        if (r.withSni() != null) {
            line(b, md, "with SNI", handshake(r.withSni()));
        }
        if (r.withoutSni() != null) {
            line(b, md, "without SNI", handshake(r.withoutSni()));
        }
        StringBuilder v = new StringBuilder();
        r.versions().forEach((k, x) -> v.append(v.length() == 0 ? "" : "; ").append(k).append(": ").append(x));
        line(b, md, "versions", v.toString());
        line(b, md, "secure renegotiation", r.secureRenegotiation());
        line(b, md, "client certificate", r.clientCertificate()
                + (r.acceptedIssuers().isEmpty() ? "" : " (accepted CAs: " + String.join("; ", r.acceptedIssuers()) + ")"));
        if (r.chain() != null) {
            chain(b, md, "chain" + (r.name().isEmpty() ? "" : " for " + r.name()), r.chain());
        }
        if (r.chainWithoutSni() != null) {
            chain(b, md, "chain without SNI", r.chainWithoutSni());
        }
        for (ProbeReport.Http h : r.http()) {
            StringBuilder s = new StringBuilder(h.status() == 0 ? "no HTTP answer: " + h.error() : h.statusLine());
            if (!h.authSchemes().isEmpty()) {
                s.append("; offers ").append(String.join(", ", h.authSchemes()));
            }
            h.headers().forEach((k, x) -> s.append("; ").append(k).append(": ").append(x));
            if (!h.clientCertificate().equals("not asked")) {
                s.append("; client certificate asked ").append(h.clientCertificate());
            }
            line(b, md, h.request(), s.toString());
        }
        for (String n : r.notes()) {
            line(b, md, "note", n);
        }
        if (!r.devices().isEmpty()) {
            if (md) {
                b.append("\n| Device | Verdict | Why |\n|---|---|---|\n");
                for (DeviceVerdict d : r.devices()) {
                    b.append("| ").append(cell(d.name())).append(" | ").append(d.verdict().replace('_', ' ')).append(" | ")
                            .append(cell(String.join("; ", d.reasons()))).append(" |\n");
                }
            } else {
                b.append("  Devices against this server\n");
                int w = r.devices().stream().mapToInt(d -> d.name().length()).max().orElse(10);
                for (DeviceVerdict d : r.devices()) {
                    b.append(String.format("    %-" + w + "s  %-8s %s%n", d.name(), d.verdict().replace('_', ' '), d.reasons().get(0)));
                    for (int i = 1; i < d.reasons().size(); i++) {
                        b.append(" ".repeat(w + 15)).append(d.reasons().get(i)).append('\n');
                    }
                }
            }
        }
        b.append('\n');
    }

    private static void chain(StringBuilder b, boolean md, String label, Chain c) {
        line(b, md, label, c.verdict());
        line(b, md, "  state", words(c.strict().word()) + (c.missingIssuer().isEmpty() ? "" : " (not sent: " + c.missingIssuer() + ")")
                + (c.root().isEmpty() ? "" : ", root " + c.root() + (c.rootTrusted() ? "" : " (not known here)"))
                + "; name " + words(c.name().word()) + "; " + words(c.dates().word()));
        int i = 0;
        for (ProbeReport.Certificate x : c.certificates()) {
            line(b, md, "  " + i++, org.exkb.engine.collect.tls.CertificateInfo.display(x.subject()) + " <- "
                    + org.exkb.engine.collect.tls.CertificateInfo.display(x.issuer()) + "; " + x.key() + ", " + x.signature() + "; "
                    + x.notBefore().substring(0, 10) + " to " + x.notAfter().substring(0, 10)
                    + (x.names().isEmpty() ? "" : "; names " + String.join(", ", x.names())));
        }
        line(b, md, "  browser", c.browser());
        for (String n : c.notes()) {
            line(b, md, "  note", n);
        }
    }

    /** A contract word as people read it: {@code not_covered} is "not covered". */
    private static String words(String word) {
        return word.replace('_', ' ');
    }

    private static String handshake(Handshake h) {
        return words(h.result().word()) + (h.version().isEmpty() ? "" : ", " + h.version())
                + (h.leaf().isEmpty() ? "" : ", leaf " + h.leaf()) + " (" + h.millis() + " ms): " + h.detail();
    }

    private static void hops(StringBuilder b, List<ProbeReport> rs, boolean md) {
        List<String[]> rows = new ArrayList<>();
        List<String> head = new ArrayList<>();
        head.add("");
        rs.forEach(r -> head.add(r.target()));
        rows.add(head.toArray(String[]::new));
        row(rows, rs, "reachable", r -> r.error().isEmpty() ? "yes" : "no: " + r.error());
        row(rows, rs, "without SNI", r -> r.withoutSni() == null ? "-" : words(r.withoutSni().result().word())
                + (r.chainWithoutSni() != null ? ", other certificate" : ""));
        row(rows, rs, "chain", r -> r.chain() == null ? "-" : words(r.chain().strict().word())
                + (r.chain().missingIssuer().isEmpty() ? "" : " (no " + r.chain().missingIssuer() + ")"));
        row(rows, rs, "name", r -> r.chain() == null ? "-" : words(r.chain().name().word()));
        row(rows, rs, "dates", r -> r.chain() == null ? "-" : words(r.chain().dates().word()));
        row(rows, rs, "client certificate", ProbeReport::clientCertificate);
        row(rows, rs, "versions", r -> String.join(" ", accepted(r.versions())));
        row(rows, rs, "devices failing", r -> String.valueOf(r.devices().stream().filter(d -> d.verdict().equals("fails")).count()));
        b.append(md ? "## Hops side by side\n\n" : "Hops side by side\n");
        if (md) {
            for (int i = 0; i < rows.size(); i++) {
                b.append('|');
                for (String c : rows.get(i)) {
                    b.append(' ').append(cell(c)).append(" |");
                }
                b.append('\n');
                if (i == 0) {
                    b.append("|---".repeat(rows.get(0).length)).append("|\n");
                }
            }
        } else {
            int[] w = new int[rows.get(0).length];
            for (String[] r : rows) {
                for (int i = 0; i < r.length; i++) {
                    w[i] = Math.max(w[i], Math.min(r[i].length(), 40));
                }
            }
            for (String[] r : rows) {
                b.append(' ');
                for (int i = 0; i < r.length; i++) {
                    String c = r[i].length() > 40 ? r[i].substring(0, 39) + "…" : r[i];
                    b.append(' ').append(String.format("%-" + w[i] + "s", c)).append(' ');
                }
                b.append('\n');
            }
        }
        b.append('\n');
    }

    private static List<String> accepted(Map<String, String> versions) {
        List<String> out = new ArrayList<>();
        versions.forEach((k, v) -> {
            if (v.equals("accepted")) {
                out.add(k.replace("TLS ", ""));
            }
        });
        return out.isEmpty() ? List.of("none") : out;
    }

    private static void row(List<String[]> rows, List<ProbeReport> rs, String label, Function<ProbeReport, String> f) {
        List<String> r = new ArrayList<>();
        r.add(label);
        rs.forEach(x -> r.add(x.error().isEmpty() || label.equals("reachable") ? f.apply(x) : "-"));
        rows.add(r.toArray(String[]::new));
    }

    private static void line(StringBuilder b, boolean md, String label, String text) {
        if (md) {
            b.append("- **").append(label.strip()).append("**: ").append(text.replace("|", "\\|")).append('\n');
        } else {
            b.append(String.format("  %-20s %s%n", label, text));
        }
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
