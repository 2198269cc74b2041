package org.exkb.engine.collect.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.exkb.engine.collect.CollectContext;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.testing.ReferenceTools;
import org.exkb.engine.testing.TestKnowledge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network Monitor captures held to the pcap path. Wireshark's own NetMon writer (editcap -F netmon2
 * and -F netmon1) converts every bundled real recording with Ethernet framing; the .cap must give the
 * same frames, connections (with their frame numbers), facts and problems as the capture it came from.
 * NetMon 1.x keeps milliseconds only, so durations under a millisecond may read "1 ms" instead of
 * "0 ms" there; that alone is evened out. Runs where editcap is installed (CI installs it; with
 * KB_REQUIRE_TOOLS=1 its absence fails). The damage tests use the fixtures of captures/netmon/convert.sh.
 */
class NetmonAgreementTest {
    private final CollectContext context = new CollectContext(TestKnowledge.small());
    private final CaptureCollector collector = new CaptureCollector();
    @TempDir
    Path dir;

    /** What a capture gives, with its own name taken out. */
    List<String> view(Path file, boolean millis) {
        CollectResult r = collector.collect(file, context);
        String name = file.toString();
        List<String> out = new ArrayList<>();
        r.examined().forEach(e -> out.add("examined " + e.replace(name, "F").replaceFirst("F: [^,]+, ", "F: FORMAT, ")
                .replace(" UTC,", " ZONE,").replaceAll(" local time of the capturing machine \\([^)]*\\),", " ZONE,")));
        r.connections().forEach(c -> out.add("connection " + c.toString().replace(name, "F")));
        r.facts().forEach(f -> out.add("fact " + f.toString().replace(name, "F")));
        r.problems().forEach(p -> out.add("problem " + p.toString().replace(name, "F")));
        if (millis) {
            out.replaceAll(s -> s.replaceAll("\\(\\d+ ms\\)", "(N ms)").replaceAll("\\b\\d+ ms\\b", "N ms")
                    .replaceAll("(reactionMillis|[a-zA-Z]*Millis)=\\d+", "$1=N").replaceAll("nanos=\\d+", "nanos=N"));
        }
        return out;
    }

