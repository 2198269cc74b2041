package org.exkb.engine.wire;

/**
 * Names for TLS code points, as the registries and RFCs spell them (RFC 8446 section B.1-B.3,
 * RFC 5246 section 7.2, IANA "TLS Alerts" and "TLS HandshakeType").
 */
public final class TlsCodes {
    public static final int CHANGE_CIPHER_SPEC = 20;
    public static final int ALERT = 21;
    public static final int HANDSHAKE = 22;
    public static final int APPLICATION_DATA = 23;
    public static final int HEARTBEAT = 24;

    public static final int HELLO_REQUEST = 0;
    public static final int CLIENT_HELLO = 1;
    public static final int SERVER_HELLO = 2;
    public static final int NEW_SESSION_TICKET = 4;
    public static final int CERTIFICATE = 11;
    public static final int SERVER_KEY_EXCHANGE = 12;
    public static final int CERTIFICATE_REQUEST = 13;
    public static final int SERVER_HELLO_DONE = 14;
    public static final int CERTIFICATE_VERIFY = 15;
    public static final int CLIENT_KEY_EXCHANGE = 16;
    public static final int FINISHED = 20;

    public static final int TLS13 = 0x0304;

    private TlsCodes() {
    }

    public static String version(int v) {
        return switch (v) {
            case 0x0002 -> "SSL 2.0";
            case 0x0300 -> "SSL 3.0";
            case 0x0301 -> "TLS 1.0";
            case 0x0302 -> "TLS 1.1";
            case 0x0303 -> "TLS 1.2";
            case 0x0304 -> "TLS 1.3";
            case 0xfb17 -> "TLS 1.3 draft 23 (Facebook)";
            case 0xfb1a -> "TLS 1.3 draft 26 (Facebook)";
            default -> (v & 0xff00) == 0x7f00 ? "TLS 1.3 draft " + (v & 0xff) : (v & 0xff00) == 0x7e00
                    ? "TLS 1.3 draft (Google experiment 0x" + Integer.toHexString(v) + ")" : String.format("0x%04x", v);
        };
    }

    /** A pre-shared-key cipher suite (RFC 4279, 4785, 5487, 5489, 6209, 6367, 6655, 7905, 8442): no certificate is needed. */
    public static boolean pskSuite(int s) {
        return s >= 0x002c && s <= 0x002e || s >= 0x008a && s <= 0x0095 || s >= 0x00a8 && s <= 0x00b9
                || s >= 0xc033 && s <= 0xc03b || s >= 0xc064 && s <= 0xc071 || s >= 0xc08e && s <= 0xc09b
                || s >= 0xc0a4 && s <= 0xc0ab || s >= 0xccab && s <= 0xccae || s >= 0xd001 && s <= 0xd005;
    }

    /** TLS 1.3 or one of its drafts (0x7fNN, Facebook's 0xfb17/0xfb1a, Google's 0x7eNN experiments): everything after ServerHello is encrypted. */
    public static boolean tls13Family(int v) {
        return v == TLS13 || (v & 0xff00) == 0x7f00 || (v & 0xff00) == 0x7e00 || v == 0xfb17 || v == 0xfb1a;
    }

    public static String handshake(int t) {
        return switch (t) {
            case HELLO_REQUEST -> "HelloRequest";
            case CLIENT_HELLO -> "ClientHello";
            case SERVER_HELLO -> "ServerHello";
            case NEW_SESSION_TICKET -> "NewSessionTicket";
            case 8 -> "EncryptedExtensions";
            case CERTIFICATE -> "Certificate";
            case SERVER_KEY_EXCHANGE -> "ServerKeyExchange";
            case CERTIFICATE_REQUEST -> "CertificateRequest";
            case SERVER_HELLO_DONE -> "ServerHelloDone";
            case CERTIFICATE_VERIFY -> "CertificateVerify";
            case CLIENT_KEY_EXCHANGE -> "ClientKeyExchange";
            case FINISHED -> "Finished";
            case 22 -> "CertificateStatus";
            default -> "handshake type " + t;
        };
    }

    public static String alert(int d) {
        return switch (d) {
            case 0 -> "close_notify";
            case 10 -> "unexpected_message";
            case 20 -> "bad_record_mac";
            case 21 -> "decryption_failed";
            case 22 -> "record_overflow";
            case 30 -> "decompression_failure";
            case 40 -> "handshake_failure";
            case 41 -> "no_certificate";
            case 42 -> "bad_certificate";
            case 43 -> "unsupported_certificate";
            case 44 -> "certificate_revoked";
            case 45 -> "certificate_expired";
            case 46 -> "certificate_unknown";
            case 47 -> "illegal_parameter";
            case 48 -> "unknown_ca";
            case 49 -> "access_denied";
            case 50 -> "decode_error";
            case 51 -> "decrypt_error";
            case 60 -> "export_restriction";
            case 70 -> "protocol_version";
            case 71 -> "insufficient_security";
            case 80 -> "internal_error";
            case 86 -> "inappropriate_fallback";
            case 90 -> "user_canceled";
            case 100 -> "no_renegotiation";
            case 109 -> "missing_extension";
            case 110 -> "unsupported_extension";
            case 112 -> "unrecognized_name";
            case 113 -> "bad_certificate_status_response";
            case 115 -> "unknown_psk_identity";
            case 116 -> "certificate_required";
            case 120 -> "no_application_protocol";
            default -> "alert " + d;
        };
    }

    /** Alerts a client sends when it does not accept the server's certificate (RFC 8446 section 6.2). */
    public static boolean rejectsCertificate(int d) {
        return d == 42 || d == 43 || d == 44 || d == 45 || d == 46 || d == 48;
    }
}
