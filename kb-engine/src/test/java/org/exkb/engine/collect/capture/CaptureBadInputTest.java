package org.exkb.engine.collect.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.exkb.engine.collect.CollectContext;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.model.HandshakeOutcome;
import org.exkb.engine.model.TlsHandshake;
import org.exkb.engine.testing.TestKnowledge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged and wrong input: a clear problem naming the file and the place, never an exception. */
class CaptureBadInputTest {
    private final CollectContext context = new CollectContext(TestKnowledge.small());
    private final CaptureCollector collector = new CaptureCollector();
    @TempDir
    Path dir;

    static Path sample(String folder, String file) {
        return org.exkb.engine.KnowledgeSamples.file(folder, file);
    }

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void tracesOfWindowsToolsThatAreNotReadAreAnsweredWithHowToConvertThem() throws Exception {
        Path etl = write("NetTrace.etl", new byte[64]);
        Path matp = write("session.matp", new byte[64]);
        for (Path p : List.of(etl, matp)) {
            assertTrue(collector.accepts(p, Files.readAllBytes(p)), p.toString());
            CollectResult r = collector.collect(p, context);
            assertEquals(1, r.problems().size(), r.problems().toString());
            assertEquals(EvidenceProblem.UNSUPPORTED, r.problems().get(0).reason());
        }
        assertTrue(collector.collect(etl, context).problems().get(0).detail().contains("pktmon etl2pcap NetTrace.etl"));
        assertTrue(collector.collect(matp, context).problems().get(0).detail().contains("Message Analyzer"));
    }

    @Test
    void aNetworkMonitorHeaderAloneIsACaptureWithoutFramesNotAnUnknownFile() throws Exception {
        byte[] netmon = new byte[128];
        netmon[0] = 'G';
        netmon[1] = 'M';
        netmon[2] = 'B';
        netmon[3] = 'U';
        netmon[5] = 2;
        netmon[6] = 1;
        Path cap = write("client.cap", netmon);
        assertTrue(collector.accepts(cap, netmon));
        CollectResult r = collector.collect(cap, context);
        assertTrue(r.examined().get(0).contains("Network Monitor 2.0, 0 frames"), r.examined().toString());
    }

    @Test
    void aTruncatedCaptureUsesEveryFrameBeforeTheCutAndSaysWhere() throws Exception {
        byte[] whole = Files.readAllBytes(sample("capture-non-sni-reset", "capture.pcap"));
        Path cut = write("cut.pcap", Arrays.copyOf(whole, whole.length * 3 / 4));
        CollectResult r = collector.collect(cut, context);
        EvidenceProblem p = r.problems().get(0);
        assertEquals(cut.toString(), p.source());
        assertTrue(p.locator().matches("frame \\d+"), p.locator());
        assertTrue(p.detail().contains("frames before it were used"), p.detail());
        assertTrue(r.facts().stream().anyMatch(f -> f instanceof TlsHandshake h && h.outcome() == HandshakeOutcome.REJECTED),
                "the rejected SNI-less hello lies before the cut: " + r.facts());
    }

