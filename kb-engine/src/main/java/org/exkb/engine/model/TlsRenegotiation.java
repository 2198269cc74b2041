package org.exkb.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * Raw fact: an encrypted handshake record after application data had flowed on a TLS 1.2-or-older
 * connection - a renegotiation (RFC 5246 section 7.4.1.1; RFC 5746), typically the server asking for
 * a client certificate once it has read the request line.
 *
 * @param byServer           the server asked (HelloRequest), rather than the client
 * @param clientAnswered     the client sent a handshake record in reply
 * @param clientBytesAfter   application data the client kept sending after the request
 * @param endedBy            how the connection ended: {@code reset}, {@code close}, or empty (still open)
 * @param endedByServer      the server ended it
 */
public record TlsRenegotiation(String serverAddress, int serverPort, boolean byServer, boolean clientAnswered,
                               long clientBytesAfter, String endedBy, boolean endedByServer,
                               List<EvidenceRef> evidence) implements HasEvidence {
    public TlsRenegotiation {
        Objects.requireNonNull(serverAddress, "serverAddress");
        endedBy = endedBy == null ? "" : endedBy;
        evidence = Evidence.copy(evidence);
    }

    @Override
    public String describe() {
        return "renegotiation asked by the " + (byServer ? "server " : "client ") + serverAddress + ":" + serverPort
                + (clientAnswered ? ", answered by the client" : ", never answered by the client")
                + ", client sent " + clientBytesAfter + " more bytes"
                + (endedBy.isEmpty() ? "" : ", then " + endedBy + " by the " + (endedByServer ? "server" : "client"));
    }
}
