package org.exkb.engine.collect.tls;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.exkb.engine.model.CertificateDates;
import org.exkb.engine.model.ChainState;
import org.exkb.engine.model.NameCoverage;

/**
 * Checks a chain as presented, the way a strict device does: from the presented certificates plus
 * what is known here and nothing else (no AIA fetching, no cached intermediates). RFC 5246 section
 * 7.4.2 and RFC 8446 section 4.4.2 ask the server to send every certificate up to, optionally
 * excluding, the root; so an issuer that was not sent is a fault only where it is known to be an
 * intermediate. What decides it (see {@link ChainState}): the trust anchors (the JDK's, roots the user
 * gave), intermediates the user gave, and what the certificates themselves say (self-issued, CA flag).
 *
 * @param chain           what the chain proves
 * @param missingIssuer   the issuer that was not sent (for {@code ROOT_UNKNOWN} the assumed root when it was not sent), or ""
 * @param anchoredAt      the root the chain reached or is taken to end at, or ""
 * @param anchorTrusted   the root is among the trust anchors (not only sent by the server, or assumed)
 * @param publicRoot      the root is in the JDK's trust store (not one the user gave, sent or assumed)
 * @param name            whether the leaf covers the name asked for
 * @param dates           whether the path is in date at {@code at}
 * @param verdict         one plain sentence saying which of the chain states this is and why
 * @param notes           further details (which certificate is out of date, what was sent but not used)
 * @param dateNotes       the notes about dates alone, one per certificate out of date
 */
