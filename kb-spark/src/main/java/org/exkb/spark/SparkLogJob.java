package org.exkb.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.exkb.engine.api.CaseSession;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.collect.Partial;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.model.ReadSummary;
import org.exkb.engine.report.ReportFormat;

/**
 * The server-log readers as an Apache Spark job: every file is read on an executor by the same
 * reader {@code kb diagnose} uses ({@link org.exkb.engine.collect.EvidenceReader}: W3C and httperr logs, event exports,
 * .evtx, gzip and zip), its partial aggregates come back to the driver, are merged there with the same
 * merge in file order, and the merged facts are diagnosed by the same engine. A file whose findings
 * cannot travel (a capture: its facts are the engine's, not a cluster's) is named as a problem, not
 * dropped. No second implementation of any format.
 *
 * <p>{@code SparkLogJob [--master URL] [--format text|json|markdown] PATH...}; a path is a file or a
 * folder visible to every executor under that name (a mounted share), or a URI of any file system
 * Hadoop reads ({@code hdfs://}, {@code s3a://} with its connector, {@code file://}); folders are walked,
 * files in sorted order as {@code kb diagnose} reads them. A file on such storage is copied to the
 * executor's disk, read there and reported under its URI.
 */
public final class SparkLogJob {
    private SparkLogJob() {
    }

    /** What one file gave, as it travels from an executor to the driver. */
    static final class Shipped implements Serializable {
        private static final long serialVersionUID = 1L;
        final String file;
        final List<String> examined = new ArrayList<>();
        final List<EvidenceProblem> problems = new ArrayList<>();
        final List<ReadSummary> read = new ArrayList<>();
        final List<Partial> partials = new ArrayList<>();
        final List<Object> facts = new ArrayList<>();

        Shipped(String file) {
            this.file = file;
        }

        CollectResult result() {
            CollectResult r = new CollectResult();
            examined.forEach(r::examined);
            problems.forEach(r::problem);
            read.forEach(r::read);
            partials.forEach(r::partial);
            facts.forEach(r::fact);
            if (!isUri(file)) {
                r.fileRead(Path.of(file));
            }
            return r;
        }
    }

    /** An executor's reader: the collectors and the knowledge they consult, without the rules (only the driver diagnoses). */
    private static final class Executor {
        static final org.exkb.engine.collect.EvidenceReader READER =
                new org.exkb.engine.collect.EvidenceReader(DiagnosisEngine.defaultCollectors());
        static final org.exkb.engine.collect.CollectContext CONTEXT = new org.exkb.engine.collect.CollectContext(
                org.exkb.engine.knowledge.Knowledge.fromClasspath(SparkLogJob.class.getClassLoader()));
    }

    /** A path Hadoop's file systems read (hdfs://, s3a://, abfs://, file://), not a plain local path. */
    static boolean isUri(String path) {
        return path.matches("[A-Za-z][A-Za-z0-9+.-]+:/.*");   // hdfs://h/p, file:/p (as Hadoop writes it); not C:/
    }

