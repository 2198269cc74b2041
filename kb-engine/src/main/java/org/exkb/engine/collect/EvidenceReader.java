package org.exkb.engine.collect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.exkb.engine.model.EvidenceProblem;

/**
 * Reads evidence paths: files, or folders walked in name order. Each file goes to the first
 * collector that accepts it. Nothing is dropped silently: a file no collector reads is an
 * {@code unsupported} problem, a sample's own bookkeeping (expected findings, README, recording
 * scripts) is listed as skipped, and a collector that throws despite its contract becomes a
 * {@code malformed} problem instead of taking the diagnosis down.
 */
public final class EvidenceReader {
    /** Files that sit beside evidence in sample folders but are not evidence. */
    private static final Pattern NOT_EVIDENCE = Pattern.compile(
            "(?i)(expected\\.ya?ml|readme.*|.*\\.md|.*\\.sh|.*\\.py|\\..*)");
    /** Whether a file found in a folder is left out as not evidence (sample bookkeeping, documentation, hidden files). */
    public static boolean notEvidence(String fileName) {
        return NOT_EVIDENCE.matcher(fileName).matches();
    }

    /**
     * Whether a name is a URI of a file system (hdfs://, s3a://, abfs://, file:/ as Hadoop writes it),
     * not a plain local path (C:/ is a path).
     */
    public static boolean isUri(String name) {
        return name.matches("[A-Za-z][A-Za-z0-9+.-]+:/.*");
    }

    /** What the output says of a file left out because it is not evidence (a sample's bookkeeping, documentation). */
    public static String skippedNotEvidence(String file) {
        return file + ": skipped (not evidence: sample bookkeeping or documentation)";
    }

    /**
     * Deletes a folder and everything in it (nothing when it does not exist): tries every file, then
     * throws the first failure.
     */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        IOException first = null;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Bytes of each file its collector is chosen by: enough for a whole header line (a localized event CSV header in UTF-16 is about 150). */
    private static final int HEAD = 512;

    private final List<EvidenceCollector> collectors;

    public EvidenceReader(List<EvidenceCollector> collectors) {
        this.collectors = List.copyOf(collectors);
    }

    public CollectResult read(List<Path> paths, CollectContext context) {
        return read(paths, context, java.util.Set.of());
    }

