package org.exkb.engine.collect.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.exkb.engine.collect.capture.CaptureReader;
import org.exkb.engine.collect.capture.Frame;
import org.exkb.engine.collect.capture.PacketDecoder;
import org.exkb.engine.collect.capture.TcpReassembler;
import org.exkb.engine.model.Renegotiation;
import org.junit.jupiter.api.Test;

/**
 * The TLS layer on the bytes of real recorded connections, delivered whole and in pieces: handshake
 * messages split over records and records split over segments must give the same result.
 */
class TlsConversationTest {
    /** One direction's chunk of a recorded connection. */
    record Chunk(boolean fromClient, long frame, long nanos, byte[] bytes) {
    }

    static List<List<Chunk>> connections(Path capture) throws Exception {
        List<List<Chunk>> out = new ArrayList<>();
        java.util.Map<TcpReassembler.Connection, List<Chunk>> byConnection = new java.util.IdentityHashMap<>();
        TcpReassembler tcp = new TcpReassembler(new TcpReassembler.Listener() {
            @Override
            public void data(TcpReassembler.Connection c, boolean fromClient, long frame, long nanos, byte[] frameBytes, int offset, int length) {
                byte[] bytes = java.util.Arrays.copyOfRange(frameBytes, offset, offset + length); // the frame's array is not ours to keep
                byConnection.computeIfAbsent(c, k -> {
                    List<Chunk> l = new ArrayList<>();
                    out.add(l);
                    return l;
                }).add(new Chunk(fromClient, frame, nanos, bytes));
            }
        });
        try (CaptureReader r = CaptureReader.open(capture)) {
            for (Frame f; (f = r.next()) != null; ) {
                PacketDecoder.Result d = PacketDecoder.decode(f);
                if (d.segment() != null) {
                    tcp.add(d.segment());
                }
            }
        }
        tcp.end();
        return out;
    }

    static TlsConversation feed(List<Chunk> chunks, int pieceSize) {
        TlsConversation t = new TlsConversation();
        for (Chunk c : chunks) {
            for (int i = 0; i < c.bytes().length; i += pieceSize) {
                byte[] piece = java.util.Arrays.copyOfRange(c.bytes(), i, Math.min(c.bytes().length, i + pieceSize));
                t.data(c.fromClient(), c.frame(), c.nanos(), piece);
            }
        }
        return t;
    }

    static Path sample(String folder, String file) {
        return org.exkb.engine.KnowledgeSamples.file(folder, file);
    }

    @Test
    void aTls12HandshakeIsFollowedTheSameWholeOrByteByByte() throws Exception {
        List<Chunk> conn = connections(sample("capture-missing-intermediate-near-miss-full-chain", "capture.pcap")).get(0);
        for (int piece : new int[] {Integer.MAX_VALUE, 1, 3, 7, 1000}) {
            TlsConversation t = feed(conn, piece);
            assertEquals(TlsConversation.Kind.TLS, t.kind());
            assertEquals("mail.example.test", t.clientHello().serverName(), "piece " + piece);
            assertEquals(0x0303, t.serverHello().version());
            assertEquals(2, t.certificates().size(), "leaf and intermediate, piece " + piece);
            assertTrue(t.established(), "piece " + piece);
            assertTrue(t.clientApplicationBytes() > 0 && t.serverApplicationBytes() > 0);
            assertNull(t.malformed());
            assertEquals(7, t.certificateFrame(), "the Certificate message completes in frame 7, where Wireshark shows it");
        }
    }

    @Test
    void tls13IsRecognisedAndItsCertificatesAreUnknownNotAbsent() throws Exception {
        TlsConversation t = feed(connections(sample("capture-tls13-near-miss-encrypted", "capture.pcap")).get(0), 5);
        assertTrue(t.serverHello().tls13());
        assertNull(t.certificates());
        assertEquals("encrypted (TLS 1.3)", t.certificatesUnknown());
        assertTrue(t.established());
    }

    @Test
    void aServerRenegotiationAfterApplicationDataIsSeenAndTheClientNeverAnswers() throws Exception {
        TlsConversation t = feed(connections(sample("capture-renegotiation-deadlock", "capture.pcap")).get(0), 4096);
        assertEquals(1, t.renegotiations().size(), t.renegotiations().toString());
        Renegotiation r = t.renegotiations().get(0);
        assertEquals(188, r.frame());
        assertTrue(!r.byClient());
        assertTrue(!r.takenUp());
        assertTrue(r.peerBytesBefore() > 100_000, "the client kept sending: " + r.peerBytesBefore());
    }

