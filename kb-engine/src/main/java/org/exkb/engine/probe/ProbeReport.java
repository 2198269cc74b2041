package org.exkb.engine.probe;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;
import org.exkb.engine.collect.CollectResult;

/**
 * What the live probe found for one target. Serialised as is into the JSON output ({@code targets}).
 *
 * @param target       as given, {@code host:port}
 * @param address      the address connected to, or empty when it could not be resolved
 * @param source       the evidence source of its facts, {@code live:host:port}
 * @param error        why the target could not be probed at all, or empty
 * @param name         the name sent as SNI and checked against the certificate, or empty
 * @param withSni      the handshake with SNI (null when no name is known or with --no-sni)
 * @param withoutSni   the handshake without SNI
 * @param versions     per protocol version: {@code accepted}, or what happened instead
 * @param secureRenegotiation {@code yes}, {@code no} or {@code unknown} (RFC 5746 renegotiation_info)
 * @param chain        the chain presented for the name (with SNI when sent), checked strictly and browser-style
 * @param chainWithoutSni the chain presented without SNI, when it differs from {@code chain}
 * @param clientCertificate where the server asks for a client certificate: {@code not asked},
 *                     {@code in the handshake}, or {@code by renegotiation on PATH}
 * @param clientCertificateAsked the same as a field
 * @param acceptedIssuers the CA names the server accepts for client certificates
 * @param http         the HTTP checks
 * @param devices      the per-device verdicts
 * @param notes        other observations (weak key, SHA-1 signature, TLS 1.3 only...)
 * @param millis       wall time for this target
 */
public record ProbeReport(String target, String address, String source, String error, String name,
                          Handshake withSni, Handshake withoutSni, Map<String, String> versions,
                          String secureRenegotiation, Chain chain, Chain chainWithoutSni, String clientCertificate,
                          ClientCertificateAsk clientCertificateAsked, List<String> acceptedIssuers, List<Http> http, List<DeviceVerdict> devices,
                          List<String> notes, long millis, @JsonIgnore CollectResult collected) {

    /** When the server asks for a client certificate, as a field ({@code clientCertificate} says it in words, with the path). */
    public enum ClientCertificateAsk {
        NOT_ASKED, IN_HANDSHAKE, BY_RENEGOTIATION, UNKNOWN;

        @com.fasterxml.jackson.annotation.JsonValue
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One handshake attempt: {@code result} is answered, alert, reset, closed, timeout, not_tls, too_large or connect_failed. */
    public record Handshake(String sni, HelloAttempt.Result result, String version, String detail, String leaf, int certificates,
                            long millis) {
    }

    /** A certificate as presented. */
    public record Certificate(String subject, String issuer, List<String> names, String notBefore, String notAfter,
                              String key, String signature, String sha256, List<String> caIssuers) {
    }

    /**
     * A presented chain and its checks.
     *
     * @param strict    what the presented certificates and the known roots prove (see ChainState)
     * @param browser   what a browser would make of it (it fetches a missing issuer from the AIA address or its cache)
     * @param aia       the address (AIA caIssuers) a missing issuer can be fetched from, or empty
     * @param name      whether the leaf covers the name asked for
     * @param dates     whether the path is in date, now
     * @param dateNotes one note per certificate out of date
     */
    public record Chain(List<Certificate> certificates, org.exkb.engine.model.ChainState strict, String missingIssuer, String root,
                        boolean rootTrusted, boolean publicRoot, String browser, String aia, org.exkb.engine.model.NameCoverage name,
                        org.exkb.engine.model.CertificateDates dates, List<String> notes, List<String> dateNotes, String verdict) {
    }

    /** One HTTP check. */
    public record Http(String request, int status, String statusLine, List<String> authSchemes,
                       Map<String, String> headers, String clientCertificate, String error) {
    }

    /** How one catalogued device would fare: {@code works}, {@code fails}, {@code at_risk} or {@code unknown}. */
    public record DeviceVerdict(String device, String name, String verdict, List<String> reasons) {
    }
}
