package org.exkb.engine.model;

import java.util.Objects;

/**
 * Where a fact came from: the evidence source (a file path, {@code live:host:port}, {@code symptom},
 * {@code answer}), the place inside it (frame, line, handshake, option) and a short excerpt.
 * Every raw fact carries one, so every finding can show its proof.
 */
public record EvidenceRef(String source, String locator, String detail) {
    /** Longest excerpt kept; evidence is proof for a reader, not a copy of the input. */
    public static final int MAX_DETAIL = 300;

    public EvidenceRef {
        Objects.requireNonNull(source, "source");
        if (source.isBlank()) {
            throw new IllegalArgumentException("evidence source must not be blank");
        }
        locator = locator == null ? "" : locator;
        detail = detail == null ? "" : clip(detail);
    }

    public static EvidenceRef of(String source, String locator, String detail) {
        return new EvidenceRef(source, locator, detail);
    }

    private static String clip(String s) {
        String oneLine = s.replaceAll("[\\r\\n\\t]+", " ").strip();
        return oneLine.length() <= MAX_DETAIL ? oneLine : oneLine.substring(0, MAX_DETAIL - 1) + "…";
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(source);
        if (!locator.isEmpty()) {
            b.append(" ").append(locator);
        }
        if (!detail.isEmpty()) {
            b.append(": ").append(detail);
        }
        return b.toString();
    }
}
