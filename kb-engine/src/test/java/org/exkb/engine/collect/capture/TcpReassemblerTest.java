package org.exkb.engine.collect.capture;

import org.exkb.engine.testing.Captures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reassembly on the recorded openssl connections, and on reordered, duplicated and holed copies. */
class TcpReassemblerTest {
    /** Streams by "connection key/direction", gaps and closed connections as the listener saw them. */
    static class Recorder implements TcpReassembler.Listener {
        final Map<String, ByteArrayOutputStream> streams = new LinkedHashMap<>();
        final Map<String, List<Long>> firstFrames = new LinkedHashMap<>();
        final List<String> gaps = new ArrayList<>();
        final List<TcpReassembler.Connection> closed = new ArrayList<>();

        static String key(TcpReassembler.Connection c, boolean fromClient) {
            return c.clientPort + (fromClient ? ">" : "<");
        }

        @Override
        public void data(TcpReassembler.Connection c, boolean fromClient, long frame, long nanos, byte[] frameBytes, int offset, int length) {
            byte[] bytes = java.util.Arrays.copyOfRange(frameBytes, offset, offset + length); // the frame's array is not ours to keep
            streams.computeIfAbsent(key(c, fromClient), k -> new ByteArrayOutputStream()).writeBytes(bytes);
            firstFrames.computeIfAbsent(key(c, fromClient), k -> new ArrayList<>()).add(frame);
        }

        @Override
        public void gap(TcpReassembler.Connection c, boolean fromClient, long frame, long missing) {
            gaps.add(key(c, fromClient) + " " + missing + " before frame " + frame);
        }

        @Override
        public void closed(TcpReassembler.Connection c) {
            closed.add(c);
        }
    }

    static List<TcpSegment> segments() throws Exception {
        List<TcpSegment> out = new ArrayList<>();
        for (Frame f : Captures.readAll(Captures.fixture("openssl-lo.pcap"))) {
            out.add(PacketDecoder.decode(f).segment());
        }
        return out;
    }

    static Recorder run(List<TcpSegment> segments) {
        Recorder r = new Recorder();
        TcpReassembler t = new TcpReassembler(r);
        segments.forEach(t::add);
        t.end();
        return r;
    }

    @Test
    void recordedConnectionsReassembleToTlsStreams() throws Exception {
        List<TcpSegment> segs = segments();
        Recorder r = run(segs);
        assertEquals(2, r.closed.size());
        for (TcpReassembler.Connection c : r.closed) {
            assertTrue(c.sawSyn && c.handshakeComplete, c.toString());
            assertEquals(44330, c.serverPort);
            byte[] client = r.streams.get(Recorder.key(c, true)).toByteArray();
            byte[] server = r.streams.get(Recorder.key(c, false)).toByteArray();
            assertEquals(0x16, client[0], "client starts with a handshake record");
            assertEquals(0x01, client[5], "... holding a ClientHello");
            assertEquals(0x16, server[0]);
            assertEquals(0x02, server[5], "server starts with a ServerHello");
            long expectedClient = segs.stream().filter(s -> s.srcPort() == c.clientPort).mapToLong(TcpSegment::payloadLength).sum();
            assertEquals(expectedClient, client.length);
            assertEquals(0, c.retransmissions);
            assertEquals(0, c.gapBytes);
            assertTrue(c.finFrame > 0 || c.resetFrame > 0, "the connection ended in the capture");
        }
        assertEquals(List.of(), r.gaps);
        assertEquals(4L, r.firstFrames.get(Recorder.key(r.closed.get(0), true)).get(0), "the ClientHello came in frame 4");
    }

    @Test
    void outOfOrderAndDuplicatedSegmentsGiveTheSameStreams() throws Exception {
        List<TcpSegment> segs = segments();
        Recorder plain = run(segs);
        List<TcpSegment> shuffled = new ArrayList<>(segs);
        List<Integer> data = new ArrayList<>();
        for (int i = 0; i < shuffled.size(); i++) {
            if (shuffled.get(i).payloadLength() > 0) {
                data.add(i);
            }
        }
        // swap two consecutive data segments of the same direction, and repeat one
        for (int k = 0; k + 1 < data.size(); k++) {
            TcpSegment a = shuffled.get(data.get(k));
            TcpSegment b = shuffled.get(data.get(k + 1));
            if (a.srcPort() == b.srcPort()) {
                Collections.swap(shuffled, data.get(k), data.get(k + 1));
                shuffled.add(data.get(k + 1) + 1, a);
                break;
            }
        }
        assertTrue(shuffled.size() == segs.size() + 1, "the fixture has two consecutive data segments in one direction");
        Recorder r = run(shuffled);
        assertEquals(plain.streams.keySet(), r.streams.keySet());
        plain.streams.forEach((k, v) -> assertArrayEquals(v.toByteArray(), r.streams.get(k).toByteArray(), k));
        assertEquals(List.of(), r.gaps);
        assertEquals(1, r.closed.stream().mapToInt(c -> c.retransmissions).sum());
    }