    /** Reads one file on an executor; the result serialized, or a problem that says why it cannot travel. */
    static byte[] readOne(String file) {
        Shipped s = new Shipped(file);
        CollectResult r = isUri(file) ? readRemote(file)
                : Executor.READER.read(List.of(Path.of(file)), Executor.CONTEXT, java.util.Set.of());
        s.examined.addAll(r.examined());
        s.problems.addAll(r.problems());
        s.read.addAll(r.read());
        s.partials.addAll(r.takePartials());
        s.facts.addAll(r.facts());
        try {
            return serialize(s);
        } catch (IOException notForAcluster) {
            Shipped only = new Shipped(file);
            only.problems.add(new EvidenceProblem(file, "", EvidenceProblem.UNSUPPORTED,
                    "this job reads server logs and event logs; give this file to kb diagnose (" + notForAcluster.getMessage() + ")"));
            try {
                return serialize(only);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A file on a cluster's storage: copied to this executor's disk under its own path, read, reported as the original, removed. */
    private static CollectResult readRemote(String uri) {
        Path dir = null;
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
            org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(new org.apache.hadoop.conf.Configuration());
            dir = Files.createTempDirectory("kb-spark");
            // the whole path under the temporary folder: the reader names a log's server after its folders (CAS01/W3SVC1)
            String rel = p.toUri().getPath().replaceFirst("^/+", "");
            Path local = dir.resolve(rel.isEmpty() || rel.contains("..") ? "file" : rel).normalize();
            if (!local.startsWith(dir)) {
                local = dir.resolve(p.getName().isEmpty() ? "file" : p.getName());
            }
            Files.createDirectories(local.getParent());
            try (java.io.InputStream in = fs.open(p)) {
                Files.copy(in, local);
            }
            return Executor.READER.readAs(local, uri, Executor.CONTEXT);
        } catch (IOException | RuntimeException e) {
            return new CollectResult().problem(new EvidenceProblem(uri, "", EvidenceProblem.UNREADABLE, "cannot read it from its storage: " + e));
        } finally {
            if (dir != null) {
                try (Stream<Path> w = Files.walk(dir)) {
                    w.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
                } catch (IOException ignored) {
                    // the executor's temporary folder is cleaned with it
                }
            }
        }
    }

    /** The files under a Hadoop path (recursively), in sorted order; bookkeeping files skipped with the same words as kb diagnose. */
    private static void remoteFiles(String uri, org.apache.hadoop.conf.Configuration conf, List<String> out, CollectResult given) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
            org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(conf);
            if (!fs.exists(p)) {
                given.problem(new EvidenceProblem(uri, "", EvidenceProblem.UNREADABLE, "no such file or folder"));
                return;
            }
            List<String> found = new ArrayList<>();
            org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(p, true);
            while (it.hasNext()) {
                org.apache.hadoop.fs.Path f = it.next().getPath();
                if (org.exkb.engine.collect.EvidenceReader.notEvidence(f.getName())) {
                    given.examined(f + ": skipped (not evidence: sample bookkeeping or documentation)");
                } else {
                    found.add(f.toString());
                }
            }
            found.sort(null);
            out.addAll(found);
        } catch (IOException | RuntimeException e) {
            given.problem(new EvidenceProblem(uri, "", EvidenceProblem.UNREADABLE, "cannot list it: " + e.getMessage()));
        }
    }

    static byte[] serialize(Shipped s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(b)) {
            o.writeObject(s);
        }
        return b.toByteArray();
    }

    static Shipped deserialize(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (Shipped) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("a file's result did not survive the trip from the executor: " + e, e);
        }
    }

    /** The files of the paths, in the order kb diagnose reads them (each folder walked, sorted). */
    static List<String> files(List<String> paths, CollectResult given, org.apache.hadoop.conf.Configuration conf) {
        List<String> out = new ArrayList<>();
        for (String p : paths) {
            if (isUri(p)) {
                remoteFiles(p, conf, out, given);
            } else {
                org.exkb.engine.collect.EvidenceReader.files(List.of(Path.of(p)), given).forEach(f -> out.add(f.toString()));
            }
        }
        return out;
    }

    /** Reads the paths' files on the cluster, one task a file, and diagnoses what they say together on the driver. */
    public static Diagnosis run(JavaSparkContext sc, List<String> paths, DiagnosisEngine driverEngine) {
        CollectResult given = new CollectResult();   // what planning the files found: missing paths, skipped bookkeeping
        List<String> files = files(paths, given, sc.hadoopConfiguration());
        List<byte[]> read = files.isEmpty() ? List.of()
                : sc.parallelize(files, files.size()).map(SparkLogJob::readOne).collect();   // collect keeps the order
        try (CaseSession s = driverEngine.open()) {
            s.add(given);
            for (byte[] b : read) {
                s.add(deserialize(b).result());
            }
            return s.diagnose();
        }
    }

    public static void main(String[] args) throws Exception {
        String master = null;
        ReportFormat format = ReportFormat.text;
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--master" -> master = args[++i];
                case "--format" -> format = ReportFormat.valueOf(args[++i].toLowerCase(Locale.ROOT));
                default -> paths.add(args[i]);
            }
        }
        if (paths.isEmpty()) {
            System.err.println("usage: SparkLogJob [--master local[*]|spark://...|yarn] [--format text|json|markdown] PATH...");
            System.exit(2);
        }
        SparkConf conf = new SparkConf().setAppName("kb server logs");
        if (master != null) {
            conf.setMaster(master);
        }
        if (master == null || master.startsWith("local")) {   // one machine: nothing listens beyond loopback
            conf.set("spark.driver.bindAddress", "127.0.0.1").set("spark.driver.host", "127.0.0.1").set("spark.ui.enabled", "false");
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            Diagnosis d = run(sc, paths, DiagnosisEngine.fromClasspath());
            System.out.print(format.render(d));
        }
    }
}
