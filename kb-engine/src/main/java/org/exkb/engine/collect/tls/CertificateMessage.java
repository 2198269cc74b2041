package org.exkb.engine.collect.tls;

import java.util.ArrayList;
import java.util.List;
import org.exkb.engine.wire.Cursor;
import org.exkb.engine.wire.WireException;

/**
 * The certificate chain as sent (RFC 5246 section 7.4.2; TLS 1.3 adds a request context and
 * per-certificate extensions, RFC 8446 section 4.4.2):
 *
 * <pre>
 * opaque ASN.1Cert&lt;1..2^24-1&gt;;
 * struct { ASN.1Cert certificate_list&lt;0..2^24-1&gt;; } Certificate;            // TLS 1.2 and below
 * struct { opaque certificate_request_context&lt;0..2^8-1&gt;;
 *          CertificateEntry certificate_list&lt;0..2^24-1&gt;; } Certificate;      // TLS 1.3
 * </pre>
 */
public final class CertificateMessage {
    /** More certificates than any real chain carries; the rest is not kept. */
    public static final int MAX_CERTIFICATES = 16;

    private CertificateMessage() {
    }

    /** The DER encodings in the order sent (the leaf first, by RFC), at most {@link #MAX_CERTIFICATES}. */
    public static List<byte[]> parse(Cursor c, boolean tls13) throws WireException {
        return parse(c, tls13, new int[1]);
    }

    /** As {@link #parse(Cursor, boolean)}; {@code sent[0]} receives how many certificates the message held. */
    public static List<byte[]> parse(Cursor c, boolean tls13, int[] sent) throws WireException {
        if (tls13) {
            c.vector(1, 0, 255, "Certificate.certificate_request_context");
        }
        Cursor list = c.vector(3, 0, 0xffffff, "Certificate.certificate_list");
        List<byte[]> out = new ArrayList<>();
        while (!list.atEnd()) {
            Cursor der = list.vector(3, 1, 0xffffff, "Certificate.certificate_list[" + out.size() + "]");
            if (out.size() < MAX_CERTIFICATES) {
                out.add(der.bytes(der.remaining(), "ASN.1Cert"));
            }
            sent[0]++;
            if (tls13) {
                list.vector(2, 0, 0xffff, "CertificateEntry.extensions");
            }
        }
        return out;
    }
}
