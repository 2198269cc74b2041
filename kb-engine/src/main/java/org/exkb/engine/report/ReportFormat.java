package org.exkb.engine.report;

import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.DiagnosisJson;

/**
 * The formats a diagnosis is written in, by every command and the shell alike: the live probe's
 * reports first where the case has any. Each rendering ends with a newline.
 */
public enum ReportFormat {
    text, json, markdown;

    public String render(Diagnosis d) {
        return switch (this) {
            case json -> DiagnosisJson.write(d) + "\n";
            case markdown -> d.probes().isEmpty() ? MarkdownReport.render(d)
                    : "# Live probe\n\n" + ProbeText.render(d.probes(), true) + MarkdownReport.render(d);
            case text -> d.probes().isEmpty() ? TextReport.render(d)
                    : ProbeText.render(d.probes(), false) + "Diagnosis (the probe above and everything else in the case)\n\n" + TextReport.render(d);
        };
    }
}
