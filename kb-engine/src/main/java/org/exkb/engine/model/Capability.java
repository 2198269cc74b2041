package org.exkb.engine.model;

/**
 * A device capability a server condition depends on. A rule that proves a server condition without
 * knowing the failing client names the capability (see {@link Support#breaking}); the report then
 * names the catalogued devices known to lack it, so an administrator who probes a server before any
 * complaint learns which devices it breaks.
 */
public enum Capability {
    /** Sends the TLS server_name extension (RFC 6066 section 3). */
    SENDS_SNI,
    /** Fills in intermediates the server did not send (AIA fetch or cache). */
    COMPLETES_CHAIN,
    /** Trusts roots beyond a small fixed set (a private root can be installed in it). */
    OPEN_ROOT_STORE
}