    @Test
    void aMissingSegmentIsAGapOfItsExactSize() throws Exception {
        List<TcpSegment> segs = new ArrayList<>(segments());
        int drop = -1;
        for (int i = 5; i < segs.size(); i++) {
            if (segs.get(i).payloadLength() > 0) {
                drop = i;
                break;
            }
        }
        TcpSegment dropped = segs.remove(drop);
        Recorder r = run(segs);
        assertEquals(1, r.gaps.size(), r.gaps.toString());
        assertTrue(r.gaps.get(0).contains(" " + dropped.payloadLength() + " before frame "), r.gaps.get(0));
    }

    private static final byte[] CLIENT = {10, 0, 0, 1};
    private static final byte[] SERVER = {10, 0, 0, 2};

    /** A segment of a made-up connection from CLIENT:port to SERVER:443 (or back). */
    private static TcpSegment seg(long frame, boolean fromClient, int port, long seq, int flags, int payload) {
        return new TcpSegment(frame, frame * 1_000_000L, fromClient ? CLIENT : SERVER, fromClient ? port : 443,
                fromClient ? SERVER : CLIENT, fromClient ? 443 : port, seq, 0, flags, 1000, payload, new byte[payload]);
    }

    /** Listener that notes, at each report, the frame being added (0 at the end). */
    static final class WhenClosed extends Recorder {
        long frame;
        final List<Long> at = new ArrayList<>();

        @Override
        public void closed(TcpReassembler.Connection c) {
            super.closed(c);
            at.add(frame);
        }

        void feed(TcpReassembler t, List<TcpSegment> segs) {
            for (TcpSegment s : segs) {
                frame = s.frame();
                t.add(s);
            }
            frame = 0;
        }
    }

    @Test
    void aConnectionClosedByBothSidesIsReportedAtOnceAndOnlyOnce() {
        int ack = TcpSegment.ACK;
        List<TcpSegment> segs = List.of(
                seg(1, true, 50000, 100, TcpSegment.SYN, 0),
                seg(2, false, 50000, 900, TcpSegment.SYN | ack, 0),
                seg(3, true, 50000, 101, ack, 10),
                seg(4, false, 50000, 901, ack, 20),
                seg(5, true, 50000, 111, TcpSegment.FIN | ack, 0),
                seg(6, false, 50000, 921, TcpSegment.FIN | ack, 0),
                seg(7, true, 50000, 112, ack, 0),                      // the last ACK
                seg(8, false, 50000, 921, TcpSegment.FIN | ack, 0),     // a retransmitted FIN
                seg(9, true, 50000, 112, TcpSegment.RST, 0));           // and a late reset
        WhenClosed r = new WhenClosed();
        TcpReassembler t = new TcpReassembler(r);
        r.feed(t, segs);
        t.end();
        assertEquals(List.of(6L), r.at, "reported when the second FIN came (frame 6), never again");
        TcpReassembler.Connection c = r.closed.get(0);
        assertEquals(5, c.finFrame);
        assertTrue(c.finByClient);
        assertEquals(5_000_000L, c.finNanos);
    }

    @Test
    void aFinBeforeMissingBytesWaitsForThemOrForTheEnd() {
        int ack = TcpSegment.ACK;
        WhenClosed r = new WhenClosed();
        TcpReassembler t = new TcpReassembler(r);
        List<TcpSegment> segs = List.of(
                seg(1, true, 50001, 100, TcpSegment.SYN, 0),
                seg(2, false, 50001, 900, TcpSegment.SYN | ack, 0),
                seg(3, true, 50001, 111, ack, 10),                      // bytes 101..110 not yet here
                seg(4, true, 50001, 121, TcpSegment.FIN | ack, 0),
                seg(5, false, 50001, 901, TcpSegment.FIN | ack, 0),
                seg(6, true, 50001, 101, ack, 10));                     // they arrive after both FINs
        r.feed(t, segs);
        assertEquals(List.of(), r.at, "not reported while bytes before a FIN are missing");
        t.end();
        assertEquals(List.of(0L), r.at, "reported at the end");
        assertEquals(List.of(), r.gaps, "the late bytes filled the hole");
        assertEquals(20, r.streams.get("50001>").size());
    }

    @Test
    void anEvictedConnectionThatWasResetIsReportedOnce() {
        Recorder r = new Recorder();
        TcpReassembler t = new TcpReassembler(r);
        t.add(seg(1, true, 1, 100, TcpSegment.SYN, 0));
        t.add(seg(2, false, 1, 900, TcpSegment.RST | TcpSegment.ACK, 0));
        for (int i = 0; i < TcpReassembler.MAX_CONNECTIONS; i++) { // pushes the reset one out
            t.add(seg(3 + i, true, 2 + i, 100, TcpSegment.SYN, 0));
        }
        t.end();
        assertEquals(1, t.evictions());
        assertEquals(TcpReassembler.MAX_CONNECTIONS + 1, r.closed.size(), "each connection reported once");
        assertEquals(1, r.closed.stream().filter(c -> c.clientPort == 1).count());
    }
}
