package org.exkb.engine.kit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a sample's {@code expected.yaml} says it must give, read in one place for the built-in samples,
 * a rule folder's samples and the tests: {@code expect} (id: status), {@code absent} (ids that must not
 * appear), {@code none} (no finding at all), {@code questions} (ids that must be pending),
 * {@code unrecognized} (symptom texts kept as not recognised), {@code evidence} (id: places such as
 * {@code frame 27} that the finding's evidence must name), {@code healthy} (a healthy control: no fault
 * may be confirmed or likely).
 */
public record Expectation(Map<String, String> expect, List<String> absent, boolean none, List<String> questions,
                          List<String> unrecognized, Map<String, List<String>> evidence, boolean healthy) {
    public Expectation {
        expect = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(expect));
        absent = List.copyOf(absent);
        questions = List.copyOf(questions);
        unrecognized = List.copyOf(unrecognized);
        evidence = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }

    /** The expectation of the sample in {@code folder}. */
    public static Expectation read(Path folder) throws IOException {
        return of(RuleFolder.tree(folder.resolve("expected.yaml")));
    }

    static Expectation of(JsonNode n) {
        Map<String, String> expect = new LinkedHashMap<>();
        n.path("expect").fields().forEachRemaining(e -> expect.put(e.getKey(), e.getValue().asText()));
        Map<String, List<String>> evidence = new LinkedHashMap<>();
        n.path("evidence").fields().forEachRemaining(e -> evidence.put(e.getKey(), strings(e.getValue())));
        return new Expectation(expect, strings(n.path("absent")), n.path("none").asBoolean(false), strings(n.path("questions")),
                strings(n.path("unrecognized")), evidence, n.path("healthy").asBoolean(false));
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }
}
