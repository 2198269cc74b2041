package org.exkb.engine.collect.tls;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.security.cert.X509Certificate;

/**
 * Checks a chain as presented, the way a strict device does: from the presented certificates plus
 * the trust anchors and nothing else (no AIA fetching, no cached intermediates). RFC 5246 section
 * 7.4.2 requires the server to send every certificate up to, optionally excluding, the root.
 *
 * @param chain           {@code complete} (reaches a root that was sent or is a known anchor),
 *                        {@code incomplete} (stops at an issuer that was not sent and is not a known
 *                        root), or {@code empty}
 * @param missingIssuer   the issuer name that was not sent, when incomplete
 * @param anchoredAt      the root the chain reached, when complete
 * @param anchorTrusted   the root is in the trust anchors (not only sent by the server)
 * @param name            {@code covered}, {@code not_covered}, or {@code not_requested} (no name known)
 * @param dates           {@code in_date}, {@code expired} or {@code not_yet_valid} at {@code at}
 * @param notes           human-readable details (which certificate is out of date, order problems)
 */
public record ChainCheck(String chain, String missingIssuer, String anchoredAt, boolean anchorTrusted, String name,
                         String dates, List<String> notes) {
    public static final int MAX_DEPTH = 16;

    public ChainCheck {
        notes = List.copyOf(notes);
    }

    public static ChainCheck check(List<CertificateInfo> presented, TrustAnchors anchors, String host, Instant at) {
        List<String> notes = new ArrayList<>();
        if (presented.isEmpty()) {
            return new ChainCheck("empty", "", "", false, "not_requested", "in_date", List.of("the server sent no certificate"));
        }
        CertificateInfo leaf = presented.get(0);
        String chain = "incomplete";
        String missing = "";
        String anchor = "";
        boolean trusted = false;
        List<CertificateInfo> used = new ArrayList<>();
        CertificateInfo current = leaf;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            used.add(current);
            X509Certificate root = trustedIssuer(current, anchors);
            if (root != null) {
                chain = "complete";
                anchor = CertificateInfo.name(root.getSubjectX500Principal());
                trusted = true;
                break;
            }
            if (current.selfIssued() && current.signedBy(current.certificate())) {
                chain = "complete";
                anchor = current.subject();
                trusted = false;
                break;
            }
            CertificateInfo next = null;
            for (CertificateInfo c : presented) {
                if (!used.contains(c) && current.signedBy(c.certificate())) {
                    next = c;
                    break;
                }
            }
            if (next == null) {
                missing = current.issuer();
                break;
            }
            current = next;
        }
        if (chain.equals("complete") && !trusted) {
            notes.add("the chain ends at a root the server sent, which is not among the trusted roots: " + anchor);
        }
        if (chain.equals("incomplete")) {
            notes.add("issuer not sent and not a known root: " + missing
                    + (current.caIssuers().isEmpty() ? "" : " (a client that fetches AIA would get it from " + current.caIssuers().get(0) + ")")
                    + "; if it is a private root, give it with --trust FILE");
        }
        for (CertificateInfo c : presented) {
            if (!used.contains(c)) {
                notes.add("sent but not part of the path: " + c.subject());
            }
        }
        String dates = "in_date";
        for (CertificateInfo c : used) {
            if (at.isAfter(c.notAfter())) {
                dates = "expired";
                notes.add("expired " + c.notAfter() + ": " + c.subject());
            } else if (at.isBefore(c.notBefore())) {
                dates = dates.equals("expired") ? dates : "not_yet_valid";
                notes.add("not valid before " + c.notBefore() + ": " + c.subject());
            }
        }
        String name = "not_requested";
        if (host != null && !host.isEmpty()) {
            name = leaf.covers(host) ? "covered" : "not_covered";
            if (name.equals("not_covered")) {
                notes.add("the certificate names " + String.join(", ", leaf.names()) + ", not " + host);
            }
        }
        return new ChainCheck(chain, missing, anchor, trusted, name, dates, notes);
    }

    private static X509Certificate trustedIssuer(CertificateInfo c, TrustAnchors anchors) {
        for (X509Certificate root : anchors.withSubject(c.certificate().getIssuerX500Principal())) {
            if (c.signedBy(root)) {
                return root;
            }
        }
        return null;
    }
}
