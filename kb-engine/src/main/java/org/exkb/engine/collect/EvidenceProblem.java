package org.exkb.engine.collect;

import java.util.Objects;

/**
 * Evidence that could not be used, as data: which source, where in it, why (one of the reason
 * constants) and what exactly was wrong. Collectors return these instead of throwing.
 */
public record EvidenceProblem(String source, String locator, String reason, String detail) {
    public static final String UNREADABLE = "unreadable";
    public static final String MALFORMED = "malformed";
    public static final String UNSUPPORTED = "unsupported";
    public static final String EMPTY = "empty";
    public static final String CONNECTIVITY = "connectivity";
    public static final String UNKNOWN_CLIENT = "unknown_client";
    public static final String INVALID_ANSWER = "invalid_answer";

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
