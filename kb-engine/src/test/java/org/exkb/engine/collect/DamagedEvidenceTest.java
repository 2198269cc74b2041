package org.exkb.engine.collect;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.testing.TestKnowledge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every evidence file of the bundled samples, damaged the ways files get damaged on their way to a
 * support desk (cut off, bytes changed, gzipped or zipped and then cut off): whatever the damage, a
 * read gives problems that name the file (or the archive entry) and a place, never an exception or
 * an internal failure, and never hangs.
 */
class DamagedEvidenceTest {
    /** A Java exception's class name in a message: what a reader let through instead of saying what was wrong. */
    static final java.util.regex.Pattern JAVA_THROWABLE = java.util.regex.Pattern.compile("\\b(java|javax|sun|com|org)\\.[\\w.]+\\.\\w*(Exception|Error)\\b");

    @TempDir
    Path dir;

    private final EvidenceReader reader = new EvidenceReader(DiagnosisEngine.defaultCollectors());
    private final CollectContext context = new CollectContext(TestKnowledge.small());

    static List<Path> sampleFiles() throws IOException {
        try (Stream<Path> s = Files.walk(org.exkb.engine.KnowledgeSamples.ROOT)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/recording/"))
                    .filter(p -> !p.getFileName().toString().matches("expected\\.yaml|pom\\.xml|.*\\.md")).sorted().toList();
        }
    }

    @Test
    void damagedCopiesOfEverySampleAreReadWithoutFailureAndEveryProblemNamesItsFile() throws Exception {
        Random random = new Random(Long.getLong("damage.seed", 20261122L)); // -Ddamage.seed=N for other damage
        List<Path> files = sampleFiles();
        assertTrue(files.size() > 50, "the samples: " + files.size());
        int[] reads = {0};
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            for (Path original : files) {
                byte[] b = Files.readAllBytes(original);
                if (b.length == 0) {
                    continue;
                }
                String name = original.getFileName().toString();
                List<byte[]> variants = new ArrayList<>();
                variants.add(Arrays.copyOf(b, random.nextInt(b.length)));
                byte[] flipped = b.clone();
                for (int k = 0; k < 1 + random.nextInt(20); k++) {
                    flipped[random.nextInt(flipped.length)] = (byte) new int[] {0, 0xff, '\n', '\r', ' ', '#', ',', '"', '<', random.nextInt(256)}[random.nextInt(10)];
                }
                variants.add(flipped);
                int v = 0;
                for (byte[] variant : variants) {
                    check(write(v++ + "/" + name, variant));
                    reads[0]++;
                }
                byte[] gz = gzip(name.endsWith(".gz") ? b : b);
                check(write(v++ + "/" + (name.endsWith(".gz") ? name : name + ".gz"), Arrays.copyOf(gz, 10 + random.nextInt(gz.length - 10))));
                byte[] zip = zip("CAS01/" + name, b);
                check(write(v + "/case.zip", Arrays.copyOf(zip, 30 + random.nextInt(zip.length - 30))));
                reads[0] += 2;
            }
        });
        assertTrue(reads[0] > 200, "reads: " + reads[0]);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
        return p;
    }

    private void check(Path p) {
        CollectResult r = reader.read(List.of(p), context);
        r.facts();
        for (EvidenceProblem problem : r.problems()) {
            String s = problem.toString();
            assertTrue(problem.source().startsWith(p.toString()), "names the file: " + s);
            assertFalse(s.contains("reader failed") || JAVA_THROWABLE.matcher(s).find(), "an internal failure: " + s);
            assertFalse(problem.detail().isBlank(), s);
        }
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(o)) {
            g.write(data);
        }
        return o.toByteArray();
    }

    static byte[] zip(String entry, byte[] data) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(o)) {
            z.putNextEntry(new ZipEntry(entry));
            z.write(data);
        }
        return o.toByteArray();
    }
}