    /**
     * The files the paths name, in the order they are read: a folder walked, its files sorted, its
     * bookkeeping and documentation skipped (said in {@code all}'s examined lines); a path that does not
     * exist, a folder that cannot be listed or holds no files, said in {@code all}'s problems. A cluster job
     * plans its tasks with this too, so that it reads the same files in the same order.
     */
    public static List<Path> files(List<Path> paths, CollectResult all) {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                all.problem(new EvidenceProblem(p.toString(), "", EvidenceProblem.UNREADABLE, "no such file or folder"));
            } else if (Files.isDirectory(p)) {
                List<Path> inFolder = new ArrayList<>();
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile).sorted().forEach(inFolder::add);
                } catch (IOException | RuntimeException e) {
                    all.problem(new EvidenceProblem(p.toString(), "", EvidenceProblem.UNREADABLE, "cannot list the folder: " + e.getMessage()));
                }
                if (inFolder.isEmpty()) {
                    all.problem(new EvidenceProblem(p.toString(), "", EvidenceProblem.EMPTY, "the folder holds no files"));
                }
                for (Path f : inFolder) {
                    if (NOT_EVIDENCE.matcher(f.getFileName().toString()).matches()) {
                        all.examined(skippedNotEvidence(f.toString()));
                    } else {
                        files.add(f);
                    }
                }
            } else {
                files.add(p);
            }
        }
        return files;
    }

    /**
     * Reads the files, leaving out those in {@code done} (real paths of files a case already holds:
     * a folder added again is not counted twice); the result lists the files read in
     * {@link CollectResult#filesRead()}.
     */
    public CollectResult read(List<Path> paths, CollectContext context, java.util.Set<Path> done) {
        CollectResult all = new CollectResult();
        List<Path> files = files(paths, all);
        // a file given twice (a folder and a file in it) is read once: its requests must not count twice
        java.util.Set<Path> seen = new java.util.HashSet<>();
        List<Path> once = new ArrayList<>();
        for (Path f : files) {
            Path key;
            try {
                key = f.toRealPath();
            } catch (IOException | RuntimeException e) {
                key = f.toAbsolutePath().normalize();
            }
            if (done.contains(key)) {
                all.examined(f + ": already in this case; not read again");
            } else if (seen.add(key)) {
                once.add(f);
                all.fileRead(key);
            } else {
                all.examined(f + ": given more than once; read once");
            }
        }
        files = once;
        // each file's reader is chosen once; files that change how others are read (trusted roots) go
        // first, in their given order
        List<Planned> plan = new ArrayList<>();
        Path unpacked = null;
        try {
            for (Path f : files) {
                Planned p = plan(f, f.toString());
                plan.add(p);
                if (p.head() != null && p.collector() != null && ArchiveExpander.isZip(f, p.head())) {
                    try { // a zip of a case folder: its captures, certificates and case files are read like files
                        if (unpacked == null) {
                            unpacked = Files.createTempDirectory("exkb-archive");
                        }
                        ArchiveExpander x = new ArchiveExpander(Files.createTempDirectory(unpacked, "a"));
                        for (ArchiveExpander.Entry e : x.expand(f, this::streamed, this::takenOut, NOT_EVIDENCE, all)) {
                            plan.add(plan(e.file(), e.source()));
                        }
                    } catch (IOException e) {
                        all.problem(new EvidenceProblem(f.toString(), "", EvidenceProblem.UNREADABLE, "its captures, certificates and"
                                + " case files cannot be taken out to a temporary folder (" + e + "); its logs are read"));
                    }
                }
            }
            readPlanned(plan, context, all);
        } finally {
            if (unpacked != null) {
                delete(unpacked);
            }
        }
        return all;
    }

    /**
     * Reads one file reported under another name: a local copy of a file on a cluster's storage
     * (hdfs://, s3a://...), named as the original. Logs in a zip are read from inside it; captures in
     * a zip are not taken out here (give the zip to kb diagnose).
     */
    public CollectResult readAs(Path file, String source, CollectContext context) {
        CollectResult all = new CollectResult();
        readPlanned(new ArrayList<>(List.of(plan(file, source))), context, all);
        return all;
    }

    /** Whether a collector reads an archive entry with this name and these first bytes from inside the archive. */
    private boolean streamed(String name, byte[] head) {
        return collectors.stream().anyMatch(c -> c.streamsFromArchive(name, head));
    }

    /** Whether a collector reads such an entry once it is taken out of the archive. */
    private boolean takenOut(String name, byte[] head) {
        Path p = Path.of(name);
        return collectors.stream().anyMatch(c -> !c.streamsFromArchive(name, head) && c.accepts(p, head));
    }

    private static void delete(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException | RuntimeException ignored) {
            // a temporary file left behind: the system's temp cleaning takes it
        }
    }

    private void readPlanned(List<Planned> plan, CollectContext context, CollectResult all) {
        List<Planned> ordered = new ArrayList<>();
        plan.stream().filter(Planned::early).forEach(ordered::add);
        plan.stream().filter(x -> !x.early()).forEach(ordered::add);
        CollectContext current = context;
        int i = 0;
        for (; i < ordered.size() && ordered.get(i).early(); i++) { // one after the other: each may add roots for the next
            Planned f = ordered.get(i);
            if (Thread.currentThread().isInterrupted()) {
                all.problem(cancelled(f));
                continue;
            }
            CollectResult r = f.collect(current);
            if (!r.trust().isEmpty()) {
                current = current.withTrust(current.trust().plus(r.trust()));
            }
            all.addAll(r);
        }
        readTogether(ordered.subList(i, ordered.size()), current, all);
    }

    private static EvidenceProblem cancelled(Planned f) {
        return new EvidenceProblem(f.source(), "", EvidenceProblem.UNREADABLE, "not read: reading was cancelled");
    }

    /**
     * Reads the files on as many threads as there are processors (a folder of a day's logs from
     * each server is many files) and adds what each gave in the files' order, so the result is the
     * same as reading them one after the other. An interrupt of the calling thread cancels what is
     * still being read; those files are reported as not read.
     */
    private static void readTogether(List<Planned> files, CollectContext context, CollectResult all) {
        int threads = Math.min(files.size(), Runtime.getRuntime().availableProcessors());
        if (threads < 2 || Thread.currentThread().isInterrupted()) {
            for (Planned f : files) {
                all.addAll(Thread.currentThread().isInterrupted() ? new CollectResult().problem(cancelled(f)) : f.collect(context));
            }
            return;
        }
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "exkb-evidence-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<CollectResult>> results = new ArrayList<>();
            for (Planned f : files) {
                results.add(pool.submit(() -> f.collect(context)));
            }
            boolean cancel = Thread.currentThread().isInterrupted();
            for (int k = 0; k < files.size(); k++) {
                java.util.concurrent.Future<CollectResult> r = results.get(k);
                if (!cancel) {
                    try {
                        all.addAll(r.get());
                        continue;
                    } catch (InterruptedException e) {
                        cancel = true;
                    } catch (java.util.concurrent.ExecutionException e) { // collect() turns failures into problems; this is a bug
                        all.problem(new EvidenceProblem(files.get(k).source(), "", EvidenceProblem.MALFORMED,
                                "reader failed: " + e.getCause()));
                        continue;
                    }
                }
                r.cancel(true);
                all.problem(cancelled(files.get(k)));
            }
            if (cancel) {
                Thread.currentThread().interrupt();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A file, its first bytes, and the collector that accepted it (null: none, or unreadable). */
    private record Planned(Path file, String source, byte[] head, String unreadable, EvidenceCollector collector, List<EvidenceCollector> all) {
        boolean early() {
            return collector != null && collector.early();
        }

        CollectResult collect(CollectContext context) {
            String f = source;
            if (unreadable != null) {
                return new CollectResult().problem(new EvidenceProblem(f, "", EvidenceProblem.UNREADABLE, unreadable));
            }
            if (collector != null) {
                try {
                    return f.equals(file.toString()) ? collector.collect(file, context) : collector.collect(file, f, context);
                } catch (RuntimeException e) {
                    return new CollectResult().problem(new EvidenceProblem(f, "", EvidenceProblem.MALFORMED,
                            collector.name() + " reader failed: " + e));
                }
            }
            if (head.length == 0) {
                return new CollectResult().problem(new EvidenceProblem(f, "", EvidenceProblem.EMPTY, "the file is empty"));
            }
            String archive = otherArchive(file.getFileName().toString(), head);
            return new CollectResult().problem(new EvidenceProblem(f, "", EvidenceProblem.UNSUPPORTED, archive != null
                    ? "a " + archive + ", which this version does not open: unpack it and give the folder, or pack the files as .zip"
                    : "no reader for this kind of file (read here: " + String.join(", ", all.stream().map(EvidenceCollector::name).toList()) + ")"));
        }
    }

    /** The kind of an archive other than zip and a single gzip file, from its first bytes or name; null for anything else. */
    static String otherArchive(String name, byte[] head) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (starts(head, 0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c)) {
            return "7-Zip archive";
        }
        if (starts(head, 'R', 'a', 'r', '!', 0x1a, 0x07)) {
            return "RAR archive";
        }
        if (starts(head, 'M', 'S', 'C', 'F')) {
            return "Windows cabinet (.cab)";
        }
        if (head.length >= 262 && head[257] == 'u' && head[258] == 's' && head[259] == 't' && head[260] == 'a' && head[261] == 'r') {
            return "tar archive";
        }
        if (n.matches(".*\\.(tar\\.gz|tgz|tar\\.bz2|tbz2?|tar\\.xz|txz|tar\\.zst|tar)")) {
            return "tar archive";
        }
        if (starts(head, 'B', 'Z', 'h') || starts(head, 0xfd, '7', 'z', 'X', 'Z', 0) || starts(head, 0x28, 0xb5, 0x2f, 0xfd)) {
            return "bzip2, xz or zstd compressed file";
        }
        return null;
    }

    private static boolean starts(byte[] head, int... bytes) {
        if (head.length < bytes.length) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if ((head[i] & 0xff) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private Planned plan(Path f, String source) {
        byte[] head;
        try (InputStream in = Files.newInputStream(f)) {
            head = in.readNBytes(HEAD);
        } catch (IOException | RuntimeException e) {
            return new Planned(f, source, null, e.toString(), null, collectors);
        }
        for (EvidenceCollector c : collectors) {
            if (c.accepts(f, head)) {
                return new Planned(f, source, head, null, c, collectors);
            }
        }
        return new Planned(f, source, head, null, null, collectors);
    }
}
