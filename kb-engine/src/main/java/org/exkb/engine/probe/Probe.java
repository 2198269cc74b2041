package org.exkb.engine.probe;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.collect.tls.CertificateInfo;
import org.exkb.engine.collect.tls.ChainCheck;
import org.exkb.engine.collect.tls.TlsConversation;
import org.exkb.engine.collect.tls.TrustAnchors;
import org.exkb.engine.knowledge.DeviceDef;
import org.exkb.engine.model.ConnectionRow;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.model.EvidenceRef;
import org.exkb.engine.model.HandshakeOutcome;
import org.exkb.engine.model.HttpExchange;
import org.exkb.engine.model.PresentedChain;
import org.exkb.engine.model.TlsHandshake;
import org.exkb.engine.model.Tri;
import org.exkb.engine.probe.ProbeReport.Chain;
import org.exkb.engine.probe.ProbeReport.Handshake;
import org.exkb.engine.wire.TlsCodes;

/**
 * The live probe: connects to each target the way each kind of device would and reports what the
 * server presents. Hand-built hellos (one version at a time, with and without SNI) read the first
 * flight in clear through {@link TlsConversation}; one full JSSE handshake and three HTTP requests
 * without credentials complete the picture. The findings become the same raw facts a capture gives
 * ({@link TlsHandshake}, {@link PresentedChain}) plus {@link HttpExchange}, with the source
 * {@code live:host:port}, so the same rules apply.
 *
 * <p>Bounded: every connection has the connect/read timeout, a target stops after
 * {@link #BUDGET_STEPS} timeouts' worth of time, chains are cut at {@link #MAX_CHAIN} certificates,
 * responses at {@link HelloAttempt#MAX_BYTES} and {@link LiveTls#MAX_HEAD}; targets run in parallel.
 */
public final class Probe {
    public static final int MAX_CHAIN = org.exkb.engine.collect.tls.CertificateMessage.MAX_CERTIFICATES;
    public static final int MAX_TARGETS = 64;
    public static final int BUDGET_STEPS = 6;
    private static final int[] VERSIONS = {0x0301, 0x0302, 0x0303, 0x0304};
    /** The requests a healthy Exchange answers without credentials (401 with its schemes). */
    public static final List<String[]> HTTP_CHECKS = List.of(
            new String[] {"OPTIONS", "/Microsoft-Server-ActiveSync"},
            new String[] {"GET", "/autodiscover/autodiscover.xml"},
            new String[] {"GET", "/EWS/Exchange.asmx"});

    /**
     * @param sni           the name to send and check instead of the target's host name (null: the host, unless an address)
     * @param noSni         send no SNI in the main handshakes (the name is still checked against the certificate)
     * @param timeoutMillis connect and read timeout of each connection
     * @param trust         the roots the strict chain check accepts
     * @param devices       the devices to give verdicts for
     * @param http          make the HTTP checks
     */
    public record Options(String sni, boolean noSni, int timeoutMillis, TrustAnchors trust, List<DeviceDef> devices,
                          boolean http) {
        public Options {
            if (timeoutMillis < 1) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            devices = List.copyOf(devices);
        }
    }

    private Probe() {
    }