    @Test
    void aRenegotiationTheClientAnswersIsSeenAsAnswered() throws Exception {
        TlsConversation t = feed(connections(sample("capture-renegotiation-near-miss-answered", "capture.pcap")).get(0), 4096);
        assertEquals(1, t.renegotiations().size(), t.renegotiations().toString());
        Renegotiation r = t.renegotiations().get(0);
        assertTrue(r.takenUpFrame() > r.frame());
        assertTrue(r.completed(), r.describe());
        assertTrue(r.dataAfter(), "the upload goes on after it: " + r.describe());
    }

    @Test
    void clearAlertsAreReadWithTheirSender() throws Exception {
        List<List<Chunk>> conns = connections(sample("capture-missing-intermediate", "capture.pcapng"));
        TlsConversation t = feed(conns.get(1), 2);
        TlsConversation.Alert a = t.fatalAlert();
        assertNotNull(a);
        assertTrue(a.fromClient());
        assertEquals("unknown_ca", a.name());
        assertEquals("ServerHelloDone", t.lastStepBefore(a.frame()), "the client refused right after the server's certificate");
    }

    @Test
    void anSslv2FormatHelloHasNoSni() throws Exception {
        List<List<Chunk>> conns = connections(sample("capture-non-sni-reset", "capture.pcap"));
        TlsConversation t = conns.stream().map(c -> feed(c, 1)).filter(x -> x.clientHello() != null && x.clientHello().sslv2Format())
                .findFirst().orElseThrow();
        assertTrue(!t.clientHello().hasSni());
        assertEquals(9, t.clientHello().cipherCount());
        assertNull(t.malformed());
    }

    @Test
    void plainTextOnAnyPortIsNotTls() {
        TlsConversation t = new TlsConversation();
        t.data(true, 4, 0, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(TlsConversation.Kind.NOT_TLS, t.kind());
        assertEquals(4, t.notTlsFrame());
        assertTrue(t.notTls().contains("'GET / HTTP/1.1"), t.notTls());
    }

    @Test
    void aPlaintextGreetingWithoutStartTlsStaysNotTlsAndSaysWhatTheServerSaid() {
        TlsConversation t = new TlsConversation();
        t.data(false, 4, 0, "220 files.example.test Microsoft FTP Service\r\n".getBytes(StandardCharsets.US_ASCII));
        t.data(true, 6, 0, "USER anonymous\r\n".getBytes(StandardCharsets.US_ASCII));
        t.data(false, 8, 0, "331 password\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(TlsConversation.Kind.NOT_TLS, t.kind());
        assertEquals("plaintext SMTP without STARTTLS (server greeting '220 files.example.test Microsoft FTP Service')", t.notTls());
        assertEquals("", t.startTls());
        // the near miss: the same greeting, then the client asks and the server agrees: TLS from the next byte
        TlsConversation s = new TlsConversation();
        s.data(false, 4, 0, "220 mail.example.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
        s.data(true, 6, 0, "STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
        s.data(false, 8, 0, "220 2.0.0 Ready\r\n".getBytes(StandardCharsets.US_ASCII));
        s.data(true, 9, 0, new byte[] {0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00});
        assertEquals(TlsConversation.Kind.TLS, s.kind());
        assertEquals("SMTP STARTTLS in frame 6", s.startTls());
    }

    @Test
    void anAbsurdRecordLengthStopsThatDirectionWithoutAllocating() {
        TlsConversation t = new TlsConversation();
        t.data(true, 4, 0, new byte[] {0x16, 0x03, 0x01, (byte) 0xff, (byte) 0xff, 1, 2, 3});
        assertTrue(t.malformed().contains("TLSPlaintext.length 65535"), t.malformed());
        assertTrue(t.lost(true) != null);
    }

    @Test
    void bytesNotCapturedInsideEncryptedDataKeepTheRecordsInStep() throws Exception {
        List<Chunk> conn = connections(sample("capture-renegotiation-deadlock", "capture.pcap")).get(0);
        TlsConversation t = new TlsConversation();
        boolean holed = false;
        for (Chunk c : conn) {
            if (!holed && c.fromClient() && c.frame() > 100 && c.bytes().length > 200) {
                // the first 5 bytes stay (they may hold a record header); the rest of the segment is lost
                t.data(true, c.frame(), c.nanos(), java.util.Arrays.copyOf(c.bytes(), 5));
                t.gap(true, c.frame(), c.bytes().length - 5);
                holed = true;
                continue;
            }
            t.data(c.fromClient(), c.frame(), c.nanos(), c.bytes());
        }
        assertTrue(holed);
        assertEquals(188, t.renegotiations().get(0).frame(), "the server side is unaffected");
    }
}
