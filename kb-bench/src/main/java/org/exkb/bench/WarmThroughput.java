package org.exkb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.exkb.engine.api.Case;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.DiagnosisEngine;

/**
 * Warm throughput of the embedding API on one thread: the symptom-and-answer cases of every
 * sample's case.yaml, built in memory once, diagnosed round-robin (fresh session each, disposed).
 * Run by bench/run; prints cases per second and the findings count as a check that work was done.
 *
 * <p>Usage: {@code WarmThroughput RULE_FOLDER [warmup-seconds] [measure-seconds]} (the built-in one: {@code knowledge})
 */
public final class WarmThroughput {
    private WarmThroughput() {
    }

    public static void main(String[] args) throws IOException {
        Path samples = Path.of(args.length > 0 ? args[0] : "knowledge");
        double warmup = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        double measure = args.length > 2 ? Double.parseDouble(args[2]) : 5;
        List<Case> cases = load(samples);
        DiagnosisEngine engine = DiagnosisEngine.fromClasspath();
        run(engine, cases, warmup);
        long[] result = run(engine, cases, measure);
        double perSecond = result[0] / (result[2] / 1e9);
        System.out.printf(Locale.ROOT, "warm: %d cases (%d distinct) in %.2f s on one thread = %.0f cases/s (%d findings produced)%n",
                result[0], cases.size(), result[2] / 1e9, perSecond, result[1]);
    }

    /** Returns {cases, findings, nanos}. */
    static long[] run(DiagnosisEngine engine, List<Case> cases, double seconds) {
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long n = 0;
        long findings = 0;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 100; i++) {
                Diagnosis d = engine.diagnose(cases.get((int) (n % cases.size())));
                findings += d.findings().size();
                n++;
            }
        }
        return new long[] {n, findings, System.nanoTime() - start};
    }

    static List<Case> load(Path samples) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<Case> cases = new ArrayList<>();
        {
            // every sample of the rule folder that is described by a case.yaml
            for (Path f : org.exkb.engine.kit.RuleFolder.read(samples).samples().stream().map(p -> p.resolve("case.yaml"))
                    .filter(Files::isRegularFile).toList()) {
                JsonNode n = yaml.readTree(f.toFile());
                Case.Builder b = Case.builder();
                n.path("symptoms").forEach(x -> b.symptom(x.asText()));
                if (n.hasNonNull("client")) {
                    b.client(n.get("client").asText());
                }
                n.path("answers").fields().forEachRemaining(e -> b.answer(e.getKey(), e.getValue().asText()));
                cases.add(b.build());
            }
        }
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("no case.yaml under " + samples);
        }
        return cases;
    }
}
