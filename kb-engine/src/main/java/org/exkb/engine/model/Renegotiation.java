package org.exkb.engine.model;

/**
 * One renegotiation on a TLS 1.2-or-older connection (RFC 5246 section 7.4.1.1, RFC 5746): an
 * encrypted handshake record after application data had flowed, and what became of it.
 *
 * @param frame           the frame of the record that started it (a HelloRequest from the server, or a
 *                        ClientHello from the client)
 * @param byClient        the client started it
 * @param takenUpFrame    the frame of the peer's first handshake record after it (the peer took it up), or 0
 * @param peerBytesBefore application data the peer sent after it started and before taking it up (all the
 *                        peer sent afterwards when it never took it up): a client that "keeps sending" a body
 * @param completed       both sides changed cipher spec and finished the new handshake
 * @param peerAlert       the peer sent an alert record before taking it up (no_renegotiation, or a refusal)
 * @param dataAfter       application data flowed after it was taken up: the connection carried on
 */
public record Renegotiation(long frame, long nanos, boolean byClient, long takenUpFrame, long peerBytesBefore, boolean completed,
                            boolean peerAlert, boolean dataAfter) {
    public boolean takenUp() {
        return takenUpFrame != 0;
    }

    /** In words, for reports: who started it, whether it was taken up, what followed. */
    public String describe() {
        String who = byClient ? "client" : "server";
        String peer = byClient ? "server" : "client";
        StringBuilder b = new StringBuilder(who).append(" renegotiates in frame ").append(frame).append(": ");
        if (takenUp()) {
            b.append(peer).append(" takes it up in frame ").append(takenUpFrame);
            if (peerBytesBefore > 0) {
                b.append(" after sending ").append(peerBytesBefore).append(" more bytes");
            }
            b.append(completed ? ", new handshake finished" : ", new handshake not seen to finish");
            if (dataAfter) {
                b.append(", data flows on");
            }
        } else {
            b.append(peer).append(" never takes it up");
            if (peerAlert) {
                b.append(" (answers with an alert)");
            }
            if (peerBytesBefore > 0) {
                b.append(", ").append(peer).append(" keeps sending ").append(peerBytesBefore).append(" bytes");
            }
        }
        return b.toString();
    }
}
