package org.exkb.engine.probe;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Builds the ClientHello records the probe sends itself (RFC 5246 section 7.4.1.2, RFC 8446
 * section 4.1.2). Sending hand-built hellos lets the probe offer exactly one protocol version, with
 * or without server_name, and read the server's answer in clear, without touching the JVM-wide
 * JSSE settings (jdk.tls.disabledAlgorithms) that would otherwise be needed for TLS 1.0 and 1.1.
 * The probe never completes these handshakes: it reads the server's first flight and closes.
 */
public final class ClientHelloBuilder {
    /** TLS 1.3 suites, then ECDHE and RSA suites in GCM and CBC forms, 3DES last (RFC 8446, 5289, 4492, 5246). */
    private static final int[] TLS13_SUITES = {0x1301, 0x1302, 0x1303};
    private static final int[] TLS12_SUITES = {0xc02f, 0xc030, 0xc02b, 0xc02c, 0x009c, 0x009d};
    private static final int[] CBC_SUITES = {0xc013, 0xc014, 0xc009, 0xc00a, 0x002f, 0x0035, 0x000a};
    /** TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 section 3.3): asks the server to show renegotiation_info. */
    private static final int RENEGOTIATION_SCSV = 0x00ff;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClientHelloBuilder() {
    }

    /**
     * A ClientHello in one TLS record.
     *
     * @param version    the one version offered: 0x0301..0x0304 (0x0304 is offered through supported_versions)
     * @param serverName the SNI host name, or null for none
     */
    public static byte[] hello(int version, String serverName) {
        if (version < 0x0301 || version > 0x0304) {
            throw new IllegalArgumentException("version 0x" + Integer.toHexString(version));
        }
        boolean tls13 = version == 0x0304;
        Buf body = new Buf();
        body.u16(tls13 ? 0x0303 : version);
        body.bytes(random(32));
        body.u8(tls13 ? 32 : 0); // legacy_session_id: TLS 1.3 middlebox compatibility mode sends one
        if (tls13) {
            body.bytes(random(32));
        }
        Buf suites = new Buf();
        if (tls13) {
            for (int s : TLS13_SUITES) {
                suites.u16(s);
            }
        } else {
            if (version == 0x0303) {
                for (int s : TLS12_SUITES) {
                    suites.u16(s);
                }
            }
            for (int s : CBC_SUITES) {
                suites.u16(s);
            }
            suites.u16(RENEGOTIATION_SCSV);
        }
        body.vector16(suites);
        body.u8(1);
        body.u8(0); // compression: null only
        Buf ext = new Buf();
        if (serverName != null && !serverName.isEmpty()) {
            byte[] name = serverName.getBytes(StandardCharsets.US_ASCII);
            Buf list = new Buf();
            list.u8(0); // host_name
            list.u16(name.length);
            list.bytes(name);
            Buf sni = new Buf();
            sni.vector16(list);
            extension(ext, 0, sni);
        }
        Buf groups = new Buf();
        Buf groupList = new Buf();
        for (int g : new int[] {0x001d, 0x0017, 0x0018}) { // x25519, secp256r1, secp384r1
            groupList.u16(g);
        }
        groups.vector16(groupList);
        extension(ext, 10, groups);
        Buf formats = new Buf();
        formats.u8(1);
        formats.u8(0); // uncompressed
        extension(ext, 11, formats);
        if (version >= 0x0303) {
            Buf algs = new Buf();
            Buf algList = new Buf();
            for (int a : new int[] {0x0804, 0x0805, 0x0806, 0x0403, 0x0503, 0x0401, 0x0501, 0x0601, 0x0201, 0x0203}) {
                algList.u16(a);
            }
            algs.vector16(algList);
            extension(ext, 13, algs);
        }
        if (tls13) {
            Buf versions = new Buf();
            versions.u8(2);
            versions.u16(0x0304);
            extension(ext, 43, versions);
            Buf share = new Buf();
            Buf entries = new Buf();
            entries.u16(0x001d);
            entries.u16(32);
            entries.bytes(random(32)); // never used to finish: any 32 bytes are a well-formed X25519 share
            share.vector16(entries);
            extension(ext, 51, share);
            Buf modes = new Buf();
            modes.u8(1);
            modes.u8(1); // psk_dhe_ke
            extension(ext, 45, modes);
        }
        body.vector16(ext);
        Buf handshake = new Buf();
        handshake.u8(1);
        handshake.u24(body.size());
        handshake.bytes(body.toByteArray());
        Buf record = new Buf();
        record.u8(22);
        record.u16(0x0301); // record version of the first hello: 0x0301 is what every server accepts
        record.u16(handshake.size());
        record.bytes(handshake.toByteArray());
        return record.toByteArray();
    }

    private static void extension(Buf out, int type, Buf data) {
        out.u16(type);
        out.vector16(data);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static final class Buf extends ByteArrayOutputStream {
        void u8(int v) {
            write(v);
        }

        void u16(int v) {
            write(v >>> 8);
            write(v);
        }

        void u24(int v) {
            write(v >>> 16);
            write(v >>> 8);
            write(v);
        }

        void bytes(byte[] b) {
            write(b, 0, b.length);
        }

        void vector16(Buf b) {
            u16(b.size());
            bytes(b.toByteArray());
        }
    }
}
