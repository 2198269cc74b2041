package org.exkb.engine.model;

import java.util.Map;

/**
 * What was read of one evidence file, as fields beside the words of its examined line: the file, the
 * kind of evidence, its format, and counts ({@code frames}, {@code connections}, {@code records},
 * {@code lines}, {@code events}...).
 */
public record ReadSummary(String source, EvidenceKind kind, String format, Map<String, Long> counts) implements java.io.Serializable {
    public ReadSummary {
        format = format == null ? "" : format;
        counts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(counts));
    }
}
