package org.exkb.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.exkb.engine.KnowledgeSamples;
import org.exkb.engine.api.Case;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.collect.logs.FleetLogs;
import org.exkb.engine.report.ReportFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's {@code spark-submit} line, run as written against a real Spark standalone cluster on
 * 127.0.0.1: a master and a worker in processes of their own, started from a Spark installation laid
 * out as a distribution lays it out ({@code SPARK_HOME/jars}: Spark's jars, from target/spark-lib, and
 * none of the job's), the worker starting executors in JVMs of their own, which get the job's classes
 * only through {@code --jars}. {@code spark-submit} is the two lines Spark's own script comes down to
 * (java running {@code org.apache.spark.deploy.SparkSubmit} on the installation's jars; the script is
 * not on Maven Central). The report must be the one {@code kb diagnose} gives for the same folder, a
 * large log in it read in stretches by the executors.
 */
class SparkClusterIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final String OPENS = System.getProperty("kb.spark.opens", "");

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The README's spark-submit command (its continuation lines joined, comments dropped). */
    static String readmeSparkSubmit() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher m = Pattern.compile("(?m)^spark-submit (?:[^\n]*\\\\\n)*[^\n]*$").matcher(readme);
        assertTrue(m.find(), "the README has a spark-submit line");
        return m.group().replaceAll("\\s*#[^\n]*", "").replace("\\\n", " ");
    }

    static Process start(List<String> command, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder b = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        b.environment().putAll(env);
        return b.start();
    }

    static void awaitLine(Path log, String text, Process p, long seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + text + "' in " + log + ":\n" + tail(log));
    }

    static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no output)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    static void stop(Process p) throws InterruptedException {
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** A usage error is said with what was wrong and the usage line, and nothing starts. */
    @Test
    void usageErrorsAreSaidBeforeSparkStarts() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = ROOT.resolve("kb-spark/target/kb-spark.jar") + ":" + ROOT.resolve("kb-spark/target/lib") + "/*:"
                + ROOT.resolve("kb-spark/target/spark-lib") + "/*";
        Map<List<String>, String> cases = Map.of(
                List.of("--stretch-mb", "0", "logs"), "--stretch-mb 0: a whole number of megabytes, 1 or more",
                List.of("--stretch-mb", "lots", "logs"), "--stretch-mb lots: a whole number of megabytes",
                List.of("--format", "pdf", "logs"), "--format pdf: not text, json or markdown",
                List.of("--colour", "logs"), "--colour: no such option",
                List.of("--master"), "--master needs a value",
                List.of("--format", "json"), "no path given");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            List<String> command = new ArrayList<>(List.of(java, "-cp", cp, "org.exkb.spark.SparkLogJob"));
            command.addAll(c.getKey());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(2, p.exitValue(), c.getKey() + ": " + out);
            assertTrue(out.contains("SparkLogJob: " + c.getValue()) && out.contains("usage: SparkLogJob"), c.getKey() + ": " + out);
            assertTrue(!out.contains("Exception") && !out.contains("SparkContext"), "said before Spark starts: " + out);
        }
    }

    @Test
    void theReadmeSparkSubmitLineRunsOnAStandaloneClusterAndReportsWhatKbDiagnoseDoes(@TempDir Path tmp) throws Exception {
        Path lib = ROOT.resolve("kb-spark/target/lib");
        Path sparkLib = ROOT.resolve("kb-spark/target/spark-lib");
        assertTrue(Files.isDirectory(lib) && Files.isDirectory(sparkLib), "kb-spark is packaged");
        // a Spark installation: its jars only
        Path home = Files.createDirectories(tmp.resolve("spark"));
        Path jars = Files.createDirectories(home.resolve("jars"));
        try (Stream<Path> s = Files.list(sparkLib)) {
            for (Path j : s.toList()) {
                Files.createSymbolicLink(jars.resolve(j.getFileName()), j);
            }
        }
        try (Stream<Path> s = Files.list(jars)) {
            assertTrue(s.noneMatch(j -> j.getFileName().toString().matches("(kb-|drools-|kie-).*")), "the installation has none of the job's jars");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path submit = bin.resolve("spark-submit");
        Files.writeString(submit, "#!/usr/bin/env bash\nexec \"" + java + "\" " + OPENS + " -cp \"$SPARK_HOME/jars/*\""
                + " org.apache.spark.deploy.SparkSubmit \"$@\"\n");
        assertTrue(submit.toFile().setExecutable(true));

        // the folder: a sample's logs and a large generated log, which the job cuts into stretches
        Path fleet = Files.createDirectories(tmp.resolve("cas-logs"));
        Path sample = KnowledgeSamples.named("logs-lb-affinity");
        try (Stream<Path> s = Files.walk(sample)) {
            for (Path f : s.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                Path to = fleet.resolve(sample.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
        Path large = Files.createDirectories(fleet.resolve("CAS09/W3SVC1")).resolve("u_ex261121.log");
        try (var out = Files.newOutputStream(large)) {
            for (long seed = 70; Files.size(large) < (5L << 20); seed++) {
                out.write(FleetLogs.w3c(seed, 4000));
                out.flush();
            }
        }

        Map<String, String> env = Map.of("SPARK_HOME", home.toString(), "SPARK_LOCAL_IP", "127.0.0.1", "SPARK_SCALA_VERSION", "2.13",
                "SPARK_NO_DAEMONIZE", "1", "PATH", bin + ":" + System.getenv("PATH"));
        int port = freePort();
        Process master = null;
        Process worker = null;
        try {
            List<String> jvm = new ArrayList<>(List.of(java));
            jvm.addAll(List.of(OPENS.split(" ")));
            jvm.addAll(List.of("-Xmx512m", "-cp", jars + "/*"));
            List<String> m = new ArrayList<>(jvm);
            m.addAll(List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", Integer.toString(port),
                    "--webui-port", Integer.toString(freePort())));
            Path masterLog = tmp.resolve("master.log");
            master = start(m, env, masterLog);
            awaitLine(masterLog, "I have been elected leader", master, 60);
            List<String> w = new ArrayList<>(jvm);
            w.addAll(List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--webui-port", Integer.toString(freePort()),
                    "--cores", "2", "--memory", "2g", "--work-dir", tmp.resolve("work").toString(), "spark://127.0.0.1:" + port));
            worker = start(w, env, tmp.resolve("worker.log"));
            awaitLine(masterLog, "Registering worker", worker, 60);

            String line = readmeSparkSubmit().replace("spark://HOST:7077", "spark://127.0.0.1:" + port)
                    .replace("/shares/cas-logs", "--stretch-mb 1 " + fleet);
            assertTrue(line.contains("--stretch-mb 1 " + fleet) && line.contains("127.0.0.1:" + port), line);
            Path out = tmp.resolve("report.md");
            Path err = tmp.resolve("submit.log");
            ProcessBuilder b = new ProcessBuilder("bash", "-c", line).directory(ROOT.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            b.environment().putAll(env);
            Process job = b.start();
            assertTrue(job.waitFor(300, TimeUnit.SECONDS), "the job ended in time:\n" + tail(err));
            assertEquals(0, job.exitValue(), "spark-submit: " + line + "\n" + tail(err));
            assertTrue(Files.readString(masterLog).contains("Registered app kb server logs"), "the job ran on the cluster:\n" + tail(masterLog));
            assertTrue(Files.readString(tmp.resolve("worker.log")).contains("Asked to launch executor"), tail(tmp.resolve("worker.log")));
            // the executor: a JVM of the worker's, which fetched the job's jars from the driver and ran every task
            String executor;
            try (Stream<Path> s = Files.walk(tmp.resolve("work"))) {
                Path stderr = s.filter(f -> f.getFileName().toString().equals("stderr")).findFirst().orElseThrow();
                executor = Files.readString(stderr, StandardCharsets.ISO_8859_1);
            }
            assertTrue(executor.contains("Fetching spark://127.0.0.1:") && executor.contains("kb-engine-1.0.0.jar"), "the job's jars came with --jars");
            List<SparkLogJob.Work> work = SparkLogJob.plan(SparkLogJob.files(List.of(fleet.toString()),
                    new org.exkb.engine.collect.CollectResult(), new org.apache.hadoop.conf.Configuration()), 1L << 20,
                    new org.apache.hadoop.conf.Configuration());
            assertTrue(work.stream().filter(x -> x.plan() != null).count() >= 5, "the large log is cut into stretches: " + work);
            assertEquals(work.size(), Pattern.compile("Finished task").matcher(executor).results().count(),
                    "the executor ran a task per file or stretch");

            Diagnosis single = DiagnosisEngine.fromClasspath().diagnose(Case.builder().evidence(fleet).build());
            String expected = ReportFormat.markdown.render(single);
            assertTrue(expected.contains("u_ex261121.log") && expected.contains("LB_SOURCE_IP_AFFINITY_BEHIND_NAT"), expected);
            assertEquals(expected, Files.readString(out), "the cluster's report is kb diagnose's");
        } finally {
            stop(worker);
            stop(master);
        }
    }
}