    /** "N frames" from the line that describes the file. */
    static long framesRead(CollectResult r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) frames").matcher(r.examined().get(0));
        assertTrue(m.find(), r.examined().get(0));
        return Long.parseLong(m.group(1));
    }

    /** File offsets where each pcap record starts. */
    static List<Integer> pcapRecords(byte[] b) {
        ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> at = new java.util.ArrayList<>();
        for (int p = 24; p + 16 <= b.length; p += 16 + in.getInt(p + 8)) {
            at.add(p);
        }
        return at;
    }

    @Test
    void aDamagedPcapRecordHeaderCostsOnlyItsOwnFrameAndSaysWhereReadingWentOn() throws Exception {
        byte[] b = Files.readAllBytes(sample("capture-non-sni-reset", "capture.pcap"));
        List<Integer> records = pcapRecords(b);
        long all = framesRead(collector.collect(write("whole.pcap", b), context));
        assertEquals(records.size(), all);
        int k = records.size() / 3; // 0-based: frame k + 1
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(records.get(k) + 8, 0x7fff0000); // captured length
        CollectResult r = collector.collect(write("damaged.pcap", b), context);
        assertEquals(all - 1, framesRead(r), "every frame but the damaged one: " + r.problems());
        EvidenceProblem p = r.problems().get(0);
        assertEquals("frame " + (k + 1) + ", offset 0x" + Integer.toHexString(records.get(k)), p.locator());
        assertTrue(p.detail().contains("damaged record header") && p.detail().contains("reading goes on")
                && p.detail().contains(String.format("offset 0x%x", records.get(k + 1))), p.detail());
        assertTrue(r.facts().stream().anyMatch(f -> f instanceof TlsHandshake h && h.outcome() == HandshakeOutcome.REJECTED), r.facts().toString());
    }

    /** File offsets and types of the pcapng blocks. */
    static List<int[]> pcapngBlocks(byte[] b) {
        ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        List<int[]> out = new java.util.ArrayList<>();
        for (int p = 0; p + 12 <= b.length; p += in.getInt(p + 4)) {
            out.add(new int[] {p, in.getInt(p)});
        }
        return out;
    }

    @Test
    void aDamagedPcapngBlockOrInterfaceDescriptionDoesNotCostTheRestOfTheCapture() throws Exception {
        byte[] whole = Files.readAllBytes(sample("capture-missing-intermediate", "capture.pcapng"));
        CollectResult ok = collector.collect(write("whole.pcapng", whole), context);
        long all = framesRead(ok);
        List<int[]> blocks = pcapngBlocks(whole);

        byte[] b = whole.clone();
        int[] mid = blocks.stream().filter(x -> x[1] == 6).skip(all / 2).findFirst().orElseThrow();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(mid[0] + 4, 0x10001); // leading length: not a multiple of 4
        CollectResult r = collector.collect(write("damaged.pcapng", b), context);
        assertEquals(all - 1, framesRead(r), r.problems().toString());
        assertTrue(r.problems().get(0).detail().contains("reading goes on"), r.problems().toString());

        byte[] noIdb = whole.clone();
        int[] idb = blocks.stream().filter(x -> x[1] == 1).findFirst().orElseThrow();
        ByteBuffer.wrap(noIdb).order(ByteOrder.LITTLE_ENDIAN).putInt(idb[0], 0x7777); // the description block's type
        CollectResult g = collector.collect(write("no-interface.pcapng", noIdb), context);
        assertEquals(all, framesRead(g), g.problems().toString());
        assertTrue(g.problems().stream().anyMatch(p -> p.detail().contains("interface 0 is not described")
                && p.detail().contains("(Ethernet), guessed")), g.problems().toString());
        assertEquals(ok.facts().stream().filter(TlsHandshake.class::isInstance).count(),
                g.facts().stream().filter(TlsHandshake.class::isInstance).count(), "the same handshakes as the whole capture");
    }

    @Test
    void aSnapLengthCutMakesTheHelloAndTheChainUnknownNotAbsent() throws Exception {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(sample("capture-missing-intermediate-near-miss-full-chain", "capture.pcap")))
                .order(ByteOrder.LITTLE_ENDIAN);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = new byte[24];
        in.get(header);
        ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 96); // snaplen 96, as tcpdump -s 96 writes
        out.write(header);
        while (in.remaining() >= 16) {
            int sec = in.getInt();
            int usec = in.getInt();
            int incl = in.getInt();
            int orig = in.getInt();
            byte[] data = new byte[incl];
            in.get(data);
            int kept = Math.min(incl, 96);
            ByteBuffer rec = ByteBuffer.allocate(16 + kept).order(ByteOrder.LITTLE_ENDIAN);
            rec.putInt(sec).putInt(usec).putInt(kept).putInt(orig).put(data, 0, kept);
            out.write(rec.array());
        }
        CollectResult r = collector.collect(write("snap96.pcap", out.toByteArray()), context);
        assertEquals(List.of(), r.problems());
        assertTrue(r.examined().stream().anyMatch(e -> e.contains("cut by the capture's snap length")), r.examined().toString());
        assertEquals("?", r.connections().get(0).sni(), "the hello was cut before its extensions: SNI unknown, not absent");
        assertTrue(r.facts().stream().noneMatch(f -> f instanceof org.exkb.engine.model.PresentedChain), "no chain claimed from a cut message");
        assertTrue(r.facts().stream().noneMatch(f -> f instanceof TlsHandshake h && h.sni() == org.exkb.engine.model.Tri.NO));
    }

    @Test
    void anEmptyFileIsEmpty() throws Exception {
        CollectResult r = collector.collect(write("empty.pcap", new byte[0]), context);
        assertEquals(EvidenceProblem.EMPTY, r.problems().get(0).reason());
    }

    @Test
    void aFileThatIsNotACaptureSaysWhatItFound() throws Exception {
        CollectResult r = collector.collect(write("notes.pcap", "these are my notes about the outage\n".getBytes()), context);
        EvidenceProblem p = r.problems().get(0);
        assertEquals(EvidenceProblem.UNSUPPORTED, p.reason());
        assertTrue(p.detail().contains("magic 0x74686573"), p.detail());
    }

    @Test
    void anUnknownLinkTypeIsAProblemNamedWithTheFirstFrame() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(147); // LINKTYPE_USER0
        out.write(h.array());
        for (int i = 0; i < 3; i++) {
            ByteBuffer rec = ByteBuffer.allocate(16 + 20).order(ByteOrder.LITTLE_ENDIAN);
            rec.putInt(1_700_000_000 + i).putInt(0).putInt(20).putInt(20).put(new byte[20]);
            out.write(rec.array());
        }
        CollectResult r = collector.collect(write("user0.pcap", out.toByteArray()), context);
        // frames nobody here can read are evidence not used: a problem (exit 3), not a note under Examined
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertEquals("frame 1", r.problems().get(0).locator());
        assertTrue(r.problems().get(0).detail().startsWith("3 frame(s) in link type 147"), r.problems().get(0).detail());
    }

    @Test
    void aGzippedCaptureIsReadDirectly() throws Exception {
        Path gz = dir.resolve("trace.pcapng.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(sample("capture-non-sni-nginx-alert", "capture.pcapng")));
        }
        assertTrue(collector.accepts(gz, Files.readAllBytes(gz)));
        CollectResult r = collector.collect(gz, context);
        assertEquals(List.of(), r.problems());
        assertTrue(r.examined().get(0).contains("pcapng (gzip)"), r.examined().get(0));
        assertFalse(r.connections().isEmpty());
    }

    /**
     * In the spirit of pcap4j's mutation tester: bits flipped and bytes cut in real captures, thousands
     * of times. The collector must return (facts and problems), never throw, never hang.
     */
    @Test
    void mutatedCapturesNeverThrowNorHang() throws Exception {
        List<Path> originals = List.of(sample("capture-non-sni-reset", "capture.pcap"),
                sample("capture-missing-intermediate", "capture.pcapng"), sample("capture-name-mismatch", "capture.pcap"),
                sample("capture-non-sni-nginx-alert", "capture.pcapng"));
        Random random = new Random(20261122);
        int[] withProblems = {0};
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            for (int i = 0; i < 3000; i++) {
                byte[] b = Files.readAllBytes(originals.get(i % originals.size()));
                int flips = 1 + random.nextInt(8);
                for (int k = 0; k < flips; k++) {
                    int at = random.nextInt(b.length);
                    b[at] ^= (byte) (1 << random.nextInt(8));
                }
                if (random.nextInt(4) == 0) {
                    b = Arrays.copyOf(b, random.nextInt(b.length));
                }
                Path p = write("m" + (i % 8) + (originals.get(i % originals.size()).toString().endsWith("ng") ? ".pcapng" : ".pcap"), b);
                CollectResult r = collector.collect(p, context);
                if (!r.problems().isEmpty()) {
                    withProblems[0]++;
                }
                for (EvidenceProblem pr : r.problems()) {
                    assertEquals(p.toString(), pr.source());
                    assertFalse(pr.detail().isBlank());
                }
            }
        });
        assertTrue(withProblems[0] > 100, "mutations should often be reported: " + withProblems[0]);
    }
}
