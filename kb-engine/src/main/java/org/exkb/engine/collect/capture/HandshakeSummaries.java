package org.exkb.engine.collect.capture;

import java.security.cert.CertificateException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.collect.tls.CertificateInfo;
import org.exkb.engine.collect.tls.ChainCheck;
import org.exkb.engine.collect.tls.ClientHello;
import org.exkb.engine.collect.tls.TlsConversation;
import org.exkb.engine.collect.tls.TrustAnchors;
import org.exkb.engine.model.ConnectionRow;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.model.EvidenceRef;
import org.exkb.engine.model.HandshakeOutcome;
import org.exkb.engine.model.PlainConnection;
import org.exkb.engine.model.PresentedChain;
import org.exkb.engine.model.TlsHandshake;
import org.exkb.engine.model.TlsRenegotiation;
import org.exkb.engine.model.Tri;
import org.exkb.engine.wire.TlsCodes;

/**
 * Turns finished connections into the per-connection table and into facts. Facts are grouped by
 * pattern (server, SNI, outcome, step, certificate), each group with its count and its first
 * connection as evidence, so thousands of handshakes make a handful of facts and memory stays flat.
 */
final class HandshakeSummaries {
    static final int MAX_ROWS = 1000;
    static final int MAX_GROUPS = 500;

    private final String source;
    private final TrustAnchors trust;
    private final Map<String, Group> groups = new LinkedHashMap<>();
    /** Certificates parsed once per file: a server presents the same chain to every client. */
    private final Map<Der, CertificateInfo> parsed = new HashMap<>();
    private final Map<String, ChainCheck> chainCache = new HashMap<>();
    /** The table's rows: the MAX_ROWS connections that began first, the latest-beginning on top. */
    private final java.util.PriorityQueue<ConnectionRow> rows =
            new java.util.PriorityQueue<>(java.util.Comparator.comparingLong(ConnectionRow::firstFrame).reversed());
    private final Map<String, Long> outcomes = new TreeMap<>();
    private final List<EvidenceProblem> problems = new ArrayList<>();
    private final List<TlsRenegotiation> renegotiations = new ArrayList<>();
    /**
     * A certificate's bytes as a map key, equal by content. The hash reads only the length and the
     * last 32 bytes (inside the signature, which differs between any two certificates), so the lookup
     * made for every connection does not hash kilobytes; equality compares them all.
     */
    private static final class Der {
        final byte[] bytes;
        final int hash;

