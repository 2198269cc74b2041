package org.exkb.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.exkb.engine.api.Case;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.api.DiagnosisJson;
import org.exkb.engine.kit.RuleKit;
import org.exkb.engine.api.Finding;
import org.exkb.engine.testing.SchemaAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every sample folder through the real collectors and the real, precompiled knowledge base. */
class SamplesTest {
    static DiagnosisEngine engine;
    static final Set<String> FIRED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void load() {
        engine = DiagnosisEngine.fromClasspath();
    }

    static List<Samples> samples() {
        return Samples.all();
    }

    /**
     * Every healthy control (expected.yaml {@code healthy: true}), old and new, in one test: none may
     * give a fault confirmed or likely, whatever else its expectations say. A false "confirmed" costs
     * more than a missing finding.
     */
    @Test
    void noHealthyControlGivesAConfirmedOrLikelyFault() {
        List<Samples> healthy = samples().stream().filter(Samples::healthy).toList();
        assertTrue(healthy.size() >= 12, "healthy controls: " + healthy);
        List<String> wrong = new java.util.ArrayList<>();
        for (Samples s : healthy) {
            Diagnosis d = engine.diagnose(Case.builder().evidence(s.folder()).build());
            for (Finding f : d.findings()) {
                if (f.kind().equals("fault") && (f.status() == org.exkb.engine.model.Level.CONFIRMED
                        || f.status() == org.exkb.engine.model.Level.LIKELY)) {
                    wrong.add(s + ": " + f.id() + " " + f.status().json() + " (" + f.reasons().get(0).text() + ")");
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sampleGivesItsExpectedFindings(Samples s) {
        // the same runner as `kb rules test` (expected.yaml read once, in the rule kit)
        RuleKit.SampleResult r = RuleKit.runSample(engine, s.folder(), FIRED);
        assertEquals(List.of(), r.failures(), s.toString());
        SchemaAssert.assertValid(DiagnosisJson.write(r.diagnosis()));
    }

    @Test
    void everyCatalogueIdHasAPositiveSampleAndARuledOutOrAbsentNearMiss() {
        Set<String> positive = new TreeSet<>();
        Set<String> nearMiss = new TreeSet<>();
        for (Samples s : Samples.all()) {
            s.expect().forEach((id, st) -> (st.equals("ruled_out") ? nearMiss : positive).add(id));
            nearMiss.addAll(s.absent());
        }
        for (String id : engine.knowledge().ids()) {
            assertTrue(positive.contains(id), id + " has no sample where it is possible, likely or confirmed");
            assertTrue(nearMiss.contains(id), id + " has no near-miss sample (ruled_out or absent)");
        }
    }

    /** Runs after the samples: every rule in the knowledge base must fire on at least one of them. */
    @AfterAll
    static void everyRuleFiresOnSomeSample() {
        if (FIRED.isEmpty()) {
            return; // the parameterised test was filtered out of this run
        }
        Set<String> never = new TreeSet<>();
        engine.rules().rules().forEach(r -> {
            // "http: " rules read what only the live probe produces (HttpExchange): ProbeRulesTest covers them
            if (!FIRED.contains(r.getName()) && !r.getName().startsWith("http: ")) {
                never.add(r.getName());
            }
        });
        assertEquals(Set.of(), never, "rules that no sample fires (add a sample that must fire each)");
    }
}
