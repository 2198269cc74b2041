package org.exkb.engine.api;

import org.exkb.engine.model.Level;

/**
 * Since when a root cause shows in the server logs: {@code day} is the first day whose logs alone give
 * {@code id} at least likely ({@code status} that day), of the days {@code firstDay} to {@code lastDay}
 * the logs cover ({@code days} of them with dated files). The whole period may say otherwise: a
 * pattern that began on the last day can be outweighed by the weeks before it.
 */
public record Onset(String id, Level status, String day, String firstDay, String lastDay, int days) {
    /** Whether the pattern was there from the first day the logs cover (so it began before them, or then). */
    public boolean fromTheStart() {
        return day.equals(firstDay);
    }
}
