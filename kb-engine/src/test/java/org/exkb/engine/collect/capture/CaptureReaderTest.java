package org.exkb.engine.collect.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.exkb.engine.testing.Captures;
import org.exkb.engine.wire.WireException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capture reader on captures recorded from openssl on loopback by tcpdump and dumpcap
 * (src/test/resources/captures/record.sh), and on damaged copies of them.
 */
class CaptureReaderTest {
    @TempDir
    Path tmp;

    @Test
    void pcapFromTcpdump() throws Exception {
        List<Frame> frames = Captures.readAll(Captures.fixture("openssl-lo.pcap"));
        assertEquals(Captures.FRAMES, frames.size());
        assertEquals(1, frames.get(0).linkType(), "loopback is captured as Ethernet");
        assertEquals(1, frames.get(0).number());
        assertEquals(Captures.FRAMES, frames.get(Captures.FRAMES - 1).number());
        assertEquals(24, frames.get(0).fileOffset(), "first record follows the 24-byte file header");
        for (Frame f : frames) {
            assertFalse(f.truncated());
            assertEquals(0x0800, ((f.data()[12] & 0xff) << 8) | (f.data()[13] & 0xff), "IPv4 ethertype in frame " + f.number());
        }
        assertTrue(frames.get(0).epochNanos() > 1_600_000_000L * 1_000_000_000L, "a plausible capture time");
    }

    @Test
    void nanosecondPcapAgreesWithMicrosecondPcap() throws Exception {
        List<Frame> us = Captures.readAll(Captures.fixture("openssl-lo.pcap"));
        List<Frame> ns = Captures.readAll(Captures.fixture("openssl-lo-nanosecond.pcap"));
        assertEquals(us.size(), ns.size());
        for (int i = 0; i < us.size(); i++) {
            assertArrayEquals(us.get(i).data(), ns.get(i).data());
            assertTrue(Math.abs(us.get(i).epochNanos() - ns.get(i).epochNanos()) < 1000, "frame " + (i + 1));
        }
        assertTrue(ns.stream().anyMatch(f -> f.epochNanos() % 1000 != 0), "nanosecond digits are kept");
    }

    @Test
    void pcapngFromDumpcapHoldsTheSamePackets() throws Exception {
        List<Frame> pcap = Captures.readAll(Captures.fixture("openssl-lo.pcap"));
        List<Frame> ng = Captures.readAll(Captures.fixture("openssl-lo.pcapng"));
        assertEquals(pcap.size(), ng.size());
        for (int i = 0; i < pcap.size(); i++) {
            assertArrayEquals(pcap.get(i).data(), ng.get(i).data(), "frame " + (i + 1));
            assertEquals(1, ng.get(i).linkType());
            assertTrue(Math.abs(pcap.get(i).epochNanos() - ng.get(i).epochNanos()) < 50_000_000L, "same moment, two capturing tools");
        }
    }

    @Test
    void pcapngOnAnyIsLinuxCooked() throws Exception {
        List<Frame> frames = Captures.readAll(Captures.fixture("openssl-any.pcapng"));
        assertEquals(Captures.FRAMES, frames.size());
        assertTrue(frames.get(0).linkType() == 113 || frames.get(0).linkType() == 276, "SLL or SLL2: " + frames.get(0).linkType());
    }

