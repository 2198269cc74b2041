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
import org.exkb.engine.collect.EvidenceProblem;
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
        return Path.of("../evidence-samples", folder, file);
    }

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void tracesOfWindowsToolsAreAnsweredWithHowToConvertThem() throws Exception {
        byte[] netmon = new byte[64];
        netmon[0] = 'G';
        netmon[1] = 'M';
        netmon[2] = 'B';
        netmon[3] = 'U';
        Path cap = write("client.cap", netmon);
        Path etl = write("NetTrace.etl", new byte[64]);
        Path matp = write("session.matp", new byte[64]);
        for (Path p : List.of(cap, etl, matp)) {
            assertTrue(collector.accepts(p, Files.readAllBytes(p)), p.toString());
            CollectResult r = collector.collect(p, context);
            assertEquals(1, r.problems().size(), r.problems().toString());
            assertEquals(EvidenceProblem.UNSUPPORTED, r.problems().get(0).reason());
        }
        assertTrue(collector.collect(cap, context).problems().get(0).detail().contains("Network Monitor"));
        assertTrue(collector.collect(etl, context).problems().get(0).detail().contains("pktmon etl2pcap NetTrace.etl"));
        assertTrue(collector.collect(matp, context).problems().get(0).detail().contains("Message Analyzer"));
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
        assertTrue(r.facts().stream().anyMatch(f -> f instanceof TlsHandshake h && h.outcome().equals(TlsHandshake.REJECTED)),
                "the rejected SNI-less hello lies before the cut: " + r.facts());
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
    void anUnknownLinkTypeIsNamedWithTheFirstFrame() throws Exception {
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
        assertTrue(r.examined().stream().anyMatch(e -> e.contains("3 frame(s) not used: link type 147") && e.contains("first: frame 1")),
                r.examined().toString());
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
