package org.exkb.engine.model;

import java.util.List;

/**
 * One line of the per-connection table that capture readers produce (a TLS-aware {@code tshark -z conv}).
 *
 * @param certificates   what the server presented, e.g. {@code 1: mail.example.test} or {@code encrypted (TLS 1.3)}
 * @param renegotiations every renegotiation on the connection, in order
 */
public record ConnectionRow(String source, long firstFrame, String client, String server, String sni, String version,
                            String certificates, String outcome, List<Renegotiation> renegotiations) {
    public ConnectionRow {
        renegotiations = renegotiations == null ? List.of() : List.copyOf(renegotiations);
    }

    public ConnectionRow(String source, long firstFrame, String client, String server, String sni, String version,
                         String certificates, String outcome) {
        this(source, firstFrame, client, server, sni, version, certificates, outcome, List.of());
    }
}