        Der(byte[] bytes) {
            this.bytes = bytes;
            int h = bytes.length;
            for (int i = Math.max(0, bytes.length - 32); i < bytes.length; i++) {
                h = 31 * h + bytes[i];
            }
            this.hash = h;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Der d && d.hash == hash && java.util.Arrays.equals(d.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** A pattern: how many connections showed it, and how to make its fact with that count. */
    private static final class Group {
        final java.util.function.LongFunction<Object> fact;
        long count;

        Group(java.util.function.LongFunction<Object> fact) {
            this.fact = fact;
        }
    }

    private long connections;
    private long rowsLeftOut;
    private long groupsLeftOut;
    private long gapConnections;
    private long gapBytes;
    private final Map<String, Long> tls13Servers = new TreeMap<>();

    HandshakeSummaries(String source, TrustAnchors trust) {
        this.source = source;
        this.trust = trust;
    }

    void add(TcpReassembler.Connection c, TlsConversation t) {
        connections++;
        if (c.gapBytes > 0) {
            gapConnections++;
            gapBytes += c.gapBytes;
        }
        String client = endpoint(c.clientAddress, c.clientPort);
        String server = endpoint(c.serverAddress, c.serverPort);
        if (t == null || t.kind() == TlsConversation.Kind.UNKNOWN) {
            String outcome = c.resetFrame != 0 && !c.handshakeComplete && !Boolean.TRUE.equals(c.resetByClient)
                    ? "refused (reset by server)" : c.handshakeComplete || !c.sawSyn ? "no data" : "no TCP handshake";
            count(outcome);
            row(new ConnectionRow(source, c.firstFrame, client, server, "", "", "", outcome, List.of(),
                    outcome.startsWith("refused") ? ConnectionRow.Kind.REFUSED : outcome.equals("no data") ? ConnectionRow.Kind.NO_DATA
                    : ConnectionRow.Kind.NO_TCP_HANDSHAKE, null));
            return;
        }
        if (t.kind() == TlsConversation.Kind.NOT_TLS) {
            count("not TLS");
            row(new ConnectionRow(source, c.firstFrame, client, server, "", "", "", "not TLS: " + t.notTls(), List.of(),
                    ConnectionRow.Kind.NOT_TLS, null));
            String address = c.serverAddress;
            int port = c.serverPort;
            List<EvidenceRef> proof = List.of(ref(t.notTlsFrame(), "connection from " + client + " to " + server + " without TLS: " + t.notTls()));
            group("plain|" + address + "|" + port, n -> new PlainConnection(address, port, n, proof));
            return;
        }
        handshake(c, t, client, server);
    }

    private void handshake(TcpReassembler.Connection c, TlsConversation t, String client, String server) {
        ClientHello hello = t.clientHello();
        Tri sni = hello == null ? Tri.UNKNOWN : Tri.of(hello.hasSni());
        String name = hello != null && hello.hasSni() ? hello.serverName() : "";
        String version = t.serverHello() == null ? "" : TlsCodes.version(t.serverHello().version());
        TlsConversation.Alert fatal = t.fatalAlert();
        long endFrame = 0;
        String endedBy = "";
        boolean byClient = false;
        long endNanos = c.endNanos;
        if (fatal != null) {
            endFrame = fatal.frame();
            endedBy = "alert";
            byClient = fatal.fromClient();
            endNanos = fatal.nanos();
        }
        if (c.resetFrame != 0 && (endFrame == 0 || c.resetFrame < endFrame)) {
            endFrame = c.resetFrame;
            endedBy = "reset";
            byClient = c.resetByClient;
            endNanos = c.resetNanos;
        }
        if (c.finFrame != 0 && (endFrame == 0 || c.finFrame < endFrame)) {
            endFrame = c.finFrame;
            endedBy = "close";
            byClient = c.finByClient;
            endNanos = c.finNanos;
        }
        HandshakeOutcome outcome = HandshakeOutcome.of(t.established(), t.serverHelloSeen(), t.serverHello() != null, hello != null,
                !endedBy.isEmpty(), byClient);
        if (outcome == HandshakeOutcome.ESTABLISHED) {
            endedBy = ""; // how an established connection later ended is not part of the handshake's pattern
            byClient = false;
        }
        String stage = outcome == HandshakeOutcome.ESTABLISHED ? "" : t.lastStepBefore(endFrame);
        long other = byClient ? t.lastServerRecordNanos() : t.lastClientRecordNanos();
        long reaction = other == 0 || endNanos < other ? 0 : (endNanos - other) / 1_000_000;
        String alert = fatal == null ? "" : fatal.name();
        String leaf = "";
        String certs = t.certificatesUnknown() != null ? t.certificatesUnknown() : t.resumed() ? "none (resumed session)"
                : t.noCertificateFullHandshake() ? "no certificate (" + (TlsCodes.pskSuite(t.serverHello().cipherSuite()) ? "PSK" : "PSK or anonymous") + ")"
                : "";
        List<CertificateInfo> chain = certificates(t);
        if (chain != null && !chain.isEmpty()) {
            leaf = chain.get(0).sha256();
            certs = chain.size() + ": " + chain.get(0).shortName() + (chain.size() > 1 ? " < " + chain.get(1).shortName() : "")
                    + (chain.size() > 2 ? " < ..." : "");
            presentedChain(c, t, chain, name);
        }
        if (t.serverHello() != null && t.serverHello().tls13()) {
            tls13Servers.merge(c.serverAddress + (c.serverPort == 443 ? "" : ":" + c.serverPort), 1L, Long::sum);
        }
        boolean certRequested = t.certificateRequest() != null;
        long firstFrame = hello != null ? t.clientHelloFrame() : c.firstFrame;
        StringBuilder shown = new StringBuilder(outcome.word());
        if (!stage.isEmpty()) { // empty when established
            shown.append(" after ").append(stage);
        }
        if (!endedBy.isEmpty()) { // empty when established
            shown.append(": ").append(endedBy.equals("alert") ? alert : endedBy).append(" by ").append(byClient ? "client" : "server")
                    .append(" in frame ").append(endFrame).append(" (").append(reaction).append(" ms)");
        }
        if (t.joinedMidStream()) {
            shown.append(" (capture began after the handshake)");
        }
        if (!t.startTls().isEmpty()) {
            shown.append(" (after ").append(t.startTls()).append(')');
        }
        List<org.exkb.engine.model.Renegotiation> renegotiated = t.renegotiations();
        long timesRenegotiated = renegotiated.size() + t.renegotiationsLeftOut();
        if (timesRenegotiated > 0) {
            shown.append("; renegotiated ").append(timesRenegotiated).append(timesRenegotiated == 1 ? " time" : " times");
        }
        if (t.malformed() != null) {
            shown.append("; not followed further: ").append(t.malformed());
            if (problems.size() < 20) {
                problems.add(new EvidenceProblem(source, "frame " + t.malformedFrame(), EvidenceProblem.MALFORMED,
                        "the TLS message of the connection " + client + " -> " + server + " cannot be read: " + t.malformed()
                        + "; the connection is shown as far as it was read"));
            }
        }
        count(outcome.word());
        row(new ConnectionRow(source, firstFrame, client, server,
                hello == null ? "?" : hello.sslv2Format() ? "(SSLv2 hello)" : name.isEmpty() ? "-" : name,
                version, certs, shown.toString(), renegotiated, ConnectionRow.Kind.TLS,
                new ConnectionRow.Handshake(outcome, stage, endedBy, byClient, endFrame, reaction)));
        String detail = (hello == null ? "TLS connection" : "ClientHello " + (sni == Tri.YES ? "with SNI " + name : "without SNI")
                + (hello.sslv2Format() ? " (SSL 2.0 format)" : "")) + " from " + client + " to " + server + ": " + shown;
        String key = String.join("|", "tls", c.serverAddress, String.valueOf(c.serverPort), sni.name(), name,
                String.valueOf(hello != null && hello.sslv2Format()), version, outcome.word(), stage, endedBy, String.valueOf(byClient), alert,
                leaf, String.valueOf(certRequested));
        TlsHandshake first = new TlsHandshake(c.serverAddress, c.serverPort, sni, name, hello != null && hello.sslv2Format(),
                version, outcome, stage, endedBy, byClient, alert, reaction, certRequested, leaf,
                t.clientApplicationBytes() > 0 && t.serverApplicationBytes() > 0, 1, List.of(ref(firstFrame, detail)));
        group(key, n -> new TlsHandshake(first.serverAddress(), first.serverPort(), first.sni(), first.serverName(), first.sslv2Hello(),
                first.version(), first.outcome(), first.stage(), first.endedBy(), first.endedByClient(), first.alert(),
                first.reactionMillis(), first.clientCertificateRequested(), first.leafCertificate(), first.applicationData(), n,
                first.evidence()));
        renegotiations(c, renegotiated, client, server);
    }

    private void renegotiations(TcpReassembler.Connection c, List<org.exkb.engine.model.Renegotiation> all, String client,
                                String server) {
        String endedBy = c.resetFrame != 0 ? "reset" : c.finFrame != 0 ? "close" : "";
        boolean byServer = c.resetFrame != 0 ? !c.resetByClient : c.finFrame != 0 && !c.finByClient;
        for (int i = 0; i < all.size(); i++) {
            org.exkb.engine.model.Renegotiation n = all.get(i);
            boolean last = i == all.size() - 1;
            String detail = n.describe() + " (" + (i + 1) + " of " + all.size() + " on " + client + " -> " + server + ")"
                    + (last && !endedBy.isEmpty() ? "; then " + endedBy + " by " + (byServer ? "server" : "client") + " in frame "
                    + (c.resetFrame != 0 ? c.resetFrame : c.finFrame) : "");
            if (renegotiations.size() < MAX_GROUPS) {
                renegotiations.add(new TlsRenegotiation(c.serverAddress, c.serverPort, !n.byClient(), n.takenUp(), n.peerBytesBefore(),
                        n.dataAfter(), endedBy, byServer, last, List.of(ref(n.frame(), detail))));
            }
        }
    }

    private List<CertificateInfo> certificates(TlsConversation t) {
        if (t.certificates() == null) {
            return null;
        }
        List<CertificateInfo> out = new ArrayList<>();
        int i = 0;
        for (byte[] der : t.certificates()) {
            Der key = new Der(der);
            CertificateInfo known = parsed.get(key);
            if (known != null) {
                out.add(known);
                i++;
                continue;
            }
            try {
                CertificateInfo info = CertificateInfo.parse(der);
                if (parsed.size() < MAX_GROUPS) {
                    parsed.put(key, info);
                }
                out.add(info);
            } catch (CertificateException | RuntimeException e) {
                if (problems.size() < 20) {
                    problems.add(new EvidenceProblem(source, "frame " + t.certificateFrame(), EvidenceProblem.MALFORMED,
                            "certificate " + i + " of the server's Certificate message is not a valid X.509 certificate: "
                                    + org.exkb.engine.collect.tls.CertificateFile.why(e)));
                }
                return out.isEmpty() ? null : out;
            }
            i++;
        }
        return out;
    }

    private void presentedChain(TcpReassembler.Connection c, TlsConversation t, List<CertificateInfo> chain, String name) {
        Instant at = Instant.ofEpochSecond(0, t.certificateNanos());
        StringBuilder k = new StringBuilder(name).append('|');
        chain.forEach(ci -> k.append(ci.sha256(), 0, 16));
        ChainCheck check = chainCache.computeIfAbsent(k.toString(), x -> ChainCheck.check(chain, trust, name, at));
        String key = "chain|" + c.serverAddress + "|" + c.serverPort + "|" + k;
        String address = c.serverAddress;
        int port = c.serverPort;
        long frame = t.certificateFrame();
        group(key, n -> check.fact(address, port, name, chain, n, source, "frame " + frame, endpoint(address, port)));
    }

    /** Counts a connection into its pattern; {@code fact} makes the pattern's fact from the final count. */
    private void group(String key, java.util.function.LongFunction<Object> fact) {
        Group g = groups.get(key);
        if (g == null && groups.size() < MAX_GROUPS) {
            g = new Group(fact);
            groups.put(key, g);
        }
        if (g != null) {
            g.count++;
        } else {
            groupsLeftOut++;
        }
    }

    private void count(String outcome) {
        outcomes.merge(outcome, 1L, Long::sum);
    }

    private void row(ConnectionRow r) {
        // connections end in any order: keep those that began first, whatever order they are told in
        rows.add(r);
        if (rows.size() > MAX_ROWS) {
            rows.poll();
            rowsLeftOut++;
        }
    }

    private EvidenceRef ref(long frame, String detail) {
        return EvidenceRef.of(source, "frame " + frame, detail);
    }

    static String endpoint(String address, int port) {
        return org.exkb.engine.model.HostPort.of(address, port);
    }

    long connections() {
        return connections;
    }

    Map<String, Long> outcomes() {
        return outcomes;
    }

    /** Facts (with their final counts), rows and notes into the result. */
    void into(CollectResult r) {
        groups.values().forEach(g -> r.fact(g.fact.apply(g.count)));
        renegotiations.forEach(r::fact);
        List<ConnectionRow> table = new ArrayList<>(rows);
        table.sort(java.util.Comparator.comparingLong(ConnectionRow::firstFrame));
        table.forEach(r::connection);
        problems.forEach(r::problem);
        if (rowsLeftOut > 0) {
            r.examined(source + ": the connection table shows the first " + MAX_ROWS + " connections; " + rowsLeftOut
                    + " more are counted in the totals and in the facts");
        }
        if (groupsLeftOut > 0) {
            r.examined(source + ": " + groupsLeftOut + " connections fell into patterns beyond the first " + MAX_GROUPS
                    + " and were counted but not turned into facts");
        }
        tls13Servers.forEach((server, n) -> r.examined(source + ": " + n + " TLS 1.3 handshake(s) with " + server
                + ": TLS 1.3 encrypts the certificates, so the chain, its names and dates cannot be checked from this capture;"
                + " run `kb probe " + server + "` to see them (it speaks STARTTLS where the server greets in plaintext)"));
        if (gapConnections > 0) {
            r.examined(source + ": " + gapConnections + " connection(s) have " + gapBytes
                    + " bytes that were not captured; what lay in them is unknown, not absent");
        }
    }
}
