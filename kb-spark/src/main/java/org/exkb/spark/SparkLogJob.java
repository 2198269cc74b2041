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
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.exkb.engine.api.CaseSession;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.collect.Partial;
import org.exkb.engine.collect.logs.LogStretches;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.model.ReadSummary;
import org.exkb.engine.report.ReportFormat;

/**
 * The server-log readers as an Apache Spark job: every file is read on an executor by the same
 * reader {@code kb diagnose} uses ({@link org.exkb.engine.collect.EvidenceReader}: W3C and httperr logs, event exports,
 * .evtx, gzip and zip), a large plain W3C log in stretches of about 128 MB ({@code --stretch-mb}), each
 * a task, cut and joined as that reader cuts and joins them on threads ({@link LogStretches}); the
 * partial aggregates come back to the driver, are merged there with the same merge in file order, and
 * the merged facts are diagnosed by the same engine. A file whose findings
 * cannot travel (a capture: its facts are the engine's, not a cluster's) is named as a problem, not
 * dropped. No second implementation of any format.
 *
 * <p>{@code SparkLogJob [--master URL] [--format text|json|markdown] [--stretch-mb N] PATH...}; a path is a file or a
 * folder visible to every executor under that name (a mounted share), or a URI of any file system
 * Hadoop reads ({@code hdfs://}, {@code s3a://} with its connector, {@code file://}); folders are walked,
 * files in sorted order as {@code kb diagnose} reads them. A file on such storage is copied to the
 * executor's disk, read there and reported under its URI; a stretch of a large one is read in place.
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
        /** One stretch of a large log, when this task read one (null: the whole file, or the stretch failed here). */
        LogStretches.Stretch stretch;

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

    /** A task: a whole file ({@code plan} null), or stretch {@code stretch} of a large log cut by {@code plan}. */
    record Work(String file, LogStretches.Plan plan, int stretch) implements Serializable {
    }

    /** A file opened for positioned reads: a local file, or a file on Hadoop's storage (read in place, not copied). */
    private static final class Opened implements AutoCloseable {
        private final java.nio.channels.FileChannel local;
        private final org.apache.hadoop.fs.FSDataInputStream remote;
        final LogStretches.Positioned file;

        Opened(String path, org.apache.hadoop.conf.Configuration conf) throws IOException {
            if (isUri(path)) {
                org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
                org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(conf);
                long size = fs.getFileStatus(p).getLen();
                local = null;
                remote = fs.open(p);
                file = new LogStretches.Positioned() {
                    @Override
                    public long size() {
                        return size;
                    }

                    @Override
                    public int read(long at, byte[] b, int off, int len) throws IOException {
                        return remote.read(at, b, off, len);
                    }
                };
            } else {
                remote = null;
                local = java.nio.channels.FileChannel.open(Path.of(path));
                file = LogStretches.of(local);
            }
        }

        @Override
        public void close() throws IOException {
            if (local != null) {
                local.close();
            }
            if (remote != null) {
                remote.close();
            }
        }
    }

    /** Reads one task's file or stretch on an executor. */
    static byte[] readWork(Work w) {
        if (w.plan() == null) {
            return readOne(w.file());
        }
        Shipped s = new Shipped(w.file());
        try (Opened o = new Opened(w.file(), new org.apache.hadoop.conf.Configuration())) {
            s.stretch = LogStretches.read(w.plan(), w.stretch(), o.file);
        } catch (IOException | RuntimeException e) {
            // no stretch: left to the driver, which reads a stretch that did not come back itself (and says it if it cannot either)
        }
        try {
            return serialize(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A path Hadoop's file systems read (hdfs://, s3a://, abfs://, file://), not a plain local path. */
    static boolean isUri(String path) {
        return org.exkb.engine.collect.EvidenceReader.isUri(path);
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

    /**
     * A file on a cluster's storage: copied to this executor's disk under its own name, read, reported
     * as the original (whose folders name a log's server: {@code readAs} reads them from the URI), removed.
     */
    private static CollectResult readRemote(String uri) {
        Path dir = null;
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
            org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(new org.apache.hadoop.conf.Configuration());
            dir = Files.createTempDirectory("kb-spark");
            String name = p.getName();
            Path local = dir.resolve(name.isEmpty() || name.equals(".") || name.equals("..") ? "file" : name);
            try (java.io.InputStream in = fs.open(p)) {
                Files.copy(in, local);
            }
            return Executor.READER.readAs(local, uri, Executor.CONTEXT);
        } catch (IOException | RuntimeException e) {
            return new CollectResult().problem(new EvidenceProblem(uri, "", EvidenceProblem.UNREADABLE, "cannot read it from its storage: " + e));
        } finally {
            if (dir != null) {
                try {
                    org.exkb.engine.collect.EvidenceReader.deleteTree(dir);
                } catch (IOException | RuntimeException ignored) {
                    // the executor's temporary folder is cleaned with it
                }
            }
        }
    }

    /** A file to read, with its size in bytes. */
    record Listed(String file, long size) {
    }

    /** The files under a Hadoop path (recursively), in sorted order; bookkeeping files skipped with the same words as kb diagnose. */
    private static void remoteFiles(String uri, org.apache.hadoop.conf.Configuration conf, List<Listed> out, CollectResult given) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
            org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(conf);
            if (!fs.exists(p)) {
                given.problem(new EvidenceProblem(uri, "", EvidenceProblem.UNREADABLE, "no such file or folder"));
                return;
            }
            List<Listed> found = new ArrayList<>();
            org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(p, true);
            while (it.hasNext()) {
                org.apache.hadoop.fs.LocatedFileStatus status = it.next();
                org.apache.hadoop.fs.Path f = status.getPath();
                if (org.exkb.engine.collect.EvidenceReader.notEvidence(f.getName())) {
                    given.examined(org.exkb.engine.collect.EvidenceReader.skippedNotEvidence(f.toString()));
                } else {
                    found.add(new Listed(f.toString(), status.getLen()));
                }
            }
            found.sort(java.util.Comparator.comparing(Listed::file));
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
    static List<Listed> files(List<String> paths, CollectResult given, org.apache.hadoop.conf.Configuration conf) {
        List<Listed> out = new ArrayList<>();
        for (String p : paths) {
            if (isUri(p)) {
                remoteFiles(p, conf, out, given);
            } else {
                for (Path f : org.exkb.engine.collect.EvidenceReader.files(List.of(Path.of(p)), given)) {
                    long size;
                    try {
                        size = Files.size(f);
                    } catch (IOException | RuntimeException e) {
                        size = -1;   // the reader says what is wrong with it
                    }
                    out.add(new Listed(f.toString(), size));
                }
            }
        }
        return out;
    }

    /** The tasks: a file each, a large W3C log a task per stretch of about {@code stretchBytes}, in file order. */
    static List<Work> plan(List<Listed> files, long stretchBytes, org.apache.hadoop.conf.Configuration conf) {
        List<Work> work = new ArrayList<>();
        for (Listed f : files) {
            LogStretches.Plan plan = null;
            if (f.size() >= 2 * stretchBytes) {
                try (Opened o = new Opened(f.file(), conf)) {
                    plan = LogStretches.plan(f.file(), o.file, stretchBytes, MAX_STRETCHES);
                } catch (IOException | RuntimeException e) {
                    plan = null;   // read whole on an executor, which says what is wrong with it
                }
            }
            if (plan == null) {
                work.add(new Work(f.file(), null, 0));
            } else {
                for (int k = 0; k < plan.stretches(); k++) {
                    work.add(new Work(f.file(), plan, k));
                }
            }
        }
        return work;
    }

    /** Stretches of more than a file's worth of tasks are not worth their bookkeeping. */
    static final int MAX_STRETCHES = 10_000;
    /** The size of a large log's stretch unless told: an HDFS block. */
    static final long STRETCH_BYTES = 128L << 20;

    /** Reads the paths' files on the cluster and diagnoses what they say together on the driver; large logs in stretches of 128 MB. */
    public static Diagnosis run(JavaSparkContext sc, List<String> paths, DiagnosisEngine driverEngine) {
        return run(sc, paths, driverEngine, STRETCH_BYTES);
    }

    /**
     * Reads the paths' files on the cluster, a task a file, a large W3C log a task per stretch of
     * about {@code stretchBytes}, and diagnoses what they say together on the driver.
     */
    public static Diagnosis run(JavaSparkContext sc, List<String> paths, DiagnosisEngine driverEngine, long stretchBytes) {
        CollectResult given = new CollectResult();   // what planning the files found: missing paths, skipped bookkeeping
        org.apache.hadoop.conf.Configuration conf = sc.hadoopConfiguration();
        List<Work> work = plan(files(paths, given, conf), stretchBytes, conf);
        // in batches of a few tasks per core, each merged before the next is read: the driver holds a
        // batch's results, not a fleet's; a large log's stretches are joined as they come
        int batch = Math.max(16, 4 * sc.defaultParallelism());
        try (CaseSession s = driverEngine.open()) {
            s.add(given);
            Joining joining = null;
            for (int from = 0; from < work.size(); from += batch) {
                List<Work> slice = new ArrayList<>(work.subList(from, Math.min(work.size(), from + batch)));
                List<byte[]> read = new ArrayList<>(sc.parallelize(slice, slice.size()).map(SparkLogJob::readWork).collect());
                for (int i = 0; i < slice.size(); i++) {
                    Work w = slice.get(i);
                    Shipped shipped = deserialize(read.set(i, null));
                    if (w.plan() == null) {
                        s.add(shipped.result());
                        continue;
                    }
                    if (w.stretch() == 0) {
                        joining = new Joining(w.file(), w.plan(), conf);
                    }
                    joining.add(shipped.stretch);
                    if (w.stretch() == w.plan().stretches() - 1) {
                        s.add(joining.done());
                        joining = null;
                    }
                }
            }
            return s.diagnose();
        }
    }

    /** A large log's stretches joined on the driver as they come (it reads again any read on a wrong guess or not come back). */
    private static final class Joining {
        private final String file;
        private Opened opened;
        private LogStretches.Joiner joiner;
        private CollectResult failed;

        Joining(String file, LogStretches.Plan plan, org.apache.hadoop.conf.Configuration conf) {
            this.file = file;
            try {
                opened = new Opened(file, conf);
                joiner = new LogStretches.Joiner(plan, opened.file);
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        void add(LogStretches.Stretch s) {
            if (failed == null) {
                try {
                    joiner.add(s);
                } catch (IOException | RuntimeException e) {
                    fail(e);
                }
            }
        }

        private void fail(Exception e) {
            failed = new CollectResult().problem(new EvidenceProblem(file, "", EvidenceProblem.UNREADABLE, "cannot read it from its storage: " + e));
            close();
        }

        private void close() {
            if (opened != null) {
                try {
                    opened.close();
                } catch (IOException ignored) {
                    // read-only: nothing is lost
                }
                opened = null;
            }
        }

        CollectResult done() {
            if (failed != null) {
                return failed;
            }
            CollectResult r = joiner.done();
            close();
            if (!isUri(file)) {
                r.fileRead(Path.of(file));
            }
            return r;
        }
    }

    static final String USAGE = "usage: SparkLogJob [--master local[*]|spark://...|yarn] [--format text|json|markdown] [--stretch-mb N] PATH...";

    public static void main(String[] args) throws Exception {
        String master = null;
        ReportFormat format = ReportFormat.text;
        long stretch = STRETCH_BYTES;
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.startsWith("--") && i + 1 >= args.length) {
                usage(option + " needs a value");
            }
            switch (option) {
                case "--master" -> master = args[++i];
                case "--format" -> {
                    String f = args[++i].toLowerCase(Locale.ROOT);
                    if (java.util.Arrays.stream(ReportFormat.values()).noneMatch(x -> x.name().equals(f))) {
                        usage("--format " + args[i] + ": not text, json or markdown");
                    }
                    format = ReportFormat.valueOf(f);
                }
                case "--stretch-mb" -> {
                    String v = args[++i];
                    if (!v.matches("\\d{1,7}") || Long.parseLong(v) < 1) {
                        usage("--stretch-mb " + v + ": a whole number of megabytes, 1 or more");
                    }
                    stretch = Long.parseLong(v) << 20;
                }
                default -> {
                    if (option.startsWith("--")) {
                        usage(option + ": no such option");
                    }
                    paths.add(option);
                }
            }
        }
        if (paths.isEmpty()) {
            usage("no path given");
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
            Diagnosis d = run(sc, paths, DiagnosisEngine.fromClasspath(), stretch);
            System.out.print(format.render(d));
        }
    }

    private static void usage(String what) {
        System.err.println("SparkLogJob: " + what + "\n" + USAGE);
        System.exit(2);
    }
}
