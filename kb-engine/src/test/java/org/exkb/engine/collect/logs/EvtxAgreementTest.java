package org.exkb.engine.collect.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.testing.ReferenceTools;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The native {@code .evtx} reader held to the XML path: each real file is read natively, and the XML
 * that the reference converter (Debian's libevtx-utils, {@code evtxexport -f xml}) prints for it is read
 * by the event-export reader; both must give the same events (computer, source, id, data) in the
 * same order, for every record the converter can read. The converter writes hexadecimal values padded
 * to their width (0x00000000000003e7) where Windows writes 0x3e7; that one difference is evened out.
 * Where the converter stops early (the CAPI2 log: it fails on record 25) or gives up on damaged
 * records, every event it prints must still be among the native reader's, in order.
 * Runs where evtxexport is installed; CI installs it ({@code .ci/run}), and KB_REQUIRE_TOOLS=1 makes its
 * absence a failure instead of a skip.
 */
class EvtxAgreementTest {
    @TempDir
    Path dir;

    static Path sample(String name) {
        return Path.of("src/test/resources/evtx", name);
    }

    static List<String> nativeEvents(Path file, CollectResult r) throws IOException {
        List<String> events = new ArrayList<>();
        EventExportReader tally = new EventExportReader(file.toString(), r);
        tally.each = e -> events.add(key(e));
        try (InputStream in = Files.newInputStream(file)) {
            new EvtxReader(file.toString(), tally, r).read(in);
        }
        return events;
    }

    static List<String> xmlEvents(Path xml, CollectResult r) throws IOException {
        List<String> events = new ArrayList<>();
        EventExportReader tally = new EventExportReader(xml.toString(), r);
        tally.each = e -> events.add(key(e));
        try (BufferedReader in = Files.newBufferedReader(xml, StandardCharsets.UTF_8)) {
            tally.read(in, EventExportReader.Format.XML);
        }
        return events;
    }

    static List<String> facts(CollectResult r) {
        return r.facts().stream().map(f -> (org.exkb.engine.model.WindowsEvent) f)
                .map(w -> w.computer() + " | " + w.source() + " | " + w.eventId() + " | " + w.count() + " | " + w.names() + " | "
                        + w.first() + " | " + w.last()).toList();
    }

    static String key(String[] e) {
        return e[0] + " | " + e[1] + " | " + e[2] + " | " + e[3].replaceAll("\\b0x0+([0-9a-fA-F])", "0x$1");
    }

    Path convert(Path evtx) throws IOException, InterruptedException {
        Path out = dir.resolve(evtx.getFileName() + ".xml");
        Process p = new ProcessBuilder("evtxexport", "-f", "xml", evtx.toAbsolutePath().toString())
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "evtxexport did not finish");
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        lines.removeIf(l -> l.startsWith("evtxexport ")); // its banner line
        // It writes control characters of values as they are, which XML 1.0 cannot carry (security.evtx:
        // <Data Name="MinPasswordAge">U+0003</Data>); both readers show them as U+FFFD.
        lines.replaceAll(l -> l.replaceAll("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]", "\uFFFD"));
        Files.write(out, lines, StandardCharsets.UTF_8);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"security.evtx", "system.evtx", "sample-with-irregular-bool-values.evtx", "Application_no_crc32.evtx",
        "new-user-security.evtx", "Security_short_selected.evtx"})
    void intactFilesGiveTheSameEventsAsTheReferenceConvertersXml(String name) throws Exception {
        ReferenceTools.require("evtxexport");
        CollectResult n = new CollectResult();
        List<String> mine = nativeEvents(sample(name), n);
        CollectResult x = new CollectResult();
        List<String> theirs = xmlEvents(convert(sample(name)), x);
        assertTrue(theirs.size() > 0, "the converter printed events");
        assertEquals(theirs.size(), mine.size(), "same number of events");
        for (int i = 0; i < mine.size(); i++) {
            assertEquals(theirs.get(i), mine.get(i), "event " + (i + 1));
        }
        assertEquals(List.of(), n.problems(), "an intact file has no problems");
        assertEquals(facts(x), facts(n), "the same WindowsEvent facts, evidence aside");
    }

    @ParameterizedTest
    @ValueSource(strings = {"E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx",
        "sample_with_a_bad_chunk_magic.evtx", "Microsoft-Windows-HelloForBusiness%4Operational.evtx"})
    void whereTheConverterGivesUpEveryEventItPrintsIsReadNativelyInOrder(String name) throws Exception {
        ReferenceTools.require("evtxexport");
        List<String> mine = nativeEvents(sample(name), new CollectResult());
        List<String> theirs = xmlEvents(convert(sample(name)), new CollectResult());
        assertTrue(theirs.size() > 0 && mine.size() > theirs.size(), mine.size() + " native, " + theirs.size() + " converted");
        Map<String, Integer> from = new HashMap<>();
        int at = 0;
        for (String t : theirs) {
            while (at < mine.size() && !mine.get(at).equals(t)) {
                at++;
            }
            assertTrue(at < mine.size(), "the converter's event is not among the native ones, in order: " + t + " (after "
                    + from.size() + " matched)");
            from.merge(t, 1, Integer::sum);
            at++;
        }
    }
}
