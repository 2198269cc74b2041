package org.exkb.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.exkb.engine.api.Case;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.api.Finding;
import org.junit.jupiter.api.Test;

/** One engine shared by several threads gives every thread the same answers as a lone caller. */
class ConcurrentEmbeddingTest {
    @Test
    void oneEngineManyThreads() throws Exception {
        DiagnosisEngine engine = DiagnosisEngine.fromClasspath();
        List<Case> cases = List.of(
                Case.builder().symptom("bad username or password").client("Outlook for Mac 2011").answer("handshake_without_sni", "fails").build(),
                Case.builder().symptom("hr=0x80072f0d").client("Lync Phone Edition").answer("chain_sent", "complete").build(),
                Case.builder().symptom("Direct Push stops").answer("firewall_idle_timeout_minutes", "30").answer("heartbeat_minutes", "15").build());
        List<Map<String, String>> expected = cases.stream().map(c -> statuses(engine.diagnose(c))).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    int checked = 0;
                    for (int i = 0; i < 300; i++) {
                        int k = i % cases.size();
                        assertEquals(expected.get(k), statuses(engine.diagnose(cases.get(k))));
                        checked++;
                    }
                    return checked;
                }));
            }
            for (Future<Integer> f : results) {
                assertEquals(300, f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, String> statuses(Diagnosis d) {
        return d.findings().stream().collect(Collectors.toMap(Finding::id, f -> f.status().json()));
    }
}
