package org.exkb.engine.collect.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.exkb.engine.collect.CollectContext;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.model.WindowsEvent;
import org.exkb.engine.testing.TestKnowledge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The native .evtx reader on files Windows wrote (src/test/resources/evtx, with their provenance), and
 * on the same files damaged: cut off, bytes changed, lengths made absurd. What is readable is used;
 * every problem names the file and the chunk (and the record where there is one).
 */
class EvtxReaderTest {
    @TempDir
    Path dir;

    record Read(List<String> locators, CollectResult result) {
        Set<String> inChunk(int chunk) {
            return locators.stream().filter(l -> l.startsWith("chunk " + chunk + ",")).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    static Read read(String name, byte[] bytes) {
        CollectResult r = new CollectResult();
        List<String> locators = new ArrayList<>();
        EventExportReader tally = new EventExportReader(name, r);
        tally.each = e -> locators.add(e[4]);
        try {
            new EvtxReader(name, tally, r).read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return new Read(locators, r);
    }

    static byte[] sample(String name) throws IOException {
        return Files.readAllBytes(EvtxAgreementTest.sample(name));
    }

    /** Every problem names the file and a place in it; none carries a Java exception's name. */
    static void problemsArePlaced(String name, CollectResult r) {
        for (EvidenceProblem p : r.problems()) {
            assertEquals(name, p.source(), p.toString());
            assertTrue(!p.locator().isEmpty() || p.detail().contains("more problems"), "a place: " + p);
            assertFalse(p.detail().matches(".*(Exception|Error)\\b.*"), "no exception names: " + p);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "security.evtx, 2261, 0", // the reference counts of shared/evtx-samples/README.md
        "system.evtx, 1881, 0",
        "sample-with-irregular-bool-values.evtx, 3028, 0",
        "Application_no_crc32.evtx, 17, 0",
        "new-user-security.evtx, 4, 0",
        "Security_short_selected.evtx, 7, 0",
        // evtxexport stops at record 24 with an error and python-evtx fails on the first record; the Rust parser reads them
        "E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx, 340, 0",
        // the Rust parser reads 6 (its 6th record's end is zero, a SID in it cut short); evtxexport gives up on it and reads 5
        "Microsoft-Windows-HelloForBusiness%4Operational.evtx, 6, 0",
        // Rust 270 + 2 in error, python-evtx 270 (both stop at a chunk's first damaged stretch), evtxexport 267. Here: the same
        // 270 and the 31 intact records after a damaged stretch in chunk 7; the 83 records of the two chunks whose first bytes
        // are wiped are found by their framing but their templates are gone: reported, not used
        "sample_with_a_bad_chunk_magic.evtx, 301, 83"})
    void realFilesGiveTheirRecordCounts(String name, int records, int inError) throws IOException {
        Read r = read(name, sample(name));
        assertEquals(records, r.locators.size(), r.result.examined().toString());
        assertTrue(r.result.examined().get(r.result.examined().size() - 1).contains(String.format("%,d records", records)));
        if (inError > 0) {
            assertTrue(r.result.examined().toString().contains(inError + " records could not be read"), r.result.examined().toString());
        }
        problemsArePlaced(name, r.result);
    }

    @Test
    void theDamagedSampleNamesEachDamageWithItsChunkAndRecord() throws IOException {
        Read r = read("bad.evtx", sample("sample_with_a_bad_chunk_magic.evtx"));
        List<String> p = r.result.problems().stream().map(EvidenceProblem::toString).toList();
        String all = String.join("\n", p);
        assertTrue(all.contains("bad.evtx chunk 6: malformed: the chunk's signature is damaged"), all);
        assertTrue(all.contains("chunk 9, record 45933 (offset 56896): malformed: the record's size is not repeated at its end"), all);
        assertTrue(all.contains("chunk 0: malformed: the checksum of the chunk's records does not match"), all);
        assertTrue(all.contains("chunk 10, record 45963 (offset 8256): malformed: the record's XML cannot be read: the template it uses"),
                all);
        assertTrue(all.contains("chunk 10: malformed: 65 more records of this chunk, up to record 46030"), all);
        assertTrue(r.inChunk(7).contains("chunk 7, record 47705"), "records after a damaged stretch are read");
    }

    @Test
    void aDirtyLogIsReadPastWhatItsHeaderNames() throws IOException {
        Read r = read("system.evtx", sample("system.evtx")); // the file header names 3 chunks and 308 records
        assertEquals(1881, r.locators.size());
        assertTrue(r.result.examined().toString().contains("past the last (308) that the file header names"));
        assertTrue(r.result.examined().toString().contains("marked dirty"));
        assertEquals(List.of(), r.result.problems(), "dirty is usual, not a problem");
    }

    @Test
    void eventsBecomeTheSameFactsAsAnExport() throws IOException {
        Read r = read("new-user-security.evtx", sample("new-user-security.evtx"));
        WindowsEvent e = r.result.facts().stream().map(WindowsEvent.class::cast).filter(w -> w.eventId() == 4720).findFirst().orElseThrow();
        assertEquals("IE8Win7", e.computer());
        assertEquals("Microsoft-Windows-Security-Auditing", e.source());
        assertEquals(1, e.count());
        assertEquals("2013-10-23T16:22:39.973500000Z", e.first(), "the time Windows wrote, as its XML shows it");
        assertEquals(e.first(), e.last());
        String excerpt = e.evidence().get(0).toString();
        assertTrue(excerpt.contains("chunk 0, record 2") && excerpt.contains("IEUser IE8Win7 S-1-5-21-3463664321-2923530833-3546627382-1000"
                + " S-1-5-18 WIN-QALA5Q3KJ43$ WORKGROUP 0x3e7"), excerpt);
    }

    @Test
    void aFileCutAnywhereKeepsEveryRecordBeforeTheCut() throws IOException {
        byte[] whole = sample("security.evtx");
        Read all = read("security.evtx", whole);
        Random random = new Random(Long.getLong("damage.seed", 20));
        for (int i = 0; i < 25; i++) {
            int cut = i == 0 ? 100 : i == 1 ? 4096 + 300 : random.nextInt(whole.length);
            Read r = read("cut.evtx", java.util.Arrays.copyOf(whole, cut));
            problemsArePlaced("cut.evtx", r.result);
            int chunksBefore = Math.max(0, (cut - 4096) / 65536);
            for (int c = 0; c < chunksBefore; c++) {
                assertEquals(all.inChunk(c), r.inChunk(c), "chunk " + c + " before a cut at " + cut);
            }
            assertTrue(all.locators.containsAll(r.locators), "nothing invented after a cut at " + cut);
            int cutChunk = 4096 + (cut - 4096) / 65536 * 65536;
            boolean inUse = cut > 4096 && java.util.stream.IntStream.range(cutChunk, Math.min(whole.length, cutChunk + 65536))
                    .anyMatch(k -> whole[k] != 0);
            if (cut < whole.length && (cut - 4096) % 65536 != 0 && inUse) { // a cut inside an unused chunk loses nothing
                assertTrue(r.result.problems().stream().anyMatch(p -> p.detail().contains("the file ends")), "the cut is said at " + cut);
            }
        }
    }

    @Test
    void changedBytesCostOnlyTheirChunk() throws IOException {
        byte[] whole = sample("system.evtx");
        Read all = read("system.evtx", whole);
        Random random = new Random(Long.getLong("damage.seed", 21));
        for (int i = 0; i < 30; i++) {
            byte[] b = whole.clone();
            int chunk = random.nextInt(15);
            int base = 4096 + chunk * 65536;
            for (int k = 0; k < 1 + random.nextInt(8); k++) {
                b[base + random.nextInt(65536)] ^= (byte) (1 + random.nextInt(255));
            }
            Read r = read("changed.evtx", b);
            problemsArePlaced("changed.evtx", r.result);
            for (int c = 0; c < 15; c++) {
                if (c != chunk) {
                    assertEquals(all.inChunk(c), r.inChunk(c), "chunk " + c + " when chunk " + chunk + " is damaged");
                }
            }
        }
    }

    @Test
    void absurdLengthsAnywhereInARecordAreRefusedWithoutHarm() throws IOException {
        byte[] whole = sample("Security_short_selected.evtx");
        Read all = read("short.evtx", whole);
        for (int at = 4096 + 512; at < 4096 + 512 + 1200; at += 2) {
            for (int value : new int[] {0xFFFFFFFF, 0x7FFFFFFF, 0x0000FFFF}) {
                byte[] b = whole.clone();
                b[at] = (byte) value;
                b[at + 1] = (byte) (value >> 8);
                b[at + 2] = (byte) (value >> 16);
                b[at + 3] = (byte) (value >> 24);
                Read r = read("absurd.evtx", b);
                problemsArePlaced("absurd.evtx", r.result);
                assertTrue(r.locators.size() <= all.locators.size() + 1, "at " + at);
            }
        }
    }

    @Test
    void notAnEvtxAtAllIsSaidAsSuch() {
        Read r = read("empty.evtx", new byte[0]);
        assertEquals(0, r.locators.size());
        assertTrue(r.result.problems().get(0).detail().contains("shorter than an .evtx file header"));
        byte[] text = "this is not an event log, but it is long enough to be taken for a header by its length alone.............."
                .repeat(60).getBytes();
        Read t = read("text.evtx", text);
        assertTrue(t.result.problems().get(0).detail().contains("signature is not 'ElfFile'"), t.result.problems().toString());
        problemsArePlaced("text.evtx", t.result);
    }

    @Test
    void anEvtxIsReadAloneCompressedAndInAZip() throws IOException {
        byte[] bytes = sample("new-user-security.evtx");
        Path plain = dir.resolve("Security.evtx");
        Files.write(plain, bytes);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(bytes);
        }
        Path gzipped = dir.resolve("Security.evtx.gz");
        Files.write(gzipped, gz.toByteArray());
        Path zip = dir.resolve("logs.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("CAS01/Security.evtx"));
            z.write(bytes);
        }
        for (Path f : List.of(plain, gzipped, zip)) {
            LogCollector c = new LogCollector();
            byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(f), 512);
            assertTrue(c.accepts(f, head), f.toString());
            CollectResult r = c.collect(f, new CollectContext(TestKnowledge.small()));
            assertEquals(List.of(), r.problems(), f.toString());
            assertEquals(4, r.facts().stream().mapToLong(x -> ((WindowsEvent) x).count()).sum(), f + ": " + r.examined());
        }
    }
}
