package org.exkb.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * Raw fact: an HTTP request the live probe made without credentials, and what came back.
 *
 * @param status            the HTTP status, or 0 when no HTTP answer came back
 * @param authSchemes       the schemes offered in WWW-Authenticate (Basic, Negotiate, NTLM, ...)
 * @param clientCertificate {@code handshake} (asked in the first handshake), {@code renegotiation}
 *                          (asked after the request was sent) or empty (not asked)
 */
public record HttpExchange(String serverAddress, int serverPort, String method, String path, int status,
                           List<String> authSchemes, String clientCertificate, List<EvidenceRef> evidence) implements HasEvidence {
    public HttpExchange {
        Objects.requireNonNull(serverAddress, "serverAddress");
        Objects.requireNonNull(path, "path");
        authSchemes = authSchemes == null ? List.of() : List.copyOf(authSchemes);
        clientCertificate = clientCertificate == null ? "" : clientCertificate;
        evidence = Evidence.copy(evidence);
    }

    /** The path starts with {@code prefix}, ignoring case (IIS paths are case-insensitive). */
    public boolean under(String prefix) {
        return path.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    @Override
    public String describe() {
        return method + " " + path + " on " + serverAddress + ":" + serverPort + ": "
                + (status == 0 ? "no HTTP answer" : "HTTP " + status)
                + (authSchemes.isEmpty() ? "" : " offering " + String.join(", ", authSchemes))
                + (clientCertificate.isEmpty() ? "" : "; client certificate asked in the " + clientCertificate);
    }
}
