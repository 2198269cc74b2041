package org.exkb.engine.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a TLS handshake attempt turned out, judged the same way for a captured one and one the probe made. */
public enum HandshakeOutcome {
    /** The handshake finished and the connection carried on. */
    ESTABLISHED,
    /** The server ended the attempt after the ClientHello without answering it. */
    REJECTED,
    /** The server ended it after its own hello (alert, reset or close). */
    FAILED,
    /** The client gave up after the server's messages (often: it did not accept the certificate). */
    CLIENT_ABORTED,
    /** The server never answered before the capture (or the probe's wait) ended. */
    UNANSWERED,
    /** Still in progress when the capture ended, not followed to the end, or answered with a hello that could not be read. */
    INCOMPLETE;

    /**
     * The outcome from what was seen.
     *
     * @param established     the handshake finished
     * @param serverHelloSeen the server answered with what was taken for its hello
     * @param serverHelloRead that hello was read
     * @param clientHelloSeen the client's hello was seen (a capture that began later has none)
     * @param ended           an alert, a reset or a close ended the attempt
     * @param byClient        the client ended it, else the server
     */
    public static HandshakeOutcome of(boolean established, boolean serverHelloSeen, boolean serverHelloRead, boolean clientHelloSeen,
                                      boolean ended, boolean byClient) {
        if (established) {
            return ESTABLISHED;
        }
        if (serverHelloSeen && !serverHelloRead) {
            return INCOMPLETE; // the server answered, with a hello that could not be read: neither rejected nor unanswered
        }
        if (ended && !byClient) {
            return !serverHelloRead && clientHelloSeen ? REJECTED : FAILED;
        }
        if (ended) {
            return serverHelloRead ? CLIENT_ABORTED : INCOMPLETE;
        }
        return clientHelloSeen && !serverHelloRead ? UNANSWERED : INCOMPLETE;
    }

    /** The contract's word: {@code established}, {@code client_aborted}... */
    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
