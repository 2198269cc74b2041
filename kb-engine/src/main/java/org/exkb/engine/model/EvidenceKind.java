package org.exkb.engine.model;

import java.util.List;
import java.util.stream.Stream;

/**
 * The kinds of evidence a case rests on, each with the raw facts it produces: the one place that says
 * which fact comes from which kind. Collectors declare the kinds they read; an evidence question names
 * the kind that answers it ({@link #request()}); the rule kit refuses diagnosis rules that match raw
 * facts instead of what the policy rules derive from them. A capture and a probe produce the same
 * types; a probe's facts carry evidence from {@link EvidenceRef#LIVE} sources.
 */
public enum EvidenceKind {
    /** What the user reports, the failing client, and answers: the case itself. */
    CASE(null, SymptomReport.class, DeviceProfile.class, Answer.class),
    /** Packet captures (pcap, pcapng, Network Monitor). */
    CAPTURE("capture", TlsHandshake.class, PresentedChain.class, TlsRenegotiation.class, PlainConnection.class),
    /** Live handshakes and HTTP checks of `kb probe`. */
    PROBE("probe", TlsHandshake.class, PresentedChain.class, TlsRenegotiation.class, PlainConnection.class, HttpExchange.class),
    /** IIS W3C and HTTP.sys error logs. */
    LOGS("logs", EasRequests.class, EasAddress.class, EasServerLoad.class, HttpErrors.class, PingTimes.class),
    /** Windows event logs and their exports. */
    EVENTS("events", WindowsEvent.class);

    private final String request;
    private final List<Class<?>> rawFacts;

    EvidenceKind(String request, Class<?>... rawFacts) {
        this.request = request;
        this.rawFacts = List.of(rawFacts);
    }

    /** The name an evidence question uses for this kind ({@code capture}, {@code probe}, {@code logs}, {@code events}), or null for the case. */
    public String request() {
        return request;
    }

    public List<Class<?>> rawFacts() {
        return rawFacts;
    }

    /** The names evidence questions may use. */
    public static List<String> requests() {
        return Stream.of(values()).map(EvidenceKind::request).filter(r -> r != null).toList();
    }

    /** Every raw fact type, once. */
    public static List<Class<?>> allRawFacts() {
        return Stream.of(values()).flatMap(k -> k.rawFacts.stream()).distinct().toList();
    }

    /** The kind a raw fact type (by its simple name) comes from, a capture's and a probe's told apart by {@code live}; null for others. */
    public static EvidenceKind ofType(String simpleName, boolean live) {
        for (EvidenceKind k : values()) {
            if (k.rawFacts.stream().anyMatch(c -> c.getSimpleName().equals(simpleName))) {
                return k == CAPTURE && live || simpleName.equals(HttpExchange.class.getSimpleName()) ? PROBE : k;
            }
        }
        return null;
    }

    /** The kind a raw fact comes from (a capture's and a probe's are told apart by their evidence), or null for other facts. */
    public static EvidenceKind of(Object fact) {
        if (fact instanceof HttpExchange) {
            return PROBE;
        }
        for (EvidenceKind k : values()) {
            if (k != PROBE && k.rawFacts.stream().anyMatch(c -> c.isInstance(fact))) {
                if (k == CAPTURE && fact instanceof HasEvidence h && h.evidence().stream().anyMatch(EvidenceRef::live)) {
                    return PROBE;
                }
                return k;
            }
        }
        return null;
    }
}
