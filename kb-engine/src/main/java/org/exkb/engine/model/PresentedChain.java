package org.exkb.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * Raw fact: a certificate chain a server presented, checked strictly (presented certificates plus
 * what is known here only) for the name the client asked for and at the time it was presented.
 *
 * @param requestedName the SNI host name the client asked for, or empty
 * @param chain         what the chain proves (see {@link ChainState})
 * @param missingIssuer the issuer that was not sent, or empty
 * @param root          the root the chain reaches or is taken to end at, or empty
 * @param publicRoot    that root is in the JDK's trust store (a public CA), not a private or unknown one
 * @param name          {@code covered}, {@code not_covered} or {@code not_requested}
 * @param dates         {@code in_date}, {@code expired} or {@code not_yet_valid}
 */
public record PresentedChain(String serverAddress, int serverPort, String requestedName, String leafSubject,
                             int certificates, ChainState chain, String missingIssuer, String root, boolean publicRoot,
                             NameCoverage name, CertificateDates dates, long count, List<EvidenceRef> evidence) implements HasEvidence {
    public PresentedChain {
        Objects.requireNonNull(serverAddress, "serverAddress");
        requestedName = requestedName == null ? "" : requestedName;
        Objects.requireNonNull(chain, "chain");
        missingIssuer = missingIssuer == null ? "" : missingIssuer;
        root = root == null ? "" : root;
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dates, "dates");
        evidence = Evidence.copy(evidence);
    }

    @Override
    public String describe() {
        return "chain of " + certificates + " from " + serverAddress + ":" + serverPort + " for "
                + (requestedName.isEmpty() ? "(no name asked)" : requestedName) + ": leaf " + leafSubject
                + ", chain " + chain.word() + (missingIssuer.isEmpty() ? "" : " (not sent: " + missingIssuer + ")")
                + ", name " + name.word() + ", " + dates.word();
    }
}
