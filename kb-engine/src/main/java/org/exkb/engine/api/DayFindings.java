package org.exkb.engine.api;

import java.util.Map;
import org.exkb.engine.model.Level;

/**
 * What the server logs of one day alone show: each root cause's status when only that day's log
 * aggregates are diagnosed (a case whose logs fall on two days or more; see {@link Onset}).
 */
public record DayFindings(String day, Map<String, Level> findings) {
    public DayFindings {
        findings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(findings));
    }
}
