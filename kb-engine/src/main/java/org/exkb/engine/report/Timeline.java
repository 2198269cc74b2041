package org.exkb.engine.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.exkb.engine.api.DayFindings;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.Finding;
import org.exkb.engine.api.Onset;
import org.exkb.engine.model.Level;

/** The words of "since when" (server logs of two days or more), shared by the text and Markdown reports. */
final class Timeline {
    private Timeline() {
    }

    static String heading(Diagnosis d) {
        return "Since when (server logs of " + d.days().size() + " days, " + d.days().get(0).day() + " to "
                + d.days().get(d.days().size() - 1).day() + "; each day's logs diagnosed alone)";
    }

    /**
     * One line per root cause some day shows at least likely, and per finding at least likely over the
     * whole case that no single day shows; then one line per day for those root causes.
     */
    static List<String> lines(Diagnosis d) {
        List<String> out = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Onset o : d.onsets()) {
            ids.add(o.id());
            Optional<Finding> whole = d.finding(o.id());
            String overall = whole.map(f -> f.status() == Level.LIKELY || f.status() == Level.CONFIRMED ? ""
                    : "; over the " + o.days() + " days together it is " + f.status().json()).orElse("");
            out.add(o.id() + ": " + o.status().json() + (o.fromTheStart()
                    ? " already on the first day diagnosed alone (" + o.day() + "): it began then or before"
                    : " from " + o.day() + " on (the days from " + o.firstDay() + " before it do not show it alone)") + overall);
        }
        for (Finding f : d.findings()) {
            if ((f.status() == Level.LIKELY || f.status() == Level.CONFIRMED) && !ids.contains(f.id())) {
                ids.add(f.id());
                out.add(f.id() + ": no single day's logs show it alone; it shows over the days together");
            }
        }
        if (!ids.isEmpty()) {
            for (DayFindings day : d.days()) {
                List<String> s = new ArrayList<>();
                for (String id : ids) {
                    Level l = day.findings().get(id);
                    s.add(id + " " + (l == null ? "-" : l.json()));
                }
                out.add(day.day() + ": " + String.join(", ", s));
            }
        }
        return out;
    }
}