    static List<Path> ethernetCaptures() throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(org.exkb.engine.KnowledgeSamples.ROOT)) {
            s.filter(p -> p.toString().matches(".*\\.pcap(ng)?")).sorted().forEach(all::add);
        }
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/captures"))) {
            s.filter(p -> p.toString().matches(".*\\.pcap(ng)?")).sorted().forEach(all::add);
        }
        return all;
    }

    boolean convert(Path from, Path to, String format) throws Exception {
        Process p = new ProcessBuilder("editcap", "-F", format, from.toString(), to.toString()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        if (p.exitValue() != 0) {
            assertTrue(said.contains("can't be written"), from + ": " + said); // Linux cooked, raw 802.11: no NetMon media type
            return false;
        }
        return true;
    }

    @Test
    void everyBundledRecordingGivesTheSameFindingsFromItsNetworkMonitorCopy() throws Exception {
        ReferenceTools.require("editcap");
        int compared = 0;
        for (Path capture : ethernetCaptures()) {
            for (String format : List.of("netmon2", "netmon1")) {
                Path cap = dir.resolve(capture.getFileName() + "." + format + ".cap");
                if (!convert(capture, cap, format)) {
                    continue;
                }
                boolean millis = format.equals("netmon1");
                List<String> pcap = view(capture, millis);
                List<String> netmon = view(cap, millis);
                for (int i = 0; i < Math.min(pcap.size(), netmon.size()); i++) {
                    assertEquals(pcap.get(i), netmon.get(i), capture + " as " + format + ", line " + i);
                }
                assertEquals(pcap.size(), netmon.size(), capture + " as " + format);
                compared++;
            }
        }
        assertTrue(compared >= 40, compared + " conversions compared");
    }

    @Test
    void networkMonitor21FramesNameTheirOwnMediaType() {
        Path v21 = Path.of("src/test/resources/captures/netmon/openssl-lo.netmon21.cap"); // written by editcap: see convert.sh
        Path pcap = Path.of("src/test/resources/captures/openssl-lo.pcap");
        assertEquals(view(pcap, false), view(v21, false));
        CollectResult r = collector.collect(v21, context);
        assertTrue(r.examined().get(0).contains("Network Monitor 2.1, 28 frames"), r.examined().toString());
        assertTrue(r.examined().get(0).contains("local time of the capturing machine (Network Monitor 2.1 keeps no time zone)"),
                "the local clock is said: " + r.examined());
        assertEquals(List.of(), r.problems());
    }

    @Test
    void framesCountAsTsharkCountsThem() throws Exception {
        ReferenceTools.require("tshark");
        for (String f : List.of("openssl-lo.netmon2.cap", "openssl-starttls.netmon1.cap", "openssl-renegotiations.netmon2.cap",
                "openssl-lo.netmon21.cap")) {
            Path cap = Path.of("src/test/resources/captures/netmon", f);
            Process p = new ProcessBuilder("tshark", "-r", cap.toString(), "-T", "fields", "-e", "frame.number").start();
            long tshark = new String(p.getInputStream().readAllBytes()).lines().count();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            CollectResult r = collector.collect(cap, context);
            assertEquals(tshark, CaptureBadInputTest.framesRead(r), f);
            assertTrue(r.examined().get(0).contains(f.contains("netmon1") ? "Network Monitor 1.1" : f.contains("21") ? "Network Monitor 2.1"
                    : "Network Monitor 2.0"),
                    r.examined().get(0));
        }
    }

    static void placed(Path file, CollectResult r) {
        for (EvidenceProblem p : r.problems()) {
            assertEquals(file.toString(), p.source(), p.toString());
            assertFalse(p.detail().matches(".*(Exception|Error)\\b.*"), p.toString());
        }
    }

    @Test
    void aCutNetworkMonitorFileKeepsItsFramesBeforeTheCut() throws Exception {
        for (String f : List.of("openssl-renegotiations.netmon2.cap", "openssl-renegotiations.netmon1.cap")) {
            byte[] whole = Files.readAllBytes(Path.of("src/test/resources/captures/netmon", f));
            long all = CaptureBadInputTest.framesRead(collector.collect(Path.of("src/test/resources/captures/netmon", f), context));
            long before = -1;
            for (int cut = 200; cut < whole.length; cut += 97) {
                Path p = dir.resolve("cut-" + cut + ".cap");
                Files.write(p, Arrays.copyOf(whole, cut));
                CollectResult r = collector.collect(p, context);
                placed(p, r);
                long frames = r.examined().isEmpty() ? 0 : CaptureBadInputTest.framesRead(r);
                assertTrue(frames >= before && frames <= all, f + " cut at " + cut + ": " + frames + " frames");
                before = frames;
            }
            assertTrue(before >= all - 2, f + ": the frame table is gone, the frames are still read in file order: " + before);
        }
    }

    @Test
    void changedBytesAndAbsurdLengthsAreNamedNeverThrown() throws Exception {
        Path source = Path.of("src/test/resources/captures/netmon/openssl-lo.netmon2.cap");
        byte[] whole = Files.readAllBytes(source);
        Random random = new Random(Long.getLong("damage.seed", 22));
        for (int i = 0; i < 200; i++) {
            byte[] b = whole.clone();
            int at = random.nextInt(b.length - 4);
            if (i % 2 == 0) {
                b[at] ^= (byte) (1 + random.nextInt(255));
            } else {
                Arrays.fill(b, at, at + 4, (byte) 0xff); // a length or offset made absurd
            }
            Path p = dir.resolve("changed-" + i + ".cap");
            Files.write(p, b);
            placed(p, collector.collect(p, context));
        }
    }
}
