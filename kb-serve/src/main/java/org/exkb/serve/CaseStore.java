package org.exkb.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.exkb.engine.api.Case;
import org.exkb.engine.api.CaseSession;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.collect.casefile.CaseCodec;

/**
 * Guided cases on disk: one folder per case under the operator's folder, holding the case as the
 * shell saves it ({@code case.case.yaml}) and the files uploaded for it ({@code evidence/},
 * {@code trust/}). A case is kept open in memory while it is used (a bounded number of them) and
 * brought back from its folder after a restart or a reload; a case untouched for longer than the
 * retention time is removed with its files. Probe results are not kept: after a restart the case
 * lists the servers probed, and probing again refreshes them.
 */
final class CaseStore implements AutoCloseable {
    static final String CASE_FILE = "case.case.yaml";
    private static final int OPEN_AT_MOST = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An open case; callers hold its lock while they use or change it. */
    static final class Open {
        final String id;
        final Path dir;
        CaseSession session;
        final List<String> problems = new ArrayList<>();

        Open(String id, Path dir, CaseSession session) {
            this.id = id;
            this.dir = dir;
            this.session = session;
        }

        Path evidenceDir() {
            return dir.resolve("evidence");
        }

        Path trustDir() {
            return dir.resolve("trust");
        }
    }

    private final Path root;
    private final Duration retention;
    private volatile Supplier<DiagnosisEngine> engine;
    private final Map<String, Open> open = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Open> eldest) {
            if (size() > OPEN_AT_MOST) {
                synchronized (eldest.getValue()) {
                    eldest.getValue().session.close();
                }
                return true;
            }
            return false;
        }
    };

    CaseStore(Path root, Duration retention, Supplier<DiagnosisEngine> engine) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.retention = retention;
        this.engine = engine;
        Files.createDirectories(this.root);
    }

    Path root() {
        return root;
    }

    /** A new, empty case with its folder. */
    Open create() throws IOException {
        String id = HexFormat.of().formatHex(bytes(16));
        Path dir = root.resolve(id);
        Files.createDirectories(dir.resolve("evidence"));
        Files.createDirectories(dir.resolve("trust"));
        Open o = new Open(id, dir, engine.get().open());
        save(o);
        synchronized (open) {
            open.put(id, o);
        }
        return o;
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** The case with this id: open already, or brought back from its folder; 404 when there is none. */
    Open get(String id) {
        if (!id.matches("[0-9a-f]{32}")) {
            throw Problem.notFound("no case " + id);
        }
        synchronized (open) {
            Open o = open.get(id);
            if (o != null) {
                return o;
            }
        }
        Path dir = root.resolve(id);
        Path file = dir.resolve(CASE_FILE);
        if (!Files.isRegularFile(file)) {
            throw Problem.notFound("no case " + id + " (never created, deleted, or removed after the retention time)");
        }
        Open fresh = restore(id, dir, file);     // reads its evidence again: outside the lock every other case needs
        synchronized (open) {
            Open first = open.putIfAbsent(id, fresh);
            if (first != null) {
                fresh.session.close();
                return first;
            }
            return fresh;
        }
    }

    private Open restore(String id, Path dir, Path file) {
        CaseCodec.Result parsed;
        try {
            parsed = CaseCodec.yaml(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the saved case", e);
        }
        Open o = new Open(id, dir, engine.get().open());
        parsed.problems().forEach(p -> o.problems.add(CASE_FILE + " " + p.where() + ": " + p.message()));
        CaseCodec.Description d = parsed.description();
        if (d == null) {
            return o;
        }
        Case.Builder b = Case.builder();
        d.symptoms().forEach(b::symptom);
        b.client(d.client());
        d.answers().forEach(b::answer);
        inside(dir, d.evidence(), o).forEach(b::evidence);
        inside(dir, d.trust(), o).forEach(b::trust);
        d.probe().forEach(b::probe);
        o.session.label(d.title(), d.notes()).load(b.build(), false);
        return o;
    }

    /** Only files in the case's own folder are read back; anything else in an edited case file is said and left. */
    private static List<Path> inside(Path dir, List<String> paths, Open o) {
        List<Path> out = new ArrayList<>();
        for (String s : paths) {
            Path p = dir.resolve(s).normalize();
            if (p.startsWith(dir)) {
                out.add(p);
            } else {
                o.problems.add(CASE_FILE + ": " + s + " is outside the case's folder and is not read");
            }
        }
        return out;
    }

    /** Writes the case file (whole, then moved into place, so that a crash leaves the old one). */
    void save(Open o) throws IOException {
        Path tmp = o.dir.resolve(CASE_FILE + ".tmp");
        Files.writeString(tmp, CaseCodec.yaml(o.session.describe()), StandardCharsets.UTF_8);
        Files.move(tmp, o.dir.resolve(CASE_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    void delete(String id) throws IOException {
        Open o = get(id);
        synchronized (open) {
            open.remove(id);
        }
        synchronized (o) {
            o.session.close();
            removeTree(o.dir);
        }
    }

    /** Removes the cases untouched for longer than the retention time; returns how many. */
    int sweep(Instant now) throws IOException {
        int removed = 0;
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{32}")).toList();
        }
        for (Path dir : dirs) {
            Path file = dir.resolve(CASE_FILE);
            FileTime t = Files.isRegularFile(file) ? Files.getLastModifiedTime(file) : Files.getLastModifiedTime(dir);
            if (t.toInstant().plus(retention).isBefore(now)) {
                String id = dir.getFileName().toString();
                Open o;
                synchronized (open) {
                    o = open.remove(id);
                }
                if (o != null) {
                    synchronized (o) {
                        o.session.close();
                    }
                }
                removeTree(dir);
                removed++;
            }
        }
        return removed;
    }

    /** After a reload: open cases are brought back from their folders by the new engine when next used. */
    void reset(Supplier<DiagnosisEngine> fresh) {
        engine = fresh;
        synchronized (open) {
            open.values().forEach(o -> {
                synchronized (o) {
                    o.session.close();
                }
            });
            open.clear();
        }
    }

    static void removeTree(Path dir) throws IOException {
        org.exkb.engine.collect.EvidenceReader.deleteTree(dir);
    }

    @Override
    public void close() {
        synchronized (open) {
            open.values().forEach(o -> o.session.close());
            open.clear();
        }
    }
}
