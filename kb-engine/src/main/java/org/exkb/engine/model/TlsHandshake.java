package org.exkb.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * Raw fact: TLS handshakes seen (in a capture, or made by the probe) that share one pattern - same
 * server, same SNI, same outcome at the same step - with how many there were and the first of them
 * as evidence. Policy rules turn these into indications.
 *
 * @param sni            whether the ClientHello carried server_name ({@code UNKNOWN} when the hello was not seen whole)
 * @param sslv2Hello     the hello was in SSL 2.0 format, which cannot carry extensions
 * @param outcome        how it turned out
 * @param stage          the last handshake step before the end, e.g. {@code ClientHello}
 * @param endedBy        {@code reset}, {@code alert}, {@code close} or empty
 * @param endedByClient  the client ended it (alert, reset or close), else the server
 * @param alert          the fatal alert in clear that ended it, or empty
 * @param reactionMillis time from the other side's last record to the end
 * @param leafCertificate SHA-256 of the server's leaf certificate, or empty when not seen
 * @param applicationData application data flowed both ways
 */
public record TlsHandshake(String serverAddress, int serverPort, Tri sni, String serverName, boolean sslv2Hello,
                           String version, HandshakeOutcome outcome, String stage, String endedBy, boolean endedByClient,
                           String alert, long reactionMillis, boolean clientCertificateRequested,
                           String leafCertificate, boolean applicationData, long count,
                           List<EvidenceRef> evidence) implements HasEvidence {
    public TlsHandshake {
        Objects.requireNonNull(serverAddress, "serverAddress");
        Objects.requireNonNull(sni, "sni");
        serverName = serverName == null ? "" : serverName;
        version = version == null ? "" : version;
        Objects.requireNonNull(outcome, "outcome");
        stage = stage == null ? "" : stage;
        endedBy = endedBy == null ? "" : endedBy;
        alert = alert == null ? "" : alert;
        leafCertificate = leafCertificate == null ? "" : leafCertificate;
        evidence = Evidence.copy(evidence);
    }

    /** Made by the live probe (source {@code live:...}), not seen in a capture: the probe is not the failing client. */
    public boolean live() {
        return !evidence.isEmpty() && evidence.get(0).live();
    }

    public String server() {
        return HostPort.of(serverAddress, serverPort);
    }

    @Override
    public String describe() {
        return count + " TLS handshake" + (count == 1 ? "" : "s") + " to " + server()
                + (sni == Tri.YES ? " with SNI " + serverName : sni == Tri.NO ? " without SNI" : " (SNI unknown)")
                + (sslv2Hello ? " (SSL 2.0-format hello)" : "") + ": " + outcome.word()
                + (stage.isEmpty() ? "" : " after " + stage) + (alert.isEmpty() ? "" : " (" + alert + ")")
                + (endedBy.isEmpty() ? "" : ", " + endedBy + " by the " + (endedByClient ? "client" : "server"));
    }
}
