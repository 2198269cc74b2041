package org.exkb.engine.collect.capture;

import org.exkb.engine.testing.Captures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The decoder agrees with tshark on every TCP segment of the recorded captures (reference: *.tcp.tsv). */
class PacketDecoderTest {
    @ParameterizedTest
    @ValueSource(strings = {"openssl-lo.pcap", "openssl-lo.pcapng", "openssl-any.pcapng"})
    void agreesWithTshark(String name) throws Exception {
        List<Frame> frames = Captures.readAll(Captures.fixture(name));
        List<String> reference = Files.readAllLines(Captures.fixture(name + ".tcp.tsv"));
        assertEquals(reference.size(), frames.size());
        for (int i = 0; i < frames.size(); i++) {
            String[] t = reference.get(i).split("\t");
            PacketDecoder.Result r = PacketDecoder.decode(frames.get(i));
            TcpSegment s = r.segment();
            assertNotNull(s, name + " frame " + (i + 1) + ": " + r);
            String got = String.join("\t", Long.toString(s.frame()), s.srcAddress(), Integer.toString(s.srcPort()),
                    s.dstAddress(), Integer.toString(s.dstPort()), Long.toString(s.seq()), Long.toString(s.ack()),
                    String.format("0x%04x", s.flags()), Integer.toString(s.payloadLength()));
            assertEquals(reference.get(i), got, name + " frame " + (i + 1));
            assertEquals(s.payloadLength(), s.payload().length);
        }
    }

