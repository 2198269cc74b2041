package org.exkb.engine.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * One line of the per-connection table that capture readers produce (a TLS-aware {@code tshark -z conv}):
 * the words people read ({@code outcome}) and the same as fields a program reads ({@code kind},
 * {@code handshake}).
 *
 * @param certificates   what the server presented, e.g. {@code 1: mail.example.test} or {@code encrypted (TLS 1.3)}
 * @param outcome        what happened, in words, e.g. {@code rejected after ClientHello: reset by server in frame 29 (0 ms)}
 * @param renegotiations every renegotiation on the connection, in order
 * @param kind           what the connection was
 * @param handshake      how its TLS handshake went, for a TLS connection (null otherwise)
 */
public record ConnectionRow(String source, long firstFrame, String client, String server, String sni, String version,
                            String certificates, String outcome, List<Renegotiation> renegotiations, Kind kind, Handshake handshake) {
    /** What a connection was. */
    public enum Kind {
        /** TLS, from its first record or after a mail protocol's STARTTLS. */
        TLS,
        /** Data that is not TLS. */
        NOT_TLS,
        /** A TCP connection that carried no data. */
        NO_DATA,
        /** The server reset the connection before it was established. */
        REFUSED,
        /** Its TCP handshake was not seen (the capture began later). */
        NO_TCP_HANDSHAKE,
        /** A handshake the live probe made. */
        PROBE;

        @JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * How a TLS handshake went, as fields.
     *
     * @param endedBy        {@code alert}, {@code reset}, {@code close}, or empty (established, or still open)
     * @param endFrame       the frame that ended it, or 0
     * @param reactionMillis time from the other side's last record to the end
     */
    public record Handshake(HandshakeOutcome outcome, String stage, String endedBy, boolean endedByClient, long endFrame,
                            long reactionMillis) {
    }

    public ConnectionRow {
        renegotiations = renegotiations == null ? List.of() : List.copyOf(renegotiations);
        java.util.Objects.requireNonNull(kind, "kind");
    }
}
