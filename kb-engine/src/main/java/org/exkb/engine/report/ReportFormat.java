package org.exkb.engine.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.DiagnosisJson;
import org.exkb.engine.probe.ProbeReport;

/** The formats a diagnosis is written in, by every command and the shell alike. Each rendering ends with a newline. */
public enum ReportFormat {
    text, json, markdown;

    /** The probe's reports in the contract's spelling (snake_case, as the rest of it). */
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);

    public String render(Diagnosis d) {
        return render(d, List.of());
    }

    /** The diagnosis, after the live probe's reports when there are any (in JSON: the {@code probe} array). */
    public String render(Diagnosis d, List<ProbeReport> probes) {
        return switch (this) {
            case json -> {
                if (probes.isEmpty()) {
                    yield DiagnosisJson.write(d) + "\n";
                }
                ObjectNode tree = DiagnosisJson.toTree(d);
                tree.set("probe", JSON.valueToTree(probes));
                try {
                    yield JSON.writeValueAsString(tree) + "\n";
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("the probe's reports could not be written as JSON", e);
                }
            }
            case markdown -> probes.isEmpty() ? MarkdownReport.render(d)
                    : "# Live probe\n\n" + ProbeText.render(probes, true) + MarkdownReport.render(d);
            case text -> probes.isEmpty() ? TextReport.render(d)
                    : ProbeText.render(probes, false) + "Diagnosis from the probe\n\n" + TextReport.render(d);
        };
    }
}
