package org.exkb.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.exkb.engine.KnowledgeSamples;
import org.exkb.engine.api.Case;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.api.DiagnosisJson;
import org.exkb.engine.collect.logs.FleetLogs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job in local mode against {@code kb diagnose}'s engine on the same files: the same
 * findings, questions, facts (every count), evidence problems and connections, and the same lines
 * examined. On every server-log sample of the built-in knowledge (IIS W3C logs of several servers,
 * httperr, event exports, a zip of server folders, damaged and noisy lines), one at a time and all at
 * once as one fleet.
 */
class SparkAgreementTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static JavaSparkContext sc;
    static DiagnosisEngine engine;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("kb agreement")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1"));
        sc.setLogLevel("WARN");
        engine = DiagnosisEngine.fromClasspath();
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    static List<Path> logSamples() {
        return KnowledgeSamples.all().stream().filter(p -> p.getFileName().toString().startsWith("logs-")).toList();
    }

    /** The logs and event exports of a sample (its case.yaml holds the ticket's answers, not server evidence). */
    static List<Path> logFiles(Path sample) throws Exception {
        try (Stream<Path> s = Files.walk(sample)) {
            return s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().matches("case\\.yaml|expected\\.yaml"))
                    .sorted().toList();
        }
    }

    static Diagnosis single(List<Path> files) {
        Case.Builder c = Case.builder();
        files.forEach(c::evidence);
        return engine.diagnose(c.build());
    }

    static Diagnosis spark(List<Path> files) {
        return SparkLogJob.run(sc, files.stream().map(Path::toString).toList(), engine);
    }

    static void assertSame(Diagnosis single, Diagnosis spark, String what) throws Exception {
        JsonNode a = JSON.readTree(DiagnosisJson.write(single));
        JsonNode b = JSON.readTree(DiagnosisJson.write(spark));
        for (String field : List.of("findings", "questions", "facts", "evidence_problems", "connections", "days", "onsets")) {
            assertEquals(a.get(field), b.get(field), what + ": " + field);
        }
        assertEquals(sorted(a.get("examined")), sorted(b.get("examined")), what + ": examined");
    }

    static List<String> sorted(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.toString()));
        out.sort(null);
        return out;
    }

    @Test
    void eachLogSampleGivesTheSameDiagnosisOnSpark() throws Exception {
        List<Path> samples = logSamples();
        assertTrue(samples.size() >= 8, "the log samples: " + samples);
        for (Path sample : samples) {
            List<Path> files = logFiles(sample);
            assertSame(single(files), spark(files), sample.getFileName().toString());
        }
        // a folder as given: walked and sorted the same way, its bookkeeping skipped with the same words
        Path folder = KnowledgeSamples.named("logs-lb-affinity");
        assertSame(engine.diagnose(Case.builder().evidence(folder).build()), SparkLogJob.run(sc, List.of(folder.toString()), engine),
                "the folder logs-lb-affinity");
    }

    @Test
    void aFleetOfServersReadTogetherMergesTheSameWay() throws Exception {
        List<Path> files = new ArrayList<>();
        for (Path sample : logSamples()) {
            files.addAll(logFiles(sample));
        }
        Diagnosis single = single(files);
        assertSame(single, spark(files), "all log samples at once");
        assertFalse(single.findings().isEmpty());
    }

    @Test
    void generatedFleetLogsWithHeaderChangesDamageAndRolloverAgree(@TempDir Path dir) throws Exception {
        long seed = 1;
        for (String server : List.of("CAS01", "CAS02", "CAS03")) {
            Path w3c = Files.createDirectories(dir.resolve(server).resolve("W3SVC1"));
            Files.write(w3c.resolve("u_ex261120.log"), FleetLogs.w3c(seed++, 4000));
            Files.write(w3c.resolve("u_ex261120_1.log"), FleetLogs.w3c(seed++, 3000));       // rolled over by size
            byte[] day2 = FleetLogs.w3c(seed++, 3000);
            try (java.util.zip.GZIPOutputStream g = new java.util.zip.GZIPOutputStream(Files.newOutputStream(w3c.resolve("u_ex261121.log.gz")))) {
                g.write(day2);
            }
            byte[] cut = new String(FleetLogs.w3c(seed++, 2000), java.nio.charset.StandardCharsets.ISO_8859_1)
                    .replace("2026-11-20", "2026-11-22").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);   // another day
            Files.write(w3c.resolve("u_ex261122.log"), java.util.Arrays.copyOf(cut, cut.length * 2 / 3));   // cut off mid-line
            Path err = Files.createDirectories(dir.resolve(server).resolve("HTTPERR"));
            for (int i = 1; i <= 3; i++) {
                Files.write(err.resolve("httperr" + i + ".log"), FleetLogs.httperr(seed++, i % 3));
            }
        }
        Diagnosis single = engine.diagnose(Case.builder().evidence(dir).build());
        Diagnosis spark = SparkLogJob.run(sc, List.of(dir.toString()), engine);
        assertSame(single, spark, "a generated fleet of three servers");
        assertTrue(single.read().size() >= 21, "every file was read: " + single.read().size());
        assertFalse(single.evidenceProblems().isEmpty(), "the damage is reported");
        assertEquals(2, single.days().size(), "two days of logs, each also diagnosed alone: " + single.days());
    }

    /**
     * Large logs are cut into stretches read by different tasks and joined on the driver; the stretches
     * fall across header changes, restarts with NUL padding and invalid bytes (read again from the
     * right state where the guess was wrong), on local paths and through Hadoop's file system alike.
     */
    @Test
    void largeLogsReadInStretchesByManyTasksAgree(@TempDir Path dir) throws Exception {
        long seed = 40;
        long largest = 0;
        for (String server : List.of("CAS01", "CAS02")) {
            Path w3c = Files.createDirectories(dir.resolve(server).resolve("W3SVC1"));
            for (String day : List.of("261120", "261121")) {
                byte[] log = new String(FleetLogs.w3c(seed++, 8000), java.nio.charset.StandardCharsets.ISO_8859_1)
                        .replace("2026-11-20", "20" + day.substring(0, 2) + "-" + day.substring(2, 4) + "-" + day.substring(4))
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                Files.write(w3c.resolve("u_ex" + day + ".log"), log);
                largest = Math.max(largest, log.length);
            }
            Path err = Files.createDirectories(dir.resolve(server).resolve("HTTPERR"));
            Files.write(err.resolve("httperr1.log"), FleetLogs.httperr(seed++, 1));
        }
        // a log rolled over monthly: four days in one file, cut where each day begins as well
        byte[] month = FleetLogs.days(seed, 24000, 4);
        Files.write(Files.createDirectories(dir.resolve("CAS03/W3SVC1")).resolve("u_ex2611.log"), month);
        Diagnosis single = engine.diagnose(Case.builder().evidence(dir).build());
        assertEquals(4, single.days().size(), "the days of the monthly log: " + single.days());
        long stretch = largest / 9;
        List<SparkLogJob.Work> work = SparkLogJob.plan(SparkLogJob.files(List.of(dir.toString()), new org.exkb.engine.collect.CollectResult(),
                sc.hadoopConfiguration()), stretch, sc.hadoopConfiguration());
        assertTrue(work.size() > 6 * 4, "each W3C log is cut into several stretches, each a task: " + work.size() + " tasks");
        assertTrue(work.stream().anyMatch(w -> w.plan() == null && w.file().contains("httperr")), "an httperr log is read whole");
        assertSame(single, SparkLogJob.run(sc, List.of(dir.toString()), engine, stretch), "large logs in stretches");
        assertSame(single, SparkLogJob.run(sc, List.of(dir.toString()), engine, largest / 3), "large logs in fewer stretches");
        // the same through Hadoop's file system: stretches read in place with positioned reads
        Diagnosis uri = SparkLogJob.run(sc, List.of(dir.toUri().toString()), engine, stretch);
        JsonNode x = JSON.readTree(DiagnosisJson.write(single));
        JsonNode y = JSON.readTree(DiagnosisJson.write(uri).replace("\"file:/", "\"/").replace(" file:/", " /"));
        for (String field : List.of("findings", "facts", "evidence_problems", "days", "onsets")) {
            assertEquals(x.get(field), y.get(field), "stretches through Hadoop's file system: " + field);
        }
    }

    @Test
    void pathsOnAnyFileSystemHadoopReadsAreReadThereAndNamedAsGiven() throws Exception {
        // file:// goes through Hadoop's FileSystem as hdfs:// and s3a:// do: listed there, copied to the executor, named by URI
        for (String name : List.of("logs-lb-affinity", "logs-renegotiation-deadlock", "logs-firewall-idle-timeout")) {
            Path sample = KnowledgeSamples.named(name).toAbsolutePath().normalize();
            List<Path> files = logFiles(sample);
            Diagnosis single = single(files);
            Diagnosis spark = SparkLogJob.run(sc, files.stream().map(f -> f.toUri().toString()).toList(), engine);
            String a = DiagnosisJson.write(single);
            String b = DiagnosisJson.write(spark).replace("\"file:/", "\"/").replace(" file:/", " /");
            JsonNode x = JSON.readTree(a);
            JsonNode y = JSON.readTree(b);
            for (String field : List.of("findings", "facts", "evidence_problems", "days", "onsets")) {
                assertEquals(x.get(field), y.get(field), name + " through Hadoop's file system: " + field);
            }
            assertTrue(DiagnosisJson.write(spark).contains("\"file:" + sample), "named by the URI given: " + name);
        }
        Diagnosis missing = SparkLogJob.run(sc, List.of("file:///nonexistent/kb-logs"), engine);
        assertTrue(DiagnosisJson.write(missing).contains("no such file or folder"));
    }

    @Test
    void whatCannotTravelOrCannotBeReadIsSaidNotDropped(@TempDir Path dir) throws Exception {
        Path capture = KnowledgeSamples.file("capture-non-sni-reset", "capture.pcap");
        Path log = dir.resolve("u_ex261203.log");
        try (Stream<String> lines = Files.lines(KnowledgeSamples.named("logs-lb-affinity").resolve("CAS01/W3SVC1/u_ex261120.log"))) {
            Files.write(log, lines.limit(40).toList());
        }
        Diagnosis d = SparkLogJob.run(sc, List.of(capture.toString(), log.toString(), dir.resolve("missing").toString()), engine);
        String json = DiagnosisJson.write(d);
        assertTrue(json.contains("give this file to kb diagnose"), "a capture is named, not dropped: " + json);
        assertTrue(json.contains("no such file or folder"), json);
        assertTrue(d.examined().stream().anyMatch(e -> e.startsWith(log.toString())), "the log was read: " + d.examined());
    }
}
