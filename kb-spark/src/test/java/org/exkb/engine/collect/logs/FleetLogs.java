package org.exkb.engine.collect.logs;

/** The log reader tests' generators (W3C and httperr logs in every shape real ones take), for the Spark job's tests. */
public final class FleetLogs {
    private FleetLogs() {
    }

    /** A W3C log: header blocks with changing fields, restarts with NUL padding, broken headers, invalid bytes, two servers. */
    public static byte[] w3c(long seed, int lines) {
        return WebLogReaderAgreementTest.w3c(seed, lines);
    }

    /** A W3C log as {@link #w3c} whose lines move through {@code days} days from 2026-11-20 (a log rolled over monthly). */
    public static byte[] days(long seed, int lines, int days) {
        return WebLogReaderAgreementTest.days(seed, lines, days);
    }

    /** An httperr log in one of HTTP.sys's layouts. */
    public static byte[] httperr(long seed, int layout) {
        return WebLogReaderAgreementTest.httperr(seed, true, layout);
    }
}
