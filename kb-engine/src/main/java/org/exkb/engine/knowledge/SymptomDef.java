package org.exkb.engine.knowledge;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A catalogued symptom: a stable code and the patterns (case-insensitive regular expressions over
 * normalised text) that recognise the ways users report it.
 */
public record SymptomDef(String code, String title, List<String> patterns, List<String> examples,
                         @JsonIgnore List<Pattern> compiled) {
    public SymptomDef {
        Objects.requireNonNull(code, "symptom code");
        title = title == null ? code : title;
        patterns = patterns == null ? List.of() : List.copyOf(patterns);
        examples = examples == null ? List.of() : List.copyOf(examples);
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("symptom " + code + " has no patterns");
        }
        compiled = patterns.stream().map(p -> compile(code, p)).toList();
    }

    @JsonCreator
    public SymptomDef(@JsonProperty("code") String code, @JsonProperty("title") String title,
                      @JsonProperty("patterns") List<String> patterns, @JsonProperty("examples") List<String> examples) {
        this(code, title, patterns, examples, null);
    }

    private static Pattern compile(String code, String p) {
        try {
            return Pattern.compile(p, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("symptom " + code + ": bad pattern '" + p + "': " + e.getDescription(), e);
        }
    }

    public boolean matches(String normalised) {
        for (Pattern p : compiled) {
            if (p.matcher(normalised).find()) {
                return true;
            }
        }
        return false;
    }
}
