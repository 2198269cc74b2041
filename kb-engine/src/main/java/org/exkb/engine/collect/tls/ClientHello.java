package org.exkb.engine.collect.tls;

import java.util.ArrayList;
import java.util.List;
import org.exkb.engine.wire.Cursor;
import org.exkb.engine.wire.WireException;

/**
 * The parts of a ClientHello that diagnosis needs (RFC 8446 section 4.1.2; RFC 5246 section 7.4.1.2):
 *
 * <pre>
 * struct {
 *     ProtocolVersion legacy_version;
 *     Random random;                                   // 32 bytes
 *     opaque legacy_session_id&lt;0..32&gt;;
 *     CipherSuite cipher_suites&lt;2..2^16-2&gt;;
 *     opaque legacy_compression_methods&lt;1..2^8-1&gt;;
 *     Extension extensions&lt;8..2^16-1&gt;;             // absent in SSL 3.0 / some TLS 1.0 hellos
 * } ClientHello;
 * </pre>
 *
 * @param sslv2Format    sent as an SSL 2.0-compatible CLIENT-HELLO, which cannot carry extensions
 * @param serverName     the host_name of the server_name extension (RFC 6066 section 3), or null
 * @param renegotiation  renegotiation_info extension or the SCSV 0x00ff (RFC 5746)
 */
public record ClientHello(int legacyVersion, boolean sslv2Format, int cipherCount, String serverName,
                          List<String> alpn, boolean renegotiation, List<Integer> supportedVersions,
                          List<Integer> extensionTypes) {
    private static final int SERVER_NAME = 0;
    private static final int ALPN = 16;
    private static final int SUPPORTED_VERSIONS = 43;
    private static final int RENEGOTIATION_INFO = 0xff01;

    public boolean hasSni() {
        return serverName != null;
    }

    /** Parses the body of a handshake message of type client_hello (after the 4-byte header). */
    public static ClientHello parse(Cursor c) throws WireException {
        int version = c.u16("ClientHello.legacy_version");
        c.skip(32, "ClientHello.random");
        c.vector(1, 0, 32, "ClientHello.legacy_session_id");
        Cursor suites = c.vector(2, 2, 0xfffe, "ClientHello.cipher_suites");
        int count = 0;
        boolean scsv = false;
        while (!suites.atEnd()) {
            int s = suites.u16("ClientHello.cipher_suites[" + count + "]");
            scsv |= s == 0x00ff;
            count++;
        }
        c.vector(1, 1, 255, "ClientHello.legacy_compression_methods");
        String sni = null;
        List<String> alpn = new ArrayList<>();
        List<Integer> versions = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        boolean reneg = scsv;
        if (!c.atEnd()) {
            Cursor ext = c.vector(2, 0, 0xffff, "ClientHello.extensions");
            while (!ext.atEnd()) {
                int type = ext.u16("Extension.extension_type");
                Cursor data = ext.vector(2, 0, 0xffff, "Extension(" + type + ").extension_data");
                types.add(type);
                switch (type) {
                    case SERVER_NAME -> sni = serverName(data);
                    case ALPN -> {
                        Cursor list = data.vector(2, 2, 0xffff, "ALPN.protocol_name_list");
                        while (!list.atEnd()) {
                            Cursor name = list.vector(1, 1, 255, "ALPN.ProtocolName");
                            alpn.add(name.ascii(name.remaining(), "ALPN.ProtocolName"));
                        }
                    }
                    case SUPPORTED_VERSIONS -> {
                        Cursor list = data.vector(1, 2, 254, "supported_versions.versions");
                        while (!list.atEnd()) {
                            versions.add(list.u16("supported_versions.version"));
                        }
                    }
                    case RENEGOTIATION_INFO -> reneg = true;
                    default -> {
                    }
                }
            }
        }
        return new ClientHello(version, false, count, sni, List.copyOf(alpn), reneg, List.copyOf(versions), List.copyOf(types));
    }

    private static String serverName(Cursor data) throws WireException {
        if (data.atEnd()) {
            return null; // a server's empty acknowledgement; never sent by clients
        }
        Cursor list = data.vector(2, 1, 0xffff, "ServerNameList");
        while (!list.atEnd()) {
            int type = list.u8("ServerName.name_type");
            Cursor name = list.vector(2, 1, 0xffff, "ServerName.name");
            if (type == 0) {
                return name.ascii(name.remaining(), "HostName");
            }
        }
        return null;
    }

    /**
     * Parses an SSL 2.0-compatible CLIENT-HELLO (RFC 6101 appendix E.2): a 2-byte record header with
     * the high bit set, msg_type 1, version, then cipher-spec, session-id and challenge lengths.
     */
    public static ClientHello parseSslv2(Cursor c) throws WireException {
        int hdr = c.u16("SSLv2 record length");
        if ((hdr & 0x8000) == 0) {
            throw new WireException("SSLv2 record: header 0x" + Integer.toHexString(hdr) + " has no 2-byte-header flag", c.offset() - 2);
        }
        int type = c.u8("SSLv2 msg_type");
        if (type != 1) {
            throw new WireException("SSLv2 record: msg_type " + type + ", expected 1 (CLIENT-HELLO)", c.offset() - 1);
        }
        int version = c.u16("SSLv2 CLIENT-HELLO.version");
        int specLength = c.u16("SSLv2 CLIENT-HELLO.cipher_spec_length");
        int sessionLength = c.u16("SSLv2 CLIENT-HELLO.session_id_length");
        int challengeLength = c.u16("SSLv2 CLIENT-HELLO.challenge_length");
        if (specLength % 3 != 0) {
            throw new WireException("SSLv2 CLIENT-HELLO.cipher_spec_length " + specLength + " is not a multiple of 3", c.offset() - 6);
        }
        boolean scsv = false;
        for (int i = 0; i < specLength / 3; i++) {
            int k = c.u8("cipher_specs") << 16 | c.u16("cipher_specs");
            scsv |= k == 0x0000ff;
        }
        c.skip(sessionLength, "SSLv2 CLIENT-HELLO.session_id");
        c.skip(challengeLength, "SSLv2 CLIENT-HELLO.challenge");
        return new ClientHello(version, true, specLength / 3, null, List.of(), scsv, List.of(), List.of());
    }
}
