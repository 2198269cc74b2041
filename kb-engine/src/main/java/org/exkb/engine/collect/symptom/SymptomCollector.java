package org.exkb.engine.collect.symptom;

import java.util.List;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.knowledge.SymptomCatalog;
import org.exkb.engine.model.EvidenceRef;
import org.exkb.engine.model.SymptomReport;
import org.exkb.engine.model.SymptomView;

/**
 * The first collector: turns the strings users report into {@link SymptomReport} facts, one per
 * recognised symptom code. Text that matches nothing is kept in the result as reported, never
 * dropped, so the report can show it and a knowledge engineer can add a pattern for it.
 */
public final class SymptomCollector {
    private final SymptomCatalog catalog;

    public SymptomCollector(SymptomCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * @param text    the text as the user reported it (may hold several symptoms)
     * @param source  where it came from, e.g. {@code symptom} or a case file path
     * @param locator its place there, e.g. {@code --symptom 2} or {@code line 4}
     */
    public CollectResult collect(String text, String source, String locator) {
        CollectResult r = new CollectResult();
        if (text == null || text.isBlank()) {
            return r;
        }
        String t = text.strip();
        EvidenceRef ref = EvidenceRef.of(source, locator, t);
        List<String> codes = catalog.recognise(t);
        for (String code : codes) {
            r.fact(new SymptomReport(code, t, ref));
        }
        r.symptom(new SymptomView(t, codes, ref));
        return r;
    }
}
