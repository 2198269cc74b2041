package org.exkb.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.exkb.engine.api.Case;
import org.exkb.engine.api.CaseSession;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.api.FactView;
import org.exkb.engine.api.Finding;
import org.exkb.engine.model.Level;
import org.exkb.engine.probe.ProbeTarget;
import org.exkb.engine.testing.TestPki;
import org.exkb.engine.testing.TestTlsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verdict matrix: for every catalogue id, the status each kind of evidence gives it - alone (no
 * client, no symptom), with a failing client, and as a near miss - from every sample folder and from
 * live probes of local servers that show each server condition. Rendered as {@code docs/VERDICTS.md},
 * which this test keeps current ({@code -Dverdicts.write=true} rewrites it), so a knowledge engineer
 * reads how each verdict is reached. The matrix also holds the rule that a verdict without a complaint
 * is never confirmed where the evidence is only a server condition.
 */
class VerdictMatrixTest {
    static final Path DOC = Path.of("../docs/VERDICTS.md");
    static final String NAME = "mail.example.test";

    record Row(String id, String evidence, String situation, String status, String where) {
    }

    @Test
    void verdictsMdIsCurrent(@TempDir Path dir) throws Exception {
        DiagnosisEngine engine = DiagnosisEngine.fromClasspath();
        List<Row> rows = new ArrayList<>();
        for (Samples s : Samples.all()) {
            Diagnosis d = engine.diagnose(Case.builder().evidence(s.folder()).build());
            rows.addAll(rows(d, situation(d, s.folder().getFileName().toString(), s.healthy()), "sample `" + s.folder().getFileName() + "`"));
        }
        rows.addAll(probeRows(engine, dir));
        String md = render(engine.knowledge().ids(), rows);
        if (Boolean.getBoolean("verdicts.write")) {
            Files.writeString(DOC, md, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(DOC), "docs/VERDICTS.md is missing: run mvn -pl kb-rules test -Dtest=VerdictMatrixTest -Dverdicts.write=true");
        assertEquals(md, Files.readString(DOC, StandardCharsets.UTF_8),
                "docs/VERDICTS.md is stale: run mvn -pl kb-rules test -Dtest=VerdictMatrixTest -Dverdicts.write=true");
        for (Row r : rows) {
            if (r.situation().equals(ALONE) && (r.evidence().equals("probe") || r.evidence().equals("capture"))) {
                assertTrue(!r.status().equals("confirmed"), "evidence of the server alone proves a condition, not a client's failure: " + r);
            }
        }
    }

    static final String ALONE = "alone (no client, no symptom)";
    static final String FAILING = "with a failing client (in the case, or failing in the capture)";
    static final String NEAR = "near miss / healthy";

    static String situation(Diagnosis d, String name, boolean healthy) {
        if (healthy || name.contains("near-miss")) {
            return NEAR;
        }
        boolean complaint = d.facts().stream().anyMatch(f -> f.type().equals("SymptomReport") || f.type().equals("DeviceProfile"));
        // a capture can hold the failing client itself: a handshake that did not go through
        boolean failsInCapture = d.facts().stream().anyMatch(f -> f.type().equals("TlsHandshake") && !f.evidence().isEmpty()
                && !f.evidence().get(0).source().startsWith("live:") && !f.description().contains(": established")
                || f.type().equals("TlsRenegotiation") && f.description().contains("never taken up") && f.description().contains("started by the server"));
        return complaint || failsInCapture ? FAILING : ALONE;
    }

    /** The kinds of evidence a diagnosis rests on, from the raw facts it held. */
    static String evidence(Diagnosis d) {
        Set<String> kinds = new TreeSet<>();
        for (FactView f : d.facts()) {
            boolean live = !f.evidence().isEmpty() && f.evidence().get(0).live();
            org.exkb.engine.model.EvidenceKind k = org.exkb.engine.model.EvidenceKind.ofType(f.type(), live);
            if (k != null) {
                switch (k) {
                    case CAPTURE, PROBE -> kinds.add(k.request());
                    case LOGS -> kinds.add("server logs");
                    case EVENTS -> kinds.add("event export");
                    case CASE -> {
                        if (f.type().equals("Answer")) {
                            kinds.add("answers"); // symptoms and the client are the situation, not evidence
                        }
                    }
                }
            }
        }
        return kinds.isEmpty() ? "symptom or client only" : String.join(" + ", kinds);
    }

    static List<Row> rows(Diagnosis d, String situation, String where) {
        List<Row> out = new ArrayList<>();
        String evidence = evidence(d);
        for (Finding f : d.findings()) {
            out.add(new Row(f.id(), evidence, situation, f.status().json(), where));
        }
        return out;
    }

    static List<Row> probeRows(DiagnosisEngine engine, Path dir) throws Exception {
        TestPki pki = new TestPki("Matrix");
        TestPki.Issued leaf = pki.leaf(NAME, "autodiscover.example.test");
        TestPki.Issued wrong = pki.leaf("www.example.test");
        TestPki.Issued old = pki.expiredLeaf(NAME);
        Path root = dir.resolve("root.pem");
        Files.writeString(root, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(pki.root.certificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
        Map<String, TestTlsServer.Config> servers = new java.util.LinkedHashMap<>();
        servers.put("healthy server", TestTlsServer.with().chain(leaf.key(), leaf.certificate(), pki.intermediate.certificate()));
        servers.put("hellos without SNI reset", TestTlsServer.with().chain(leaf.key(), leaf.certificate(), pki.intermediate.certificate())
                .noSni(TestTlsServer.NoSni.RESET));
        servers.put("leaf only, root given", TestTlsServer.with().chain(leaf.key(), leaf.certificate()));
        servers.put("certificate for another name", TestTlsServer.with().chain(wrong.key(), wrong.certificate(), pki.intermediate.certificate()));
        servers.put("expired certificate", TestTlsServer.with().chain(old.key(), old.certificate(), pki.intermediate.certificate()));
        servers.put("client certificate asked in the handshake", TestTlsServer.with().chain(leaf.key(), leaf.certificate(),
                pki.intermediate.certificate()).clientAuth(TestTlsServer.ClientAuth.WANT, pki.root.certificate()));
        servers.put("client certificate asked by renegotiation", TestTlsServer.with().chain(leaf.key(), leaf.certificate(),
                pki.intermediate.certificate()).renegotiateOn("/Microsoft-Server-ActiveSync", pki.root.certificate()));
        List<Row> out = new ArrayList<>();
        for (Map.Entry<String, TestTlsServer.Config> e : servers.entrySet()) {
            boolean healthy = e.getKey().equals("healthy server");
            out.addAll(probe(engine, e.getValue(), root, null, List.of(), healthy ? NEAR : ALONE, "probe: " + e.getKey()));
            if (!healthy) {
                out.addAll(probe(engine, e.getValue(), root, "Windows Phone 7", List.of("Connection to Microsoft Exchange is unavailable"),
                        FAILING, "probe: " + e.getKey() + "; Windows Phone 7 cannot connect"));
            }
        }
        return out;
    }

    static List<Row> probe(DiagnosisEngine engine, TestTlsServer.Config server, Path root, String client, List<String> symptoms,
                           String situation, String where) throws Exception {
        try (TestTlsServer s = server.start(); CaseSession c = engine.open()) {
            assertTrue(c.trust(root).isEmpty());
            if (client != null) {
                c.setClient(client);
            }
            symptoms.forEach(c::addSymptom);
            c.probe(List.of(ProbeTarget.parse(s.target())), c.probeOptions(NAME, false, 3000));
            return rows(c.diagnose(), situation, where);
        }
    }

    static String render(List<String> ids, List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("# How each verdict is reached\n\n")
                .append("Generated by `VerdictMatrixTest` (kb-rules) from every sample folder of the built-in knowledge (`knowledge/`) and from live\n")
                .append("probes of local servers that show each server condition; the test fails when this file is stale\n")
                .append("(`mvn -pl kb-rules test -Dtest=VerdictMatrixTest -Dverdicts.write=true` rewrites it).\n\n")
                .append("For each root cause: the status that each kind of evidence gives **alone** (no client, no symptom:\n")
                .append("a server condition proven before any complaint is at most likely), **with a failing client**, and in\n")
                .append("**near misses and healthy controls** (which must never give a confirmed or likely fault).\n");
        Map<String, Map<String, Map<String, TreeMap<String, List<String>>>>> byId = new TreeMap<>();
        for (Row r : rows) {
            byId.computeIfAbsent(r.id(), k -> new TreeMap<>()).computeIfAbsent(r.evidence(), k -> new TreeMap<>())
                    .computeIfAbsent(r.situation(), k -> new TreeMap<>()).computeIfAbsent(r.status(), k -> new ArrayList<>()).add(r.where());
        }
        for (String id : ids) {
            b.append("\n## ").append(id).append("\n\n");
            Map<String, Map<String, TreeMap<String, List<String>>>> m = byId.get(id);
            if (m == null) {
                b.append("No sample or probe scenario reaches it.\n");
                continue;
            }
            b.append("| evidence | situation | status | where |\n|---|---|---|---|\n");
            m.forEach((evidence, bySituation) -> {
                for (String situation : List.of(ALONE, FAILING, NEAR)) {
                    TreeMap<String, List<String>> byStatus = bySituation.get(situation);
                    if (byStatus == null) {
                        continue;
                    }
                    for (String status : order(byStatus.keySet())) {
                        List<String> where = byStatus.get(status);
                        where.sort(null);
                        b.append("| ").append(evidence).append(" | ").append(situation).append(" | ").append(status).append(" | ")
                                .append(String.join(", ", where)).append(" |\n");
                    }
                }
            });
        }
        return b.toString();
    }

    static List<String> order(Set<String> statuses) {
        List<String> out = new ArrayList<>();
        for (Level l : List.of(Level.CONFIRMED, Level.LIKELY, Level.POSSIBLE, Level.RULED_OUT)) {
            if (statuses.contains(l.json())) {
                out.add(l.json());
            }
        }
        return out;
    }
}
