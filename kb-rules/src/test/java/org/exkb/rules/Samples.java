package org.exkb.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The sample folders in evidence-samples and what each expects: {@code expect} (id: status),
 * {@code absent} (ids that must not appear at all), {@code questions} (ids that must be asked),
 * {@code none} (no finding at all), {@code unrecognized} (symptom texts kept as not recognised),
 * {@code evidence} (id: places such as {@code frame 27} that the finding's evidence must name, as
 * Wireshark numbers them), {@code healthy} (a healthy control: no fault may be confirmed or likely).
 */
record Samples(Path folder, Map<String, String> expect, List<String> absent, List<String> questions,
               boolean none, List<String> unrecognized, Map<String, List<String>> evidence, boolean healthy) {
    static final Path ROOT = Path.of(System.getProperty("samples.dir", "../evidence-samples"));
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static List<Samples> all() {
        try (Stream<Path> s = Files.list(ROOT)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("expected.yaml"))).sorted().map(Samples::load).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Samples load(Path folder) {
        try {
            JsonNode n = YAML.readTree(folder.resolve("expected.yaml").toFile());
            Map<String, String> expect = new LinkedHashMap<>();
            n.path("expect").fields().forEachRemaining(e -> expect.put(e.getKey(), e.getValue().asText()));
            Map<String, List<String>> evidence = new LinkedHashMap<>();
            n.path("evidence").fields().forEachRemaining(e -> evidence.put(e.getKey(), strings(e.getValue())));
            return new Samples(folder, expect, strings(n.path("absent")), strings(n.path("questions")),
                    n.path("none").asBoolean(false), strings(n.path("unrecognized")), evidence, n.path("healthy").asBoolean(false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    @Override
    public String toString() {
        return folder.getFileName().toString();
    }
}
