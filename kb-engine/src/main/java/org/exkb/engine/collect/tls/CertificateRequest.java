package org.exkb.engine.collect.tls;

import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.exkb.engine.wire.Cursor;
import org.exkb.engine.wire.WireException;

/**
 * The server asks for a client certificate (RFC 5246 section 7.4.4; RFC 4346 for TLS 1.0/1.1, which
 * has no signature algorithm list):
 *
 * <pre>
 * struct {
 *     ClientCertificateType certificate_types&lt;1..2^8-1&gt;;
 *     SignatureAndHashAlgorithm supported_signature_algorithms&lt;2..2^16-2&gt;;   // TLS 1.2 only
 *     DistinguishedName certificate_authorities&lt;0..2^16-1&gt;;
 * } CertificateRequest;
 * opaque DistinguishedName&lt;1..2^16-1&gt;;
 * </pre>
 *
 * @param authorities the acceptable CA names, RFC 2253 text (an undecodable name is shown as such)
 */
public record CertificateRequest(List<String> authorities) {
    public CertificateRequest {
        authorities = List.copyOf(authorities);
    }

    public static CertificateRequest parse(Cursor c, int version) throws WireException {
        c.vector(1, 1, 255, "CertificateRequest.certificate_types");
        if (version >= 0x0303) {
            c.vector(2, 0, 0xfffe, "CertificateRequest.supported_signature_algorithms");
        }
        Cursor names = c.vector(2, 0, 0xffff, "CertificateRequest.certificate_authorities");
        List<String> out = new ArrayList<>();
        while (!names.atEnd()) {
            Cursor dn = names.vector(2, 1, 0xffff, "DistinguishedName[" + out.size() + "]");
            byte[] der = dn.bytes(dn.remaining(), "DistinguishedName");
            try {
                out.add(new X500Principal(der).getName(X500Principal.RFC2253));
            } catch (IllegalArgumentException e) {
                out.add("(undecodable name, " + der.length + " bytes)");
            }
        }
        return new CertificateRequest(out);
    }
}
