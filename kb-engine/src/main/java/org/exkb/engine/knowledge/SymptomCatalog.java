package org.exkb.engine.knowledge;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The catalogue of recognised symptom strings and error codes. */
public final class SymptomCatalog {
    private final Map<String, SymptomDef> byCode = new LinkedHashMap<>();

    public SymptomCatalog(List<SymptomDef> defs) {
        for (SymptomDef d : defs) {
            if (byCode.putIfAbsent(d.code(), d) != null) {
                throw new Knowledge.KnowledgeException("symptom code '" + d.code() + "' is defined twice");
            }
        }
    }

    public List<SymptomDef> all() {
        return List.copyOf(byCode.values());
    }

    /** The codes of every catalogued symptom that the reported text shows, in catalogue order. */
    public List<String> recognise(String text) {
        String n = normalise(text);
        List<String> codes = new ArrayList<>();
        for (SymptomDef d : byCode.values()) {
            if (d.matches(n)) {
                codes.add(d.code());
            }
        }
        return codes;
    }

    /**
     * Lower case, typographic quotes and dashes made plain, brackets and runs of white space
     * unified, so that patterns need not spell out every way a user pastes a message.
     */
    public static String normalise(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        s = s.replaceAll("[\u2018\u2019\u201a\u201b`´]", "'")
                .replaceAll("[\u201c\u201d\u201e\u00ab\u00bb]", "\"")
                .replaceAll("[\u2010-\u2015]", "-")
                .replaceAll("\\s+", " ");
        return s.strip();
    }
}
