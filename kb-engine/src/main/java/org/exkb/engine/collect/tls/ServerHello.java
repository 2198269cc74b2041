package org.exkb.engine.collect.tls;

import java.util.Arrays;
import org.exkb.engine.wire.Cursor;
import org.exkb.engine.wire.TlsCodes;
import org.exkb.engine.wire.WireException;

/**
 * What the server chose (RFC 8446 section 4.1.3; RFC 5246 section 7.4.1.3):
 *
 * <pre>
 * struct {
 *     ProtocolVersion legacy_version;
 *     Random random;                                  // 32 bytes
 *     opaque legacy_session_id_echo&lt;0..32&gt;;
 *     CipherSuite cipher_suite;
 *     uint8 legacy_compression_method;
 *     Extension extensions&lt;6..2^16-1&gt;;            // may be absent before TLS 1.3
 * } ServerHello;
 * </pre>
 *
 * TLS 1.3 keeps 0x0303 in legacy_version and puts the real version in supported_versions; a
 * HelloRetryRequest is a ServerHello whose random is SHA-256("HelloRetryRequest").
 *
 * @param version       the negotiated version (supported_versions if present, else legacy_version)
 * @param renegotiation the server sent renegotiation_info (RFC 5746: it supports secure renegotiation)
 */
public record ServerHello(int legacyVersion, int version, int cipherSuite, boolean renegotiation,
                          boolean helloRetryRequest) {
    private static final byte[] HRR_RANDOM = hex(
            "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");

    public boolean tls13() {
        return TlsCodes.tls13Family(version) && !helloRetryRequest;
    }

    /** Parses the body of a server_hello handshake message (after the 4-byte header). */
    public static ServerHello parse(Cursor c) throws WireException {
        int legacy = c.u16("ServerHello.legacy_version");
        if ((legacy & 0xff00) == 0x7f00 && (legacy & 0xff) < 22) {
            return draft(legacy, c); // drafts before 22 had no session id echo and no compression method
        }
        byte[] random = c.bytes(32, "ServerHello.random");
        c.vector(1, 0, 32, "ServerHello.legacy_session_id_echo");
        int suite = c.u16("ServerHello.cipher_suite");
        c.u8("ServerHello.legacy_compression_method");
        int version = legacy;
        boolean reneg = false;
        if (!c.atEnd()) {
            Cursor ext = c.vector(2, 0, 0xffff, "ServerHello.extensions");
            while (!ext.atEnd()) {
                int type = ext.u16("Extension.extension_type");
                Cursor data = ext.vector(2, 0, 0xffff, "Extension.extension_data");
                if (type == 43) { // supported_versions: the selected version
                    version = data.u16("ServerHello.supported_versions.selected_version");
                } else if (type == 0xff01) {
                    reneg = true;
                }
            }
        }
        return new ServerHello(legacy, version, suite, reneg, Arrays.equals(random, HRR_RANDOM));
    }

    /** draft-ietf-tls-tls13 up to draft 21: version, random, cipher_suite, extensions. */
    private static ServerHello draft(int version, Cursor c) throws WireException {
        c.bytes(32, "ServerHello.random");
        int suite = c.u16("ServerHello.cipher_suite");
        if (!c.atEnd()) {
            c.vector(2, 0, 0xffff, "ServerHello.extensions");
        }
        return new ServerHello(version, version, suite, false, false);
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
