package org.exkb.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * Raw fact: one renegotiation seen on a TLS 1.2-or-older connection - an encrypted handshake record
 * after application data had flowed (RFC 5246 section 7.4.1.1; RFC 5746), typically the server asking
 * for a client certificate once it has read the request line. Every renegotiation of a connection is
 * its own fact.
 *
 * @param byServer        the server started it (HelloRequest), rather than the client (ClientHello)
 * @param takenUp         the peer answered with a handshake record of its own
 * @param peerBytesBefore application data the peer sent after it started and before taking it up (all it
 *                        sent afterwards when it never did): a client still sending a body
 * @param dataAfter       application data flowed after it was taken up: the connection carried on
 * @param endedBy         how the connection ended: {@code reset}, {@code close}, or empty (still open)
 * @param endedByServer   the server ended it
 * @param last            it is the connection's last renegotiation (what ended the connection followed it)
 */
public record TlsRenegotiation(String serverAddress, int serverPort, boolean byServer, boolean takenUp,
                               long peerBytesBefore, boolean dataAfter, String endedBy, boolean endedByServer, boolean last,
                               List<EvidenceRef> evidence) implements HasEvidence {
    public TlsRenegotiation {
        Objects.requireNonNull(serverAddress, "serverAddress");
        endedBy = endedBy == null ? "" : endedBy;
        evidence = Evidence.copy(evidence);
    }

    @Override
    public String describe() {
        String peer = byServer ? "client" : "server";
        return "renegotiation started by the " + (byServer ? "server " : "client ") + "on " + serverAddress + ":" + serverPort
                + (takenUp ? ", taken up by the " + peer : ", never taken up by the " + peer)
                + (peerBytesBefore > 0 ? ", the " + peer + " sent " + peerBytesBefore + " more bytes " + (takenUp ? "first" : "") : "")
                + (dataAfter ? ", data flowed on" : "")
                + (last && !endedBy.isEmpty() ? ", then " + endedBy + " by the " + (endedByServer ? "server" : "client") : "");
    }
}