    @Test
    void cutFramesAreMalformedOrShortNeverThrown() throws Exception {
        Random rnd = new Random(7);
        for (Frame f : Captures.readAll(Captures.fixture("openssl-any.pcapng"))) {
            for (int i = 0; i < 200; i++) {
                byte[] b = f.data().clone();
                if (b.length > 0) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length + 1));
                PacketDecoder.Result r = PacketDecoder.decode(new Frame(f.number(), f.linkType(), 0, f.originalLength(), b, 0, ""));
                assertTrue(r.segment() != null || r.skipped() != null || r.malformed() != null);
                if (r.segment() != null) {
                    assertTrue(r.segment().payload().length <= r.segment().payloadLength());
                }
            }
        }
    }

    @Test
    void snapLengthCutKeepsTheAnnouncedLength() throws Exception {
        Frame hello = Captures.readAll(Captures.fixture("openssl-lo.pcap")).get(3);
        Frame cut = new Frame(4, hello.linkType(), 0, hello.originalLength(), java.util.Arrays.copyOf(hello.data(), 80), 0, "");
        TcpSegment s = PacketDecoder.decode(cut).segment();
        assertEquals(323, s.payloadLength());
        assertEquals(80 - 14 - 20 - 32, s.payload().length);
        assertTrue(s.payloadCut());
    }

    @Test
    void nonTcpAndUnknownLinkTypesAreSkippedWithAReason() {
        byte[] arp = new byte[42];
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertTrue(PacketDecoder.decode(new Frame(1, 1, 0, 42, arp, 0, "")).skipped().contains("0x0806"));
        // QUIC: UDP to port 443 over IPv4 (Ethernet) and IPv6 (raw), and UDP elsewhere
        byte[] udp4 = new byte[14 + 20 + 8];
        udp4[12] = 0x08;
        udp4[14] = 0x45;
        udp4[14 + 3] = 28;
        udp4[14 + 9] = 17;
        udp4[14 + 20 + 2] = 0x01; // destination port 0x01bb = 443
        udp4[14 + 20 + 3] = (byte) 0xbb;
        assertEquals(PacketDecoder.QUIC, PacketDecoder.decode(new Frame(1, 1, 0, udp4.length, udp4, 0, "")).skipped());
        udp4[14 + 20 + 3] = 53;
        assertTrue(PacketDecoder.decode(new Frame(1, 1, 0, udp4.length, udp4, 0, "")).skipped().contains("protocol 17 is not TCP"));
        byte[] udp6 = new byte[40 + 8];
        udp6[0] = 0x60;
        udp6[5] = 8;
        udp6[6] = 17;
        udp6[40] = 0x01; // source port 443: the server's answer
        udp6[41] = (byte) 0xbb;
        assertEquals(PacketDecoder.QUIC, PacketDecoder.decode(new Frame(1, 229, 0, udp6.length, udp6, 0, "")).skipped());
        PacketDecoder.Result r = PacketDecoder.decode(new Frame(1, 147, 0, 4, new byte[4], 0, ""));
        assertNull(r.segment());
        assertTrue(r.skipped().contains("link type 147"));
    }

    /** The recorded ClientHello of openssl-lo.pcap (Ethernet), its IP packet re-framed as other links carry it. */
    static byte[] recordedIpPacket() throws Exception {
        Frame hello = Captures.readAll(Captures.fixture("openssl-lo.pcap")).get(3);
        return java.util.Arrays.copyOfRange(hello.data(), 14, hello.data().length);
    }

    static byte[] join(byte[]... parts) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    @Test
    void ieee80211DataFramesWithLlcSnapAreFollowedAndProtectedOnesNamed() throws Exception {
        byte[] ip = recordedIpPacket();
        byte[] qosData = new byte[26]; // QoS data, to the AP (ToDS), then QoS control
        qosData[0] = (byte) 0x88;
        qosData[1] = 0x01;
        byte[] snap = {(byte) 0xaa, (byte) 0xaa, 0x03, 0, 0, 0, 0x08, 0x00};
        byte[] wifi = join(qosData, snap, ip);
        TcpSegment s = PacketDecoder.decode(new Frame(1, PacketDecoder.IEEE802_11, 0, wifi.length, wifi, 0, "")).segment();
        assertEquals(323, s.payloadLength(), "the ClientHello inside the 802.11 frame");
        byte[] radiotap = {0, 0, 8, 0, 0, 0, 0, 0}; // version 0, length 8, no fields
        byte[] rt = join(radiotap, wifi);
        assertEquals(323, PacketDecoder.decode(new Frame(1, PacketDecoder.RADIOTAP, 0, rt.length, rt, 0, "")).segment().payloadLength());
        byte[] prot = wifi.clone();
        prot[1] = 0x41; // protected
        assertTrue(PacketDecoder.decode(new Frame(1, PacketDecoder.IEEE802_11, 0, prot.length, prot, 0, "")).skipped().contains("encrypted"));
        byte[] beacon = new byte[40]; // management
        beacon[0] = (byte) 0x80;
        assertTrue(PacketDecoder.decode(new Frame(1, PacketDecoder.IEEE802_11, 0, 40, beacon, 0, "")).skipped().contains("management"));
    }

    @Test
    void ipInIpAndIpv6InIpv4TunnelsAreFollowedToTheInnerTcp() throws Exception {
        byte[] inner = recordedIpPacket();
        byte[] outer = new byte[20];
        outer[0] = 0x45;
        int total = 20 + inner.length;
        outer[2] = (byte) (total >> 8);
        outer[3] = (byte) total;
        outer[9] = 4; // IP in IP
        byte[] raw = join(outer, inner);
        TcpSegment s = PacketDecoder.decode(new Frame(1, PacketDecoder.RAW, 0, raw.length, raw, 0, "")).segment();
        assertEquals(323, s.payloadLength());
        assertEquals("127.0.0.1", s.dstAddress());
        byte[] six = new byte[40]; // IPv6 carrying the IPv4 packet (RFC 2473)
        six[0] = 0x60;
        six[4] = (byte) (inner.length >> 8);
        six[5] = (byte) inner.length;
        six[6] = 4;
        byte[] raw6 = join(six, inner);
        assertEquals(323, PacketDecoder.decode(new Frame(1, PacketDecoder.IPV6, 0, raw6.length, raw6, 0, "")).segment().payloadLength());
    }
}