public record ChainCheck(ChainState chain, String missingIssuer, String anchoredAt, boolean anchorTrusted, boolean publicRoot,
                         NameCoverage name, CertificateDates dates, String verdict, List<String> notes, List<String> dateNotes) {
    public static final int MAX_DEPTH = 16;

    public ChainCheck {
        notes = List.copyOf(notes);
        dateNotes = List.copyOf(dateNotes);
    }

    public static ChainCheck check(List<CertificateInfo> presented, TrustAnchors anchors, String host, Instant at) {
        List<String> notes = new ArrayList<>();
        if (presented.isEmpty()) {
            return new ChainCheck(ChainState.EMPTY, "", "", false, false, NameCoverage.NOT_REQUESTED, CertificateDates.IN_DATE,
                    "The server sent no certificate.", List.of(), List.of());
        }
        CertificateInfo leaf = presented.get(0);
        List<CertificateInfo> used = new ArrayList<>();
        CertificateInfo current = leaf;
        X509Certificate anchor = null;
        boolean selfSent = false;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            used.add(current);
            anchor = trustedIssuer(current, anchors);
            if (anchor != null) {
                break;
            }
            if (current.selfIssued() && current.signedBy(current.certificate())) {
                selfSent = true;
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
                break;
            }
            current = next;
        }
        ChainState state;
        String missing = "";
        String root = "";
        boolean trusted = false;
        boolean isPublic = false;
        String verdict;
        int sent = presented.size();
        String count = sent == 1 ? "its own certificate" : used.size() + " certificate" + (used.size() == 1 ? "" : "s");
        if (anchor != null) {
            state = ChainState.COMPLETE;
            root = CertificateInfo.name(anchor.getSubjectX500Principal());
            trusted = true;
            isPublic = !anchors.given(anchor);
            verdict = "The chain is complete: the server sends " + count + " up to " + shortName(root) + ", "
                    + (isPublic ? "a root in the JDK's trust store" : "a root you gave") + ".";
        } else if (selfSent) {
            state = ChainState.ROOT_UNKNOWN;
            root = current.subject();
            verdict = current == leaf
                    ? "The server's certificate is self-signed (" + shortName(root) + "): every device must have this very certificate installed as trusted."
                    : "The chain is complete up to " + shortName(root) + ", a root the server sends but which is not known here:"
                    + " devices must have it in their own trusted roots" + giveIt(root) + ".";
        } else {
            missing = current.issuer();
            X509Certificate known = knownIntermediate(current, anchors);
            String where = current.caIssuers().isEmpty() ? "" : " (its address in the certificate, AIA: " + current.caIssuers().get(0) + ")";
            if (known != null) {
                state = ChainState.INCOMPLETE;
                verdict = "The chain is incomplete: the server does not send " + shortName(missing) + ", the intermediate that issued "
                        + shortName(current.subject()) + " (you gave a copy of it"
                        + (current.caIssuers().isEmpty() ? "" : "; its address in the certificate, AIA: " + current.caIssuers().get(0))
                        + "); a device that does not fetch missing certificates cannot build the path.";
            } else if (anchors.hasGivenRoots() && sameNameGiven(missing, anchors)) {
                // a root with this very name was given but does not verify the certificate: a CA renewed with a new key, or a look-alike
                state = current != leaf && current.ca() ? ChainState.ROOT_UNKNOWN : ChainState.UNDECIDED;
                root = state == ChainState.ROOT_UNKNOWN ? missing : "";
                verdict = "Whether the chain is complete cannot be told from the root you gave: " + shortName(current.subject()) + " names "
                        + shortName(missing) + " as its issuer, and a root of that name was given, but its key does not verify the"
                        + " certificate (a CA renewed with a new key, or another CA of the same name); give the certificate whose key issued it"
                        + where + ".";
            } else if (anchors.hasGivenRoots()) {
                state = ChainState.INCOMPLETE;
                verdict = "The chain is incomplete: it stops at " + shortName(missing) + ", which the server does not send and which is none"
                        + " of the roots you gave (" + givenNames(anchors) + "), so it is an intermediate the server must send" + where
                        + "; a device that does not fetch missing certificates cannot build the path.";
            } else if (current != leaf && current.ca()) {
                state = ChainState.ROOT_UNKNOWN;
                root = missing;
                verdict = "The chain is complete up to " + shortName(missing) + ", which the server does not send and which is not known"
                        + " here: the last certificate sent (" + shortName(current.subject()) + ") is a CA certificate, so "
                        + shortName(missing) + " is taken to be the root, which servers need not send; devices must have it in their"
                        + " own trusted roots" + giveIt(missing) + ".";
            } else {
                state = ChainState.UNDECIDED;
                verdict = "Whether the chain is complete cannot be told: the server sends only " + count + ", issued by "
                        + shortName(missing) + ", which is neither sent nor known here. If " + shortName(missing)
                        + " is your organisation's root CA (a one-tier CA), nothing is missing; if it is an intermediate, the server must"
                        + " send it" + where + ". Give the root with --trust FILE (or as a file in the case) to decide.";
            }
        }
        for (CertificateInfo c : presented) {
            if (!used.contains(c)) {
                notes.add("sent but not part of the path: " + CertificateInfo.display(c.subject()));
            }
        }
        CertificateDates dates = CertificateDates.IN_DATE;
        List<String> dateNotes = new ArrayList<>();
        for (CertificateInfo c : used) {
            if (at.isAfter(c.notAfter())) {
                dates = CertificateDates.EXPIRED;
                dateNotes.add("expired " + c.notAfter() + ": " + CertificateInfo.display(c.subject()));
            } else if (at.isBefore(c.notBefore())) {
                dates = dates == CertificateDates.EXPIRED ? dates : CertificateDates.NOT_YET_VALID;
                dateNotes.add("not valid before " + c.notBefore() + ": " + CertificateInfo.display(c.subject()));
            }
        }
        notes.addAll(dateNotes);
        NameCoverage name = NameCoverage.NOT_REQUESTED;
        if (host != null && !host.isEmpty()) {
            name = leaf.covers(host) ? NameCoverage.COVERED : NameCoverage.NOT_COVERED;
            if (name == NameCoverage.NOT_COVERED) {
                notes.add(0, "the certificate names " + String.join(", ", leaf.names()) + ", not " + host);
            }
        }
        return new ChainCheck(state, missing, root, trusted, isPublic, name, dates, verdict, notes, dateNotes);
    }

    /**
     * The fact for this check: {@code detail} says where the chain was seen (it follows the verdict,
     * so the sentence that explains the chain comes first in every report).
     */
    public org.exkb.engine.model.PresentedChain fact(String address, int port, String requestedName, List<CertificateInfo> presented,
                                                     long count, String source, String locator, String where) {
        CertificateInfo leaf = presented.get(0);
        String detail = explanation() + " Certificate (" + presented.size() + ") from " + where + ": " + CertificateInfo.display(leaf.subject())
                + " issued by " + CertificateInfo.display(leaf.issuer()) + ", valid " + leaf.notBefore() + " to " + leaf.notAfter();
        return new org.exkb.engine.model.PresentedChain(address, port, requestedName, leaf.subject(), presented.size(), chain, missingIssuer,
                anchoredAt, publicRoot, requestedName.isEmpty() ? NameCoverage.NOT_REQUESTED : name, dates, count,
                List.of(new org.exkb.engine.model.EvidenceRef(source, locator, detail)));
    }

    /** The verdict, then the notes: the sentence that explains the chain comes first. */
    public String explanation() {
        return notes.isEmpty() ? verdict : verdict + " " + String.join("; ", notes) + ".";
    }

    private static String giveIt(String root) {
        return " (give " + shortName(root) + " with --trust FILE to check the path to it)";
    }

    private static boolean sameNameGiven(String issuer, TrustAnchors anchors) {
        for (X509Certificate r : anchors.givenRoots()) {
            if (CertificateInfo.name(r.getSubjectX500Principal()).equals(issuer)) {
                return true;
            }
        }
        return false;
    }

    private static String givenNames(TrustAnchors anchors) {
        List<String> names = new ArrayList<>();
        for (X509Certificate r : anchors.givenRoots()) {
            if (names.size() == 3) {
                names.add("...");
                break;
            }
            names.add(shortName(CertificateInfo.name(r.getSubjectX500Principal())));
        }
        return String.join(", ", names);
    }

    /** The common name of an RFC 2253 name, for sentences ("CN=Contoso Issuing CA 01"); the whole name when it has none. */
    static String shortName(String dn) {
        String readable = CertificateInfo.display(dn);
        for (String part : readable.split(", (?=[A-Za-z0-9.]+=)")) {
            if (part.regionMatches(true, 0, "CN=", 0, 3)) {
                return part;
            }
        }
        return readable;
    }

    private static X509Certificate trustedIssuer(CertificateInfo c, TrustAnchors anchors) {
        for (X509Certificate root : anchors.withSubject(c.certificate().getIssuerX500Principal())) {
            if (c.signedBy(root)) {
                return root;
            }
        }
        return null;
    }

    private static X509Certificate knownIntermediate(CertificateInfo c, TrustAnchors anchors) {
        for (X509Certificate i : anchors.givenIntermediates(c.certificate().getIssuerX500Principal())) {
            if (c.signedBy(i)) {
                return i;
            }
        }
        return null;
    }
}
