package org.exkb.engine.probe;

import java.util.ArrayList;
import java.util.List;
import org.exkb.engine.knowledge.DeviceDef;
import org.exkb.engine.model.CertificateDates;
import org.exkb.engine.model.ChainState;
import org.exkb.engine.model.NameCoverage;
import org.exkb.engine.probe.ProbeReport.Chain;
import org.exkb.engine.probe.ProbeReport.DeviceVerdict;
import org.exkb.engine.probe.ProbeReport.Handshake;

/**
 * Applies each catalogued device's documented behaviour (SNI, intermediate handling, root store,
 * client certificates) to what the probe saw. A capability the catalogue does not state is never
 * read as "no": when it matters, the verdict is {@code unknown} and says what is not known.
 */
public final class DeviceVerdicts {
    public static final String WORKS = "works";
    public static final String FAILS = "fails";
    public static final String AT_RISK = "at_risk";
    public static final String UNKNOWN = "unknown";

    private DeviceVerdicts() {
    }

    /**
     * @param name       the published name the device asks for ("" when probing an address without a name)
     * @param withSni    the handshake with SNI, or null
     * @param withoutSni the handshake without SNI, or null
     * @param chain      the chain presented with SNI (or for the only handshake made)
     * @param chainNoSni the chain presented without SNI when its leaf differs, else null
     */
    public static List<DeviceVerdict> judge(List<DeviceDef> devices, String name, Handshake withSni, Handshake withoutSni,
                                            Chain chain, Chain chainNoSni, ProbeReport.ClientCertificateAsk clientCertificate) {
        List<DeviceVerdict> out = new ArrayList<>();
        for (DeviceDef d : devices) {
            out.add(judge(d, name, withSni, withoutSni, chain, chainNoSni, clientCertificate));
        }
        return out;
    }

    static DeviceVerdict judge(DeviceDef d, String name, Handshake withSni, Handshake withoutSni, Chain chain,
                               Chain chainNoSni, ProbeReport.ClientCertificateAsk clientCertificate) {
        List<String> fails = new ArrayList<>();
        List<String> risks = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        List<String> fine = new ArrayList<>();
        Handshake h;
        Chain c;
        Boolean sni = d.sendsSni();
        if (Boolean.FALSE.equals(sni) || withSni == null) {
            h = withoutSni;
            c = chainNoSni != null ? chainNoSni : chain;
        } else {
            h = withSni;
            c = chain;
        }
        if (sni == null && withSni != null && withoutSni != null) {
            boolean noSniRefused = answered(withSni) && !answered(withoutSni);
            boolean otherCert = chainNoSni != null && chainNoSni.name() != NameCoverage.COVERED;
            if (noSniRefused || otherCert) {
                unknown.add("the catalogue does not say whether it sends SNI; without SNI the server "
                        + (noSniRefused ? "refuses the handshake (" + withoutSni.detail() + ")"
                        : "presents " + leaf(chainNoSni) + ", which does not cover " + name));
            }
        }
        if (h == null) {
            unknown.add("the handshake it would make was not probed");
        } else if (!answered(h)) {
            fails.add((Boolean.FALSE.equals(sni) ? "sends no SNI, and the server turns hellos without SNI away: "
                    : "the server refuses the handshake: ") + h.detail());
        } else if (c != null) {
            if (Boolean.FALSE.equals(sni) && chainNoSni != null && !name.isEmpty()) {
                fine.add("without SNI it gets " + leaf(chainNoSni));
            }
            if (c.dates() != CertificateDates.IN_DATE) {
                fails.add("a certificate in the chain is " + c.dates().word().replace('_', ' ') + ": " + String.join("; ", c.dateNotes()));
            }
            if (c.name() == NameCoverage.NOT_COVERED) {
                fails.add("the certificate " + leaf(c) + " does not cover " + name
                        + (Boolean.FALSE.equals(sni) ? " (it is what the server presents without SNI)" : ""));
            }
            switch (c.strict()) {
                case INCOMPLETE, UNDECIDED -> {
                    boolean undecided = c.strict() == ChainState.UNDECIDED;
                    String missing = undecided
                            ? "the server sends only its own certificate; if its issuer " + c.missingIssuer() + " is an intermediate (not your root), it is missing"
                            : "the server does not send the intermediate " + c.missingIssuer();
                    boolean aia = !c.aia().isEmpty();
                    if (Boolean.FALSE.equals(d.completesChain())) {
                        (undecided ? risks : fails).add(missing + ", and " + d.name() + " cannot fetch it (it needs the whole chain from the server)");
                    } else if (Boolean.TRUE.equals(d.completesChain()) && aia) {
                        fine.add(missing + ", but " + d.name() + " fetches or caches missing intermediates (" + c.browser() + ")");
                    } else if (Boolean.TRUE.equals(d.completesChain())) {
                        (undecided ? risks : fails).add(missing + ", and the certificate gives no address (AIA) to fetch it from: "
                                + d.name() + " connects only if it already holds it");
                    } else {
                        risks.add(missing + "; the catalogue does not say whether " + d.name() + " can fetch it");
                    }
                }
                case COMPLETE, ROOT_UNKNOWN -> {
                    if (!c.publicRoot() && Boolean.TRUE.equals(d.limitedRootStore())) {
                        risks.add("the chain ends at " + c.root() + ", a private root: " + d.name()
                                + " trusts only a small set of roots, so it connects only if that root was added to its store");
                    } else if (!c.publicRoot()) {
                        fine.add("the whole chain is sent, up to " + c.root() + ", a private root"
                                + (c.rootTrusted() ? "" : " (not known here)") + ": it works where that root is installed as trusted");
                    } else if (Boolean.TRUE.equals(d.limitedRootStore())) {
                        risks.add(d.name() + " trusts only a small set of roots: check that " + c.root() + " is among them");
                    } else {
                        fine.add("the whole chain is sent, up to " + c.root());
                    }
                }
                default -> unknown.add("no certificate was seen for the handshake it would make");
            }
            if (clientCertificate == ProbeReport.ClientCertificateAsk.IN_HANDSHAKE && !Boolean.TRUE.equals(d.clientCertificates())) {
                risks.add("the server asks for a client certificate in the handshake"
                        + (Boolean.FALSE.equals(d.clientCertificates()) ? " and " + d.name() + " cannot present one"
                        : "; the catalogue does not say whether " + d.name() + " can present one"));
            }
        } else {
            unknown.add("no certificate was seen for the handshake it would make");
        }
        String verdict = !fails.isEmpty() ? FAILS : !risks.isEmpty() ? AT_RISK : !unknown.isEmpty() ? UNKNOWN : WORKS;
        List<String> reasons = new ArrayList<>(fails);
        reasons.addAll(risks);
        reasons.addAll(unknown);
        if (reasons.isEmpty()) {
            reasons.addAll(fine);
            if (reasons.isEmpty()) {
                reasons.add("nothing this device is known to need is missing");
            }
        }
        return new DeviceVerdict(d.id(), d.name(), verdict, List.copyOf(reasons));
    }

    private static boolean answered(Handshake h) {
        return h.result() == HelloAttempt.Result.ANSWERED;
    }

    private static String leaf(Chain c) {
        if (c.certificates().isEmpty()) {
            return "no certificate";
        }
        ProbeReport.Certificate l = c.certificates().get(0);
        return l.subject() + (l.names().isEmpty() ? "" : " (" + String.join(", ", l.names()) + ")");
    }
}
