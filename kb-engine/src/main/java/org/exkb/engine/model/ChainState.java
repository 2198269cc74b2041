package org.exkb.engine.model;

import java.util.Locale;

/**
 * What a presented certificate chain proves, checked strictly (the presented certificates plus the
 * known roots and the certificates the user gave; nothing fetched). RFC 5246 section 7.4.2 and RFC
 * 8446 section 4.4.2 let a server leave out the root, so a chain that stops at an issuer nobody here
 * knows is not by itself incomplete: what the certificates say decides which of these it is.
 */
public enum ChainState {
    /** The path reaches a root known here (the JDK's store, {@code --trust}, a root file in the case). */
    COMPLETE,
    /**
     * The path is whole up to a root this tool does not know: either a self-signed root the server
     * sent, or an issuer that was not sent where the last certificate sent is a CA certificate (that
     * issuer is taken to be the root, which servers need not send). Not a fault; devices need the root
     * in their own stores.
     */
    ROOT_UNKNOWN,
    /** Only the server's own certificate is on the path; its issuer was neither sent nor is known: root or intermediate cannot be told. */
    UNDECIDED,
    /**
     * Proven incomplete: the issuer that was not sent is known to be an intermediate (its certificate
     * was given, or roots were given and the path reaches none of them).
     */
    INCOMPLETE,
    /** No certificate was sent. */
    EMPTY;

    /** The contract's word for it: {@code complete}, {@code root_unknown}, {@code undecided}, {@code incomplete}, {@code empty}. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
