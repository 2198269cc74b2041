package org.exkb.engine.collect.tls;

import org.exkb.engine.testing.Captures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.exkb.engine.collect.capture.Frame;
import org.exkb.engine.collect.capture.PacketDecoder;
import org.exkb.engine.collect.capture.TcpReassembler;
import org.exkb.engine.wire.Cursor;
import org.exkb.engine.wire.WireException;
import org.junit.jupiter.api.Test;

/** ClientHello parsing on the hellos openssl s_client sent in the recorded capture, and on damaged ones. */
class ClientHelloTest {
    /** The handshake bodies of the first record of each client stream, in connection order. */
    static List<byte[]> recordedHelloBodies() throws Exception {
        List<byte[]> out = new ArrayList<>();
        List<java.io.ByteArrayOutputStream> streams = new ArrayList<>();
        TcpReassembler t = new TcpReassembler(new TcpReassembler.Listener() {
            final java.util.Map<TcpReassembler.Connection, java.io.ByteArrayOutputStream> byConn = new java.util.LinkedHashMap<>();

            @Override
            public void data(TcpReassembler.Connection c, boolean fromClient, long frame, long nanos, byte[] frameBytes, int offset, int length) {
                byte[] bytes = java.util.Arrays.copyOfRange(frameBytes, offset, offset + length); // the frame's array is not ours to keep
                if (fromClient) {
                    byConn.computeIfAbsent(c, k -> {
                        java.io.ByteArrayOutputStream s = new java.io.ByteArrayOutputStream();
                        streams.add(s);
                        return s;
                    }).writeBytes(bytes);
                }
            }
        });
        for (Frame f : Captures.readAll(Captures.fixture("openssl-lo.pcap"))) {
            t.add(PacketDecoder.decode(f).segment());
        }
        t.end();
        for (java.io.ByteArrayOutputStream s : streams) {
            byte[] b = s.toByteArray();
            int recordLength = ((b[3] & 0xff) << 8) | (b[4] & 0xff);
            int hsLength = ((b[6] & 0xff) << 16) | ((b[7] & 0xff) << 8) | (b[8] & 0xff);
            assertEquals(1, b[5], "client_hello");
            assertTrue(hsLength + 4 <= recordLength, "the hello fits one record here");
            out.add(Arrays.copyOfRange(b, 9, 9 + hsLength));
        }
        return out;
    }

    @Test
    void helloWithAndWithoutSni() throws Exception {
        List<byte[]> bodies = recordedHelloBodies();
        assertEquals(2, bodies.size());
        ClientHello withSni = ClientHello.parse(Cursor.of(bodies.get(0)));
        assertEquals("mail.example.test", withSni.serverName());
        assertTrue(withSni.extensionTypes().contains(0));
        assertEquals(0x0303, withSni.legacyVersion());
        assertTrue(withSni.cipherCount() > 5);
        assertTrue(withSni.renegotiation(), "openssl signals secure renegotiation");
        assertFalse(withSni.sslv2Format());

        ClientHello noSni = ClientHello.parse(Cursor.of(bodies.get(1)));
        assertNull(noSni.serverName());
        assertFalse(noSni.hasSni());
        assertFalse(noSni.extensionTypes().contains(0));
    }

    @Test
    void sslv2FormatHelloCarriesNoSni() throws Exception {
        byte[] specs = new byte[21];
        for (int i = 0; i < 7; i++) {
            specs[i * 3 + 2] = (byte) (i + 1);
        }
        specs[20] = (byte) 0xff; // TLS_EMPTY_RENEGOTIATION_INFO_SCSV as 0x0000ff
        byte[] head = {(byte) 0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10};
        byte[] msg = new byte[head.length + 21 + 16];
        System.arraycopy(head, 0, msg, 0, head.length);
        System.arraycopy(specs, 0, msg, head.length, 21);
        ClientHello h = ClientHello.parseSslv2(Cursor.of(msg));
        assertTrue(h.sslv2Format());
        assertNull(h.serverName());
        assertEquals(0x0301, h.legacyVersion());
        assertEquals(7, h.cipherCount());
        assertTrue(h.renegotiation());
    }

    @Test
    void damagedLengthsNameTheField() throws Exception {
        byte[] body = recordedHelloBodies().get(0).clone();
        body[34] = 40; // legacy_session_id length
        WireException e = assertThrows(WireException.class, () -> ClientHello.parse(Cursor.of(body)));
        assertTrue(e.getMessage().startsWith("ClientHello.legacy_session_id: length 40 > 32 at offset 0x22"), e.getMessage());
    }

    @Test
    void mutatedHellosGiveOnlyWireExceptions() throws Exception {
        Random rnd = new Random(5);
        for (byte[] original : recordedHelloBodies()) {
            for (int i = 0; i < 3000; i++) {
                byte[] b = original.clone();
                for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                if (rnd.nextInt(3) == 0) {
                    b = Arrays.copyOf(b, rnd.nextInt(b.length));
                }
                try {
                    ClientHello.parse(Cursor.of(b));
                } catch (WireException expected) {
                    // the parser's own error
                }
            }
        }
    }
}