    /** Probes every target, in parallel; one report per target, in the order given. */
    public static List<ProbeReport> run(List<ProbeTarget> targets, Options o) {
        if (targets.size() > MAX_TARGETS) {
            throw new IllegalArgumentException(targets.size() + " targets: at most " + MAX_TARGETS + " at once");
        }
        if (targets.size() == 1) {
            return List.of(probe(targets.get(0), o));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(targets.size(), 16), r -> {
            Thread t = new Thread(r, "kb-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ProbeReport>> futures = new ArrayList<>();
            for (ProbeTarget t : targets) {
                futures.add(pool.submit(() -> probe(t, o)));
            }
            List<ProbeReport> out = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    out.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    out.add(failed(targets.get(i), "", "internal error: " + e.getCause(), 0));
                }
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("probe interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Name resolution, replaceable in tests (which must not query any resolver outside loopback). */
    interface Resolver {
        InetAddress resolve(String host) throws UnknownHostException;
    }

    /** Probes one target. Never throws for anything the network or the server does. */
    public static ProbeReport probe(ProbeTarget target, Options o) {
        return probe(target, o, InetAddress::getByName);
    }

    static ProbeReport probe(ProbeTarget target, Options o, Resolver resolver) {
        long start = System.nanoTime();
        InetAddress ip;
        try {
            ip = resolver.resolve(target.host());
        } catch (UnknownHostException e) {
            return failed(target, "", "unknown host " + target.host(), start);
        } catch (SecurityException e) {
            return failed(target, "", "not allowed to resolve " + target.host() + ": " + e.getMessage(), start);
        }
        Target t = new Target(target, o, ip, start);
        Versions v = Versions.check(t);
        if (v.main() == null) {
            return failed(target, t.addr(), v.first().detail(), start);
        }
        Handshakes h = Handshakes.check(t, v);
        Chains c = Chains.check(t, v, h);
        Renegotiation r = Renegotiation.check(v);
        ClientCertificate cc = ClientCertificate.check(v, h);
        HttpChecks http = HttpChecks.check(t, v, h, cc);
        return report(t, v, h, c, r, http);
    }

    /*
     * The probe of one target is a sequence of checks, each a function of the target and the results
     * before it, giving an immutable result with its own notes (the sslyze shape): the versions it
     * accepts, the handshakes with and without SNI and one full handshake, the chains and their checks,
     * renegotiation, the client-certificate request, the HTTP checks. The report and the raw facts (the
     * capture's types) are built from the results. The whole is bounded by the target's time budget.
     */

    /** What every check reads: the target, its address, the names to ask for and check, the time budget. */
    record Target(ProbeTarget target, Options o, InetSocketAddress address, String source, String addr, String checkName,
                  String sniName, long start, long deadline) {
        Target(ProbeTarget target, Options o, InetAddress ip, long start) {
            this(target, o, new InetSocketAddress(ip, target.port()), EvidenceRef.live(target.toString()), ip.getHostAddress(),
                    checkName(target, o), o.noSni() ? "" : checkName(target, o), start,
                    start + (long) BUDGET_STEPS * o.timeoutMillis() * 1_000_000L);
        }

        private static String checkName(ProbeTarget target, Options o) {
            return o.sni() != null && !o.sni().isBlank() ? o.sni().strip() : target.literal() ? "" : target.host();
        }

        boolean late() {
            return System.nanoTime() > deadline;
        }
    }

    /**
     * Which versions are accepted, with the name as the devices would ask. {@code main} is the attempt
     * the other checks build on (TLS 1.2 if taken, its certificates are in clear; else TLS 1.3; else the
     * best taken); null when the target cannot be reached. {@code starttls}: a mail port where the
     * server greets in plaintext, so every connection asks for TLS that way first.
     */
    record Versions(HelloAttempt first, String starttls, Map<Integer, HelloAttempt> attempts, Map<String, String> accepted,
                    int primary, HelloAttempt main, List<String> notes) {
        static Versions check(Target t) {
            List<String> notes = new ArrayList<>();
            HelloAttempt first = HelloAttempt.run(t.address(), 0x0303, t.sniName(), t.o().timeoutMillis());
            String starttls = null;
            if (first.result() == HelloAttempt.Result.STARTTLS_NEEDED) {
                starttls = first.mailProtocol();
                notes.add(first.detail() + ": every connection of this probe asked for TLS that way first; the HTTP checks do not apply");
                first = HelloAttempt.run(t.address(), 0x0303, t.sniName(), t.o().timeoutMillis(), starttls);
            }
            if (first.result() == HelloAttempt.Result.CONNECT_FAILED) {
                return new Versions(first, starttls, Map.of(), Map.of(), 0x0303, null, List.copyOf(notes));
            }
            Map<Integer, HelloAttempt> scan = new LinkedHashMap<>();
            scan.put(0x0303, first);
            for (int v : VERSIONS) {
                if (!scan.containsKey(v)) {
                    if (t.late()) {
                        notes.add("version check of " + TlsCodes.version(v) + " skipped: the target used up its time budget");
                        continue;
                    }
                    scan.put(v, HelloAttempt.run(t.address(), v, t.sniName(), t.o().timeoutMillis(), starttls));
                }
            }
            Map<String, String> versions = new LinkedHashMap<>();
            for (int v : VERSIONS) {
                HelloAttempt a = scan.get(v);
                versions.put(TlsCodes.version(v), a == null ? "not checked" : a.accepted() ? "accepted" : refusal(a));
            }
            int primary = 0x0303;
            if (!first.accepted()) {
                for (int v : new int[] {0x0304, 0x0302, 0x0301}) {
                    if (scan.get(v) != null && scan.get(v).accepted()) {
                        primary = v;
                        break;
                    }
                }
            }
            return new Versions(first, starttls, java.util.Collections.unmodifiableMap(scan), java.util.Collections.unmodifiableMap(versions),
                    primary, scan.get(primary), List.copyOf(notes));
        }
    }

    /** The hellos with and without SNI, and one full handshake through JSSE (it shows what hellos cannot: TLS 1.3 certificates). */
    record Handshakes(HelloAttempt withSni, HelloAttempt withoutSni, LiveTls.Session session, LiveTls.Session sessionNoSni,
                      List<String> notes) {
        static Handshakes check(Target t, Versions v) {
            List<String> notes = new ArrayList<>();
            HelloAttempt withSni = t.sniName().isEmpty() ? null : v.main();
            HelloAttempt withoutSni = t.sniName().isEmpty() ? v.main() : t.late() ? null
                    : HelloAttempt.run(t.address(), v.primary(), null, t.o().timeoutMillis(), v.starttls());
            if (withoutSni == null) {
                notes.add("handshake without SNI skipped: the target used up its time budget");
            }
            LiveTls.Session session = t.late() ? null : LiveTls.handshake(t.address(), t.sniName(), t.o().timeoutMillis(), v.starttls());
            LiveTls.Session sessionNoSni = null;
            if (v.primary() == 0x0304 && !t.sniName().isEmpty() && !t.late()) {
                sessionNoSni = LiveTls.handshake(t.address(), "", t.o().timeoutMillis(), v.starttls());
            }
            if (session != null && !session.established() && !session.error().isEmpty()) {
                notes.add("full handshake (JDK TLS client" + (t.sniName().isEmpty() ? ", no SNI" : ", SNI " + t.sniName()) + ") failed: "
                        + session.error());
            }
            return new Handshakes(withSni, withoutSni, session, sessionNoSni, List.copyOf(notes));
        }

        /** The session of the handshake without SNI (the main one when no name is sent at all). */
        LiveTls.Session noSniSession(Target t) {
            return t.sniName().isEmpty() ? session : sessionNoSni;
        }
    }

    /** The chains presented with and without SNI, checked strictly; the one without SNI kept only when its leaf differs. */
    record Chains(List<CertificateInfo> certs, List<CertificateInfo> certsNoSni, Chain chain, ChainCheck check, Chain chainNoSni,
                  ChainCheck checkNoSni, List<String> notes) {
        static Chains check(Target t, Versions v, Handshakes h) {
            List<String> notes = new ArrayList<>();
            List<CertificateInfo> certs = certificates(v.main(), h.session(), notes, t.source());
            List<CertificateInfo> certsNoSni = h.withoutSni() == v.main() ? certs
                    : certificates(h.withoutSni(), h.sessionNoSni(), notes, t.source());
            Instant now = Instant.now();
            ChainCheck check = null;
            Chain chain = null;
            ChainCheck checkNoSni = null;
            Chain chainNoSni = null;
            if (!certs.isEmpty()) {
                check = ChainCheck.check(certs, t.o().trust(), t.checkName(), now);
                chain = Probe.chain(certs, check);
            }
            if (!certsNoSni.isEmpty()) {
                checkNoSni = ChainCheck.check(certsNoSni, t.o().trust(), t.checkName(), now);
                if (certs.isEmpty() || !certsNoSni.get(0).sha256().equals(certs.get(0).sha256())) {
                    chainNoSni = Probe.chain(certsNoSni, checkNoSni);
                }
            }
            if (!certs.isEmpty()) {
                weakness(certs, notes);
            }
            return new Chains(certs, certsNoSni, chain, check, chainNoSni, checkNoSni, List.copyOf(notes));
        }
    }

    /** Secure renegotiation (RFC 5746), as the server's hello says. */
    record Renegotiation(String secure, List<String> notes) {
        static Renegotiation check(Versions v) {
            String reneg = "unknown";
            TlsConversation mc = v.main().conversation();
            if (mc != null && mc.serverHello() != null) {
                reneg = mc.serverHello().tls13() ? "not applicable (TLS 1.3 has no renegotiation)"
                        : mc.serverHello().renegotiation() ? "yes" : "no";
            }
            return new Renegotiation(reneg, reneg.equals("no")
                    ? List.of("the server does not support secure renegotiation (RFC 5746): clients that require it refuse to connect")
                    : List.of());
        }
    }

    /** Whether and how the server asks for a client certificate; the issuers it names. */
    record ClientCertificate(String how, ProbeReport.ClientCertificateAsk asked, List<String> issuers) {
        static final ClientCertificate NOT_ASKED = new ClientCertificate("not asked", ProbeReport.ClientCertificateAsk.NOT_ASKED, List.of());

        /** In the handshake, as the hellos and the full handshake show (the HTTP checks see a request by renegotiation). */
        static ClientCertificate check(Versions v, Handshakes h) {
            TlsConversation mc = v.main().conversation();
            if (mc != null && mc.certificateRequest() != null) {
                return new ClientCertificate("in the handshake", ProbeReport.ClientCertificateAsk.IN_HANDSHAKE,
                        mc.certificateRequest().authorities());
            }
            if (h.session() != null && h.session().certificateRequest().equals("handshake")) {
                return new ClientCertificate("in the handshake", ProbeReport.ClientCertificateAsk.IN_HANDSHAKE, h.session().acceptedIssuers());
            }
            return NOT_ASKED;
        }
    }

    /**
     * ActiveSync, Autodiscover and EWS answers without credentials, where the full handshake went
     * through; {@code clientCertificate} is the handshake's finding, or a request by renegotiation one
     * of these requests met.
     */
    record HttpChecks(List<ProbeReport.Http> results, List<HttpExchange> facts, ClientCertificate clientCertificate, List<String> notes) {
        static HttpChecks check(Target t, Versions v, Handshakes h, ClientCertificate inHandshake) {
            List<ProbeReport.Http> results = new ArrayList<>();
            List<HttpExchange> facts = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            ClientCertificate cert = inHandshake;
            if (!t.o().http() || h.session() == null || !h.session().established() || v.starttls() != null) {
                return new HttpChecks(List.of(), List.of(), cert, List.of());
            }
            String host = t.checkName().isEmpty() ? t.target().host() : t.checkName();
            for (String[] req : HTTP_CHECKS) {
                if (t.late()) {
                    notes.add(req[0] + " " + req[1] + " skipped: the target used up its time budget");
                    continue;
                }
                LiveTls.Http r = LiveTls.request(t.address(), t.sniName(), host, req[0], req[1], t.o().timeoutMillis());
                String cc = r.certificateRequest().isEmpty() ? "" : r.certificateRequest();
                results.add(new ProbeReport.Http(req[0] + " " + req[1], r.status(), r.statusLine(), r.authSchemes(), r.headers(),
                        cc.isEmpty() ? "not asked" : cc.equals("handshake") ? "in the handshake" : "by renegotiation after the request",
                        r.error()));
                if (cc.equals("renegotiation") && cert.asked() == ProbeReport.ClientCertificateAsk.NOT_ASKED) {
                    cert = new ClientCertificate("by renegotiation on " + req[1], ProbeReport.ClientCertificateAsk.BY_RENEGOTIATION,
                            r.acceptedIssuers());
                }
                String detail = req[0] + " " + req[1] + " -> " + (r.status() == 0 ? r.error() : r.statusLine())
                        + (r.authSchemes().isEmpty() ? "" : "; WWW-Authenticate: " + String.join(", ", r.authSchemes()))
                        + (cc.isEmpty() ? "" : "; client certificate asked " + (cc.equals("handshake") ? "in the handshake" : "by renegotiation"));
                facts.add(new HttpExchange(t.addr(), t.target().port(), req[0], req[1], r.status(), r.authSchemes(), cc,
                        List.of(new EvidenceRef(t.source(), req[0] + " " + req[1], detail))));
            }
            return new HttpChecks(List.copyOf(results), List.copyOf(facts), cert, List.copyOf(notes));
        }
    }

    /** The report: the raw facts a capture gives and the connection rows, handshakes, versions, chains, device verdicts, notes. */
    private static ProbeReport report(Target t, Versions v, Handshakes h, Chains c, Renegotiation r, HttpChecks http) {
        CollectResult out = new CollectResult();
        String source = t.source();
        int port = t.target().port();
        http.facts().forEach(out::fact);
        if (h.withSni() != null) {
            handshakeFact(out, source, t.addr(), port, h.withSni(), true, h.session(), c.certs());
        }
        if (h.withoutSni() != null) {
            handshakeFact(out, source, t.addr(), port, h.withoutSni(), false, h.noSniSession(t), c.certsNoSni());
        }
        if (c.check() != null) {
            chainFact(out, source, t.addr(), port, c.certs(), c.check(), t.checkName(),
                    t.sniName().isEmpty() ? "handshake without SNI" : "handshake with SNI");
        }
        if (c.checkNoSni() != null && c.chainNoSni() != null) {
            // the name is not part of what a hello without SNI asked for: the device table judges it
            chainFact(out, source, t.addr(), port, c.certsNoSni(), c.checkNoSni(), "", "handshake without SNI");
        }
        for (HelloAttempt a : v.attempts().values()) {
            out.connection(row(source, t.target(), a));
        }
        if (h.withoutSni() != null && h.withoutSni() != v.main()) {
            out.connection(row(source, t.target(), h.withoutSni()));
        }
        List<String> notes = new ArrayList<>();
        notes.addAll(v.notes());
        notes.addAll(h.notes());
        notes.addAll(c.notes());
        notes.addAll(r.notes());
        notes.addAll(http.notes());
        Handshake hs = h.withSni() == null ? null : handshake(h.withSni(), c.certs());
        Handshake hn = h.withoutSni() == null ? null : handshake(h.withoutSni(), c.certsNoSni());
        if (v.accepted().get("TLS 1.3").equals("accepted") && !v.accepted().get("TLS 1.2").equals("accepted")) {
            notes.add("TLS 1.3 only: devices without TLS 1.3 (every ActiveSync device of the Exchange 2010 era) cannot connect");
        }
        if (v.accepted().values().stream().noneMatch("accepted"::equals)) {
            notes.add("no protocol version was accepted with a plain hello (" + v.first().detail() + ")");
        }
        Chain shown = c.chain() != null ? c.chain() : c.chainNoSni();
        ClientCertificate cc = http.clientCertificate();
        List<ProbeReport.DeviceVerdict> devices = DeviceVerdicts.judge(t.o().devices(), t.checkName(), hs, hn, c.chain(), c.chainNoSni(), cc.asked());
        long millis = (System.nanoTime() - t.start()) / 1_000_000;
        int hellos = v.attempts().size() + (h.withoutSni() != v.main() && h.withoutSni() != null ? 1 : 0);
        out.examined("live probe of " + t.target() + " (" + t.addr() + "): " + hellos + " hellos, " + (h.session() == null ? 0 : 1)
                + " full handshake, " + http.results().size() + " HTTP requests in " + millis + " ms");
        return new ProbeReport(t.target().toString(), t.addr(), source, "", t.checkName(), hs, hn, v.accepted(), r.secure(), shown,
                c.chain() != null ? c.chainNoSni() : null, cc.how(), cc.asked(), cc.issuers(), http.results(), devices, notes, millis, out);
    }

    private static ProbeReport failed(ProbeTarget target, String address, String why, long start) {
        String source = EvidenceRef.live(target.toString());
        CollectResult out = new CollectResult();
        out.problem(new EvidenceProblem(source, "connect", EvidenceProblem.CONNECTIVITY, why));
        out.examined("live probe of " + target + ": not reachable (" + why + ")");
        return new ProbeReport(target.toString(), address, source, why, "", null, null, Map.of(), "unknown", null, null,
                "unknown", ProbeReport.ClientCertificateAsk.UNKNOWN, List.of(), List.of(), List.of(), List.of(),
                start == 0 ? 0 : (System.nanoTime() - start) / 1_000_000, out);
    }

    private static String refusal(HelloAttempt a) {
        TlsConversation t = a.conversation();
        if (a.result() == HelloAttempt.Result.ANSWERED && t != null && t.serverHello() != null) {
            return "refused: the server chose " + TlsCodes.version(t.serverHello().version());
        }
        return switch (a.result()) {
            case ALERT -> "refused: alert " + t.fatalAlert().name();
            case RESET -> "refused: reset";
            case CLOSED -> "refused: closed";
            case TIMEOUT -> "no answer (timeout)";
            case NOT_TLS -> "not TLS";
            case TOO_LARGE -> "answer too large";
            default -> a.detail();
        };
    }

    private static List<CertificateInfo> certificates(HelloAttempt a, LiveTls.Session s, List<String> notes, String source) {
        List<CertificateInfo> out = new ArrayList<>();
        if (a != null && a.conversation() != null && a.conversation().certificates() != null) {
            List<byte[]> ders = a.conversation().certificates();
            if (a.conversation().certificatesSent() > ders.size()) {
                notes.add("the server sent " + a.conversation().certificatesSent() + " certificates; only the first " + ders.size()
                        + " were examined (no real chain is that long)");
            }
            for (int i = 0; i < Math.min(ders.size(), MAX_CHAIN); i++) {
                try {
                    out.add(CertificateInfo.parse(ders.get(i)));
                } catch (CertificateException | RuntimeException e) {
                    notes.add("certificate " + i + " sent by the server is not a valid X.509 certificate: "
                            + org.exkb.engine.collect.tls.CertificateFile.why(e));
                    break;
                }
            }
            return out;
        }
        if (s != null) {
            for (X509Certificate x : s.chain()) {
                out.add(CertificateInfo.of(x));
            }
        }
        return out;
    }

    private static Chain chain(List<CertificateInfo> certs, ChainCheck check) {
        List<ProbeReport.Certificate> list = new ArrayList<>();
        for (CertificateInfo c : certs) {
            list.add(new ProbeReport.Certificate(c.subject(), c.issuer(), c.names(), c.notBefore().toString(), c.notAfter().toString(),
                    c.keyType() + (c.keyBits() > 0 ? " " + c.keyBits() : ""), c.signatureAlgorithm(), c.sha256(), c.caIssuers()));
        }
        String aia = "";
        String browser = switch (check.chain()) {
            case COMPLETE -> "complete";
            case ROOT_UNKNOWN -> "works only where " + check.anchoredAt() + " is installed as a trusted root (it is not a public root known here)";
            case INCOMPLETE, UNDECIDED -> {
                CertificateInfo last = certs.get(0);
                for (CertificateInfo c : certs) {
                    if (c.subject().equals(check.missingIssuer()) || c.issuer().equals(check.missingIssuer())) {
                        last = c;
                    }
                }
                aia = last.caIssuers().isEmpty() ? "" : last.caIssuers().get(0);
                String ifIntermediate = check.chain() == org.exkb.engine.model.ChainState.UNDECIDED
                        ? "if " + check.missingIssuer() + " is an intermediate: " : "";
                yield ifIntermediate + (aia.isEmpty()
                        ? "fails too, unless the browser already holds " + check.missingIssuer() + " (no AIA address to fetch it from)"
                        : "likely works: a browser fetches " + check.missingIssuer() + " from " + aia
                        + " (AIA) or has it cached, which is why the site works in a browser");
            }
            case EMPTY -> "fails: no certificate";
        };
        return new Chain(list, check.chain(), check.missingIssuer(), check.anchoredAt(), check.anchorTrusted(), check.publicRoot(), browser,
                aia, check.name(), check.dates(), check.notes(), check.dateNotes(), check.verdict());
    }

    private static void weakness(List<CertificateInfo> certs, List<String> notes) {
        CertificateInfo leaf = certs.get(0);
        if (leaf.keyType().equals("RSA") && leaf.keyBits() > 0 && leaf.keyBits() < 2048) {
            notes.add("the leaf key is RSA " + leaf.keyBits() + " bits: current clients refuse keys under 2048 bits");
        }
        for (CertificateInfo c : certs) {
            String alg = c.signatureAlgorithm().toUpperCase(Locale.ROOT);
            if (!c.selfIssued() && (alg.contains("SHA1") || alg.contains("MD5"))) {
                notes.add(c.subject() + " is signed with " + c.signatureAlgorithm() + ", which current clients refuse");
            }
        }
    }

    private static Handshake handshake(HelloAttempt a, List<CertificateInfo> certs) {
        TlsConversation t = a.conversation();
        String version = t != null && t.serverHello() != null ? TlsCodes.version(t.serverHello().version()) : "";
        return new Handshake(a.sni() ? a.serverName() : "", a.result(), version, a.detail(),
                certs.isEmpty() ? "" : certs.get(0).subject(), certs.size(), a.millis());
    }

    private static void handshakeFact(CollectResult out, String source, String addr, int port, HelloAttempt a, boolean sni,
                                      LiveTls.Session session, List<CertificateInfo> certs) {
        TlsConversation t = a.conversation();
        if (t == null) {
            return;
        }
        String endedBy = switch (a.result()) {
            case ALERT -> "alert";
            case RESET -> "reset";
            case CLOSED -> "close";
            case ANSWERED, TIMEOUT -> "";
            default -> null;
        };
        if (endedBy == null) {
            out.problem(new EvidenceProblem(source, sni ? "handshake with SNI" : "handshake without SNI", EvidenceProblem.MALFORMED,
                    a.detail()));
            return;
        }
        boolean answered = t.serverHello() != null;
        boolean established = a.result() == HelloAttempt.Result.ANSWERED;
        if (established && answered && t.serverHello().tls13() && session != null && !session.established()) {
            established = false; // TLS 1.3: only the full handshake shows whether it went through
            endedBy = "alert";
        }
        String alert = a.result() == HelloAttempt.Result.ALERT ? t.fatalAlert().name() : "";
        HandshakeOutcome outcome = HandshakeOutcome.of(established, answered, answered, true, !endedBy.isEmpty(), false);
        String version = answered ? TlsCodes.version(t.serverHello().version()) : "";
        String stage = outcome == HandshakeOutcome.ESTABLISHED ? "" : t.lastStepBefore(0);
        boolean requested = t.certificateRequest() != null || session != null && session.certificateRequest().equals("handshake");
        String leaf = certs.isEmpty() ? "" : certs.get(0).sha256();
        String locator = sni ? "handshake with SNI" : "handshake without SNI";
        String detail = "ClientHello " + (sni ? "with SNI " + a.serverName() : "without SNI") + " offering "
                + TlsCodes.version(a.offeredVersion()) + " to " + addr + ":" + port + ": " + a.detail() + " (" + a.millis() + " ms)";
        out.fact(new TlsHandshake(addr, port, Tri.of(sni), sni ? a.serverName() : "", false, version, outcome, stage, endedBy,
                false, alert, a.millis(), requested, leaf, false, 1, List.of(new EvidenceRef(source, locator, detail))));
    }

    private static void chainFact(CollectResult out, String source, String addr, int port, List<CertificateInfo> certs,
                                  ChainCheck check, String name, String locator) {
        out.fact(check.fact(addr, port, name, certs, 1, source, locator, addr + ":" + port));
    }

    private static ConnectionRow row(String source, ProbeTarget target, HelloAttempt a) {
        TlsConversation t = a.conversation();
        String version = t != null && t.serverHello() != null ? TlsCodes.version(t.serverHello().version()) : "";
        int n = t != null && t.certificates() != null ? t.certificates().size() : 0;
        return new ConnectionRow(source, 0, "probe (offers " + TlsCodes.version(a.offeredVersion()) + ")", target.toString(),
                a.sni() ? a.serverName() : "-", version, n == 0 ? "" : String.valueOf(n), a.detail(), List.of(), ConnectionRow.Kind.PROBE, null);
    }
}