    @Test
    void bigEndianPcapReadsTheSame() throws Exception {
        byte[] le = Files.readAllBytes(Captures.fixture("openssl-lo.pcap"));
        Path be = tmp.resolve("be.pcap");
        Files.write(be, toBigEndian(le));
        List<Frame> a = Captures.readAll(Captures.fixture("openssl-lo.pcap"));
        List<Frame> b = Captures.readAll(be);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).data(), b.get(i).data());
            assertEquals(a.get(i).epochNanos(), b.get(i).epochNanos());
        }
    }

    @Test
    void gzipIsReadDirectly() throws Exception {
        for (String name : List.of("openssl-lo.pcap", "openssl-lo.pcapng")) {
            Path gz = tmp.resolve(name + ".gz");
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
                out.write(Files.readAllBytes(Captures.fixture(name)));
            }
            try (CaptureReader r = CaptureReader.open(gz)) {
                assertTrue(r.compressed());
            }
            assertEquals(Captures.FRAMES, Captures.readAll(gz).size(), name);
        }
    }

    @Test
    void aCutGzipGivesEveryWholeFrameBeforeTheCut() throws Exception {
        byte[] raw = Files.readAllBytes(Captures.fixture("openssl-lo.pcap"));
        List<Frame> all = Captures.readAll(Captures.fixture("openssl-lo.pcap"));
        java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(z)) {
            out.write(raw);
        }
        byte[] gz = z.toByteArray();
        Path cut = tmp.resolve("cut.pcap.gz");
        Files.write(cut, java.util.Arrays.copyOf(gz, gz.length * 3 / 4));
        // what java.util.zip can still decompress from the cut file
        java.io.ByteArrayOutputStream readable = new java.io.ByteArrayOutputStream();
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(cut))) {
            byte[] b = new byte[512];
            for (int n; (n = in.read(b)) > 0; ) {
                readable.write(b, 0, n);
            }
        } catch (java.io.EOFException expected) {
            // the cut
        }
        long whole = all.stream().filter(f -> f.fileOffset() + 16 + f.length() <= readable.size()).count();
        assertTrue(whole > 5, "the cut leaves frames to read (" + whole + ")");
        List<Frame> got = new ArrayList<>();
        assertThrows(java.io.IOException.class, () -> {
            try (CaptureReader r = CaptureReader.open(cut)) {
                for (Frame f; (f = r.next()) != null; ) {
                    got.add(f);
                }
            }
        });
        assertEquals(whole, got.size(), "every whole frame before the cut is read, then the cut is reported");
    }

    @Test
    void truncatedFileGivesEveryFrameBeforeTheCutAndSaysWhere() throws Exception {
        byte[] all = Files.readAllBytes(Captures.fixture("openssl-lo.pcap"));
        List<Frame> frames = Captures.readAll(Captures.fixture("openssl-lo.pcap"));
        Frame tenth = frames.get(9);
        Path cut = tmp.resolve("cut.pcap");
        Files.write(cut, java.util.Arrays.copyOf(all, (int) tenth.fileOffset() + 16 + 5));
        List<Frame> got = new ArrayList<>();
        WireException e = assertThrows(WireException.class, () -> {
            try (CaptureReader r = CaptureReader.open(cut)) {
                for (Frame f; (f = r.next()) != null; ) {
                    got.add(f);
                }
            }
        });
        assertEquals(9, got.size());
        assertTrue(e.getMessage().startsWith("frame 10 data: the file ends after 5 of "), e.getMessage());
        assertEquals(tenth.fileOffset() + 16, e.offset());
    }

    @Test
    void absurdLengthIsRefusedWithoutAllocating() throws Exception {
        byte[] all = Files.readAllBytes(Captures.fixture("openssl-lo.pcap"));
        Frame third = Captures.readAll(Captures.fixture("openssl-lo.pcap")).get(2);
        ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putInt((int) third.fileOffset() + 8, 0x7fff_fff0);
        Path bad = tmp.resolve("bad.pcap");
        Files.write(bad, all);
        WireException e = assertThrows(WireException.class, () -> Captures.readAll(bad));
        assertTrue(e.getMessage().contains("frame 3: captured length 2147483632 > 262144"), e.getMessage());
    }

    @Test
    void notACaptureAndEmptyFile() throws Exception {
        Path text = tmp.resolve("notes.pcap");
        Files.writeString(text, "this is not a capture\n");
        WireException e = assertThrows(WireException.class, () -> CaptureReader.open(text));
        assertTrue(e.getMessage().contains("magic 0x74686973"), e.getMessage());
        Path empty = tmp.resolve("empty.pcapng");
        Files.write(empty, new byte[0]);
        assertThrows(WireException.class, () -> CaptureReader.open(empty));
    }

    /** pcap4j-style mutation: flip bits and cut bytes thousands of times; only the reader's own errors may come out. */
    @Test
    void mutatedCapturesGiveOnlyReaderErrors() throws Exception {
        Random rnd = new Random(20261122);
        for (String name : List.of("openssl-lo.pcap", "openssl-lo.pcapng", "openssl-any.pcapng")) {
            byte[] original = Files.readAllBytes(Captures.fixture(name));
            Path m = tmp.resolve("m-" + name);
            for (int i = 0; i < 1500; i++) {
                byte[] b = original.clone();
                int flips = 1 + rnd.nextInt(8);
                for (int k = 0; k < flips; k++) {
                    int at = rnd.nextInt(b.length);
                    b[at] ^= (byte) (1 << rnd.nextInt(8));
                }
                if (rnd.nextInt(4) == 0) {
                    b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
                }
                Files.write(m, b);
                try (CaptureReader r = CaptureReader.open(m)) {
                    int n = 0;
                    while (r.next() != null) {
                        n++;
                        assertTrue(n <= b.length / 12 + 1, "more frames than bytes allow");
                    }
                } catch (WireException expected) {
                    // the reader's own error: fine
                }
            }
        }
    }

    /** Rewrites a little-endian pcap as big-endian, field by field. */
    static byte[] toBigEndian(byte[] le) {
        ByteBuffer in = ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(le.length).order(ByteOrder.BIG_ENDIAN);
        out.putInt(in.getInt(0)).putShort(in.getShort(4)).putShort(in.getShort(6));
        for (int o = 8; o < 24; o += 4) {
            out.putInt(in.getInt(o));
        }
        int p = 24;
        while (p + 16 <= le.length) {
            int incl = in.getInt(p + 8);
            for (int k = 0; k < 16; k += 4) {
                out.putInt(in.getInt(p + k));
            }
            out.put(le, p + 16, incl);
            p += 16 + incl;
        }
        return out.array();
    }
}
