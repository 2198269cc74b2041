package org.exkb.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.exkb.engine.KnowledgeSamples;
import org.exkb.engine.api.Case;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.api.Onset;
import org.exkb.engine.model.Level;
import org.exkb.engine.report.ReportFormat;
import org.exkb.engine.testing.SchemaAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server logs of several days: each day is also diagnosed alone, and the report says since when a
 * pattern shows. Built from the samples: the load balancer's balanced days (the near miss, its dates
 * moved back) followed by a day of source-IP affinity.
 */
class TimeOfOnsetTest {
    static final DiagnosisEngine ENGINE = DiagnosisEngine.fromClasspath();

    /** The near miss's two servers' logs, with their dates moved to {@code day}. */
    static void balancedDay(Path into, String day) throws IOException {
        Path zip = KnowledgeSamples.file("logs-lb-near-miss-zip", "cas-logs.zip");
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                if (!e.isDirectory()) {
                    Path out = into.resolve(e.getName().replace("u_ex261120", "u_ex" + day.substring(2).replace("-", "")));
                    Files.createDirectories(out.getParent());
                    Files.writeString(out, new String(z.readAllBytes(), StandardCharsets.UTF_8).replace("2026-11-20", day));
                }
            }
        }
    }

    static void affinityDay(Path into) throws IOException {
        Path sample = KnowledgeSamples.named("logs-lb-affinity");
        try (Stream<Path> s = Files.walk(sample)) {
            for (Path f : s.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                Path out = into.resolve(sample.relativize(f));
                Files.createDirectories(out.getParent());
                Files.copy(f, out);
            }
        }
    }

    @Test
    void aPatternThatBeganOnTheLastDayIsDatedEvenWhenTheWholePeriodOutweighsIt(@TempDir Path dir) throws Exception {
        balancedDay(dir.resolve("week/d1"), "2026-11-18");
        balancedDay(dir.resolve("week/d2"), "2026-11-19");
        affinityDay(dir.resolve("week/d3"));
        Diagnosis d = ENGINE.diagnose(Case.builder().evidence(dir.resolve("week")).build());
        assertEquals(List.of("2026-11-18", "2026-11-19", "2026-11-20"), d.days().stream().map(x -> x.day()).toList());
        assertEquals(Level.RULED_OUT, d.days().get(0).findings().get("LB_SOURCE_IP_AFFINITY_BEHIND_NAT"));
        Onset o = d.onsets().stream().filter(x -> x.id().equals("LB_SOURCE_IP_AFFINITY_BEHIND_NAT")).findFirst().orElseThrow();
        assertEquals("2026-11-20", o.day());
        assertEquals(Level.LIKELY, o.status());
        assertEquals(3, o.days());
        String text = ReportFormat.text.render(d);
        assertTrue(text.contains("LB_SOURCE_IP_AFFINITY_BEHIND_NAT: likely from 2026-11-20 on"), text);
        assertTrue(ReportFormat.markdown.render(d).contains("## Since when (server logs of 3 days"), "the ticket shows it too");
        SchemaAssert.assertValid(org.exkb.engine.api.DiagnosisJson.write(d));
    }

    /**
     * The same three days in one log per server, as IIS writes it when the site rolls its logs over
     * monthly (u_ex2611.log): each day's lines are read as a part of their own, so the view and the
     * onset are those of daily files; the headers after the first are left out where the fields stay.
     */
    @Test
    void aLogRolledOverMonthlyGivesTheSameDaysAsDailyFiles(@TempDir Path dir) throws Exception {
        balancedDay(dir.resolve("week/d1"), "2026-11-18");
        balancedDay(dir.resolve("week/d2"), "2026-11-19");
        affinityDay(dir.resolve("week/d3"));
        Diagnosis daily = ENGINE.diagnose(Case.builder().evidence(dir.resolve("week")).build());
        for (String server : List.of("CAS01", "CAS02")) {
            StringBuilder month = new StringBuilder();
            String fields = null;
            for (String d : List.of("d1", "d2", "d3")) {
                try (Stream<Path> s = Files.walk(dir.resolve("week").resolve(d).resolve(server))) {
                    for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                        for (String line : Files.readAllLines(f)) {
                            if (line.startsWith("#Fields:")) {
                                fields = fields == null ? line : fields;
                                if (!line.equals(fields)) {
                                    month.append(line).append("\r\n");
                                }
                            } else if (!line.startsWith("#") || month.isEmpty()) {
                                month.append(line).append("\r\n");
                            }
                        }
                    }
                }
            }
            int at = month.indexOf("\r\n", month.indexOf("#Version")) + 2;
            month.insert(at, fields + "\r\n");
            Path out = Files.createDirectories(dir.resolve("month").resolve(server).resolve("W3SVC1")).resolve("u_ex2611.log");
            Files.writeString(out, month.toString());
        }
        Diagnosis monthly = ENGINE.diagnose(Case.builder().evidence(dir.resolve("month")).build());
        assertEquals(2, monthly.read().size(), "one file per server");
        assertEquals(daily.days(), monthly.days(), "the same days, each diagnosed alone");
        assertEquals(daily.onsets(), monthly.onsets());
        assertEquals("2026-11-20", monthly.onsets().get(0).day());
        assertEquals(daily.findings().stream().map(f -> f.id() + " " + f.status()).toList(),
                monthly.findings().stream().map(f -> f.id() + " " + f.status()).toList());
        assertEquals(daily.facts().stream().map(f -> f.description()).sorted().toList(),
                monthly.facts().stream().map(f -> f.description()).sorted().toList(), "the same counts");
    }

    /**
     * The days' aggregates are bounded in memory (kb.dayViewMb): the oldest days are let go, the
     * report says which and why, the whole period still counts every line, and the day the pattern
     * began is still found among the days kept. With a budget too small for even two days, the view
     * is left out and said so.
     */
    @Test
    void theOldestDaysAreLetGoToStayWithinTheMemoryBudget(@TempDir Path dir) throws Exception {
        balancedDay(dir.resolve("week/d1"), "2026-11-17");
        balancedDay(dir.resolve("week/d2"), "2026-11-18");
        balancedDay(dir.resolve("week/d3"), "2026-11-19");
        affinityDay(dir.resolve("week/d4"));
        Diagnosis all = ENGINE.diagnose(Case.builder().evidence(dir.resolve("week")).build());
        assertEquals(4, all.days().size());
        String was = System.getProperty("kb.dayViewMb");
        try {
            Diagnosis bounded = all;
            for (double mb = 0.01; (bounded.days().size() < 2 || bounded.days().size() > 3) && mb < 64; mb *= 1.3) {
                System.setProperty("kb.dayViewMb", Double.toString(mb));   // a budget that holds two or three of these days
                bounded = ENGINE.diagnose(Case.builder().evidence(dir.resolve("week")).build());
            }
            assertTrue(bounded.days().size() >= 2 && bounded.days().size() < 4, "the oldest days let go: " + bounded.days());
            assertEquals("2026-11-20", bounded.days().get(bounded.days().size() - 1).day(), "the latest day is kept");
            assertEquals("2026-11-20", bounded.onsets().get(0).day(), "the onset is still found");
            String first = bounded.days().get(0).day();
            assertTrue(bounded.examined().stream().anyMatch(e -> e.startsWith("server logs of 4 days: the days before " + first
                    + " were let go")), bounded.examined().toString());
            assertEquals(all.facts(), bounded.facts(), "the whole period counts every line");
            assertEquals(all.findings(), bounded.findings());

            System.setProperty("kb.dayViewMb", "0");
            Diagnosis none = ENGINE.diagnose(Case.builder().evidence(dir.resolve("week")).build());
            assertTrue(none.days().isEmpty() && none.onsets().isEmpty(), "one day kept is no view: " + none.days());
            assertTrue(none.examined().stream().anyMatch(e -> e.contains("were let go from the day-by-day view")), none.examined().toString());
        } finally {
            if (was == null) {
                System.clearProperty("kb.dayViewMb");
            } else {
                System.setProperty("kb.dayViewMb", was);
            }
        }
    }

    @Test
    void aGuidedCaseGainsTheDayByDayViewWhenASecondDaysLogsArrive(@TempDir Path dir) throws Exception {
        balancedDay(dir.resolve("d1"), "2026-11-19");
        affinityDay(dir.resolve("d2"));
        try (org.exkb.engine.api.CaseSession s = ENGINE.open()) {
            s.addEvidence(List.of(dir.resolve("d1")));
            assertTrue(s.diagnose().days().isEmpty(), "one day so far");
            s.addEvidence(List.of(dir.resolve("d2")));
            Diagnosis first = s.diagnose();
            assertEquals(2, first.days().size());
            assertEquals("2026-11-20", first.onsets().get(0).day());
            s.addSymptom("hr=0x80072f0d");
            assertEquals(first.days(), s.diagnose().days(), "a symptom changes no day's logs");
        }
    }

    @Test
    void nearMissesOneDayOrBalancedDaysGiveNoOnset(@TempDir Path dir) throws Exception {
        balancedDay(dir.resolve("calm/d1"), "2026-11-18");
        balancedDay(dir.resolve("calm/d2"), "2026-11-19");
        Diagnosis calm = ENGINE.diagnose(Case.builder().evidence(dir.resolve("calm")).build());
        assertEquals(2, calm.days().size());
        assertTrue(calm.onsets().isEmpty(), "balanced days: nothing began: " + calm.onsets());
        assertTrue(!ReportFormat.text.render(calm).contains("Since when"), "no section when nothing shows");

        affinityDay(dir.resolve("one"));
        Diagnosis one = ENGINE.diagnose(Case.builder().evidence(dir.resolve("one")).build());
        assertTrue(one.days().isEmpty() && one.onsets().isEmpty(), "logs of one day: no day-by-day view");
    }
}
