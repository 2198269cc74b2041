package org.exkb.engine.collect;

/**
 * One line of the per-connection table that capture readers produce (a TLS-aware {@code tshark -z conv}).
 *
 * @param certificates what the server presented, e.g. {@code 1: mail.example.test} or {@code encrypted (TLS 1.3)}
 */
public record ConnectionRow(String source, long firstFrame, String client, String server, String sni, String version,
                            String certificates, String outcome) {
}
