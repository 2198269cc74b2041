package org.exkb.engine.model;

import java.util.Objects;

/**
 * Evidence that could not be used, as data: which source, where in it, why (one of the reason
 * constants) and what exactly was wrong. Collectors return these instead of throwing.
 */
public record EvidenceProblem(String source, String locator, Reason reason, String detail) implements java.io.Serializable {
    /** Why evidence could not be used; its JSON and report name is {@link #wire()}. */
    public enum Reason {
        /** The file cannot be opened or read at all. */
        UNREADABLE,
        /** Read, but damaged or not what its kind requires (the locator says where). */
        MALFORMED,
        /** A kind of file or content no reader here reads. */
        UNSUPPORTED,
        /** Nothing in it. */
        EMPTY,
        /** A live probe could not reach its target. */
        CONNECTIVITY,
        /** A client that is not in the device catalogue. */
        UNKNOWN_CLIENT,
        /** An answer that is not one of its question's values. */
        INVALID_ANSWER,
        /** Two descriptions of the case disagree (two case files naming different clients or answers): the later is used, and said. */
        CONFLICT,
        /** A rule folder given with the engine could not be used (its file and line say why); the other knowledge is. */
        RULES_REFUSED,
        /** The rules fired up to their ceiling without settling: the result is incomplete. */
        RULES_DID_NOT_SETTLE;

        /** The name in JSON and reports: {@code malformed}, {@code rules_did_not_settle}. */
        @com.fasterxml.jackson.annotation.JsonValue
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public String toString() {
            return wire();
        }
    }

    public static final Reason UNREADABLE = Reason.UNREADABLE;
    public static final Reason MALFORMED = Reason.MALFORMED;
    public static final Reason UNSUPPORTED = Reason.UNSUPPORTED;
    public static final Reason EMPTY = Reason.EMPTY;
    public static final Reason CONNECTIVITY = Reason.CONNECTIVITY;
    public static final Reason UNKNOWN_CLIENT = Reason.UNKNOWN_CLIENT;
    public static final Reason INVALID_ANSWER = Reason.INVALID_ANSWER;

    public EvidenceProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
        locator = locator == null ? "" : locator;
        detail = detail == null ? "" : detail;
    }

    @Override
    public String toString() {
        return source + (locator.isEmpty() ? "" : " " + locator) + ": " + reason + ": " + detail;
    }
}
