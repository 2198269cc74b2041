package org.exkb.engine.collect.tls;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;
import org.exkb.engine.wire.Cursor;
import org.exkb.engine.wire.Der;
import org.exkb.engine.wire.WireException;

/**
 * One certificate as presented, summarised for diagnosis (RFC 5280): subject, issuer, DNS and IP
 * names, validity, key, signature algorithm, key identifiers and where its issuer can be fetched
 * (AIA caIssuers). The parsed certificate is kept for signature checks while building chains.
 */
public record CertificateInfo(X509Certificate certificate, String subject, String issuer, List<String> dnsNames,
                              List<String> ipAddresses, Instant notBefore, Instant notAfter, String keyType,
                              int keyBits, String signatureAlgorithm, String subjectKeyId, String authorityKeyId,
                              List<String> caIssuers, boolean ca, String sha256) {

    public CertificateInfo {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        caIssuers = List.copyOf(caIssuers);
    }

    /** Decodes one DER certificate; throws CertificateException with the reason when it is not one. */
    public static CertificateInfo parse(byte[] der) throws CertificateException {
        X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        return of(c, der);
    }

    public static CertificateInfo of(X509Certificate c) {
        try {
            return of(c, c.getEncoded());
        } catch (CertificateException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    private static CertificateInfo of(X509Certificate c, byte[] der) {
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        try {
            Collection<List<?>> sans = c.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == 2) {
                        dns.add(String.valueOf(san.get(1)));
                    } else if (type == 7) {
                        ips.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // an undecodable SAN extension: the certificate then names nothing by SAN
        }
        PublicKey key = c.getPublicKey();
        return new CertificateInfo(c, name(c.getSubjectX500Principal()), name(c.getIssuerX500Principal()), dns, ips,
                c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), key.getAlgorithm(), keyBits(key),
                c.getSigAlgName(), subjectKeyId(c), authorityKeyId(c), caIssuers(c), c.getBasicConstraints() >= 0,
                sha256(der));
    }

    static String name(X500Principal p) {
        return p.getName(X500Principal.RFC2253);
    }

    private static final java.util.Map<String, String> OID_NAMES = java.util.Map.of(
            "1.2.840.113549.1.9.1", "emailAddress", "2.5.4.5", "serialNumber", "2.5.4.15", "businessCategory",
            "1.3.6.1.4.1.311.60.2.1.1", "jurisdictionL", "1.3.6.1.4.1.311.60.2.1.2", "jurisdictionST",
            "1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC", "2.5.4.97", "organizationIdentifier", "2.5.4.4", "SN",
            "2.5.4.42", "GN", "2.5.4.12", "title");

    /**
     * A distinguished name as people read it (Wireshark's way): attributes by their names, not OIDs,
     * values without RFC 2253 escapes or hex ({@code 1.2.840.113549.1.9.1=#1612...} becomes
     * {@code emailAddress=pki@example.test}), separated by ", ". For reports; JSON keeps the exact RFC
     * 2253 form. A name that cannot be parsed is returned as it is.
     */
    public static String display(String rfc2253) {
        try {
            javax.naming.ldap.LdapName n = new javax.naming.ldap.LdapName(rfc2253);
            List<String> parts = new ArrayList<>();
            List<javax.naming.ldap.Rdn> rdns = n.getRdns(); // in reverse (root-first) order
            for (int i = rdns.size() - 1; i >= 0; i--) {
                javax.naming.directory.Attributes as = rdns.get(i).toAttributes();
                for (javax.naming.NamingEnumeration<? extends javax.naming.directory.Attribute> e = as.getAll(); e.hasMore(); ) {
                    javax.naming.directory.Attribute a = e.next();
                    String type = OID_NAMES.getOrDefault(a.getID(), a.getID());
                    Object v = a.get();
                    parts.add(type + "=" + (v instanceof byte[] b ? derString(b) : String.valueOf(v)));
                }
            }
            return String.join(", ", parts);
        } catch (javax.naming.NamingException | RuntimeException e) {
            return rfc2253;
        }
    }

    /** The text of a DER string value (UTF8String, PrintableString, IA5String, T61String, BMPString); hex otherwise. */
    private static String derString(byte[] b) {
        if (b.length >= 2 && (b[1] & 0x80) == 0 && (b[1] & 0xff) == b.length - 2) {
            int tag = b[0] & 0xff;
            java.nio.charset.Charset cs = switch (tag) {
                case 0x0c -> java.nio.charset.StandardCharsets.UTF_8;
                case 0x13, 0x16, 0x14 -> java.nio.charset.StandardCharsets.ISO_8859_1;
                case 0x1e -> java.nio.charset.StandardCharsets.UTF_16BE;
                default -> null;
            };
            if (cs != null) {
                return new String(b, 2, b.length - 2, cs);
            }
        }
        StringBuilder h = new StringBuilder("#");
        for (byte x : b) {
            h.append(String.format("%02x", x));
        }
        return h.toString();
    }

    public boolean selfIssued() {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }

    /** Whether {@code issuerCandidate}'s key verifies this certificate's signature. */
    public boolean signedBy(X509Certificate issuerCandidate) {
        if (!certificate.getIssuerX500Principal().equals(issuerCandidate.getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(issuerCandidate.getPublicKey());
            return true;
        } catch (Exception e) {
            return false; // wrong key, or an algorithm this JDK does not offer
        }
    }

    /** The common name, for short displays; the whole subject if it has none. */
    public String shortName() {
        for (String part : subject.split(",(?=[A-Za-z0-9.]+=)")) {
            if (part.regionMatches(true, 0, "CN=", 0, 3)) {
                return part.substring(3);
            }
        }
        return subject;
    }

    /**
     * Whether the certificate covers {@code host} (RFC 6125 section 6.4): DNS names of the SAN
     * extension, a wildcard only as the whole left-most label matching exactly one label; the common
     * name only when there is no DNS SAN; an IP address only against IP SANs.
     */
    public boolean covers(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.matches("[0-9.]+") || h.contains(":")) {
            return ipAddresses.stream().anyMatch(ip -> ip.equalsIgnoreCase(host));
        }
        List<String> names = dnsNames.isEmpty() ? List.of(shortName()) : dnsNames;
        for (String n : names) {
            String p = n.toLowerCase(Locale.ROOT);
            if (p.equals(h)) {
                return true;
            }
            if (p.startsWith("*.") && h.indexOf('.') > 0 && h.substring(h.indexOf('.')).equals(p.substring(1))) {
                return true;
            }
        }
        return false;
    }

    /** Names to show: the DNS SANs, or the common name when there are none. */
    public List<String> names() {
        return dnsNames.isEmpty() ? List.of(shortName()) : dnsNames;
    }

    private static int keyBits(PublicKey key) {
        if (key instanceof RSAPublicKey r) {
            return r.getModulus().bitLength();
        }
        if (key instanceof ECPublicKey e) {
            return e.getParams().getOrder().bitLength();
        }
        if (key instanceof DSAPublicKey d) {
            return d.getParams().getP().bitLength();
        }
        return 0;
    }

    /*
     * The three extensions below are read with the bounded DER reader rather than a library: RFC 5280
     * section 4.2.1.1 (AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING
     * OPTIONAL, ... }), 4.2.1.2 (SubjectKeyIdentifier ::= OCTET STRING) and 4.2.2.1
     * (AuthorityInfoAccessSyntax ::= SEQUENCE OF SEQUENCE { accessMethod OID, accessLocation
     * GeneralName }, uniformResourceIdentifier being [6] IMPLICIT IA5String). Bouncy Castle's signed jars
     * would cost a jar verification at every start and cannot go into the class-data-sharing archive.
     */
    private static final byte[] CA_ISSUERS = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02}; // 1.3.6.1.5.5.7.48.2

    /** The extnValue contents (getExtensionValue wraps them in an OCTET STRING), or null. */
    private static Cursor extension(X509Certificate c, String oid) throws WireException {
        byte[] v = c.getExtensionValue(oid);
        return v == null ? null : Der.expect(Cursor.of(v), Der.OCTET_STRING, oid);
    }

    private static String subjectKeyId(X509Certificate c) {
        try {
            Cursor v = extension(c, "2.5.29.14");
            if (v == null) {
                return "";
            }
            Cursor id = Der.expect(v, Der.OCTET_STRING, "SubjectKeyIdentifier");
            return HexFormat.of().formatHex(id.bytes(id.remaining(), "keyIdentifier"));
        } catch (WireException e) {
            return "";
        }
    }

    private static String authorityKeyId(X509Certificate c) {
        try {
            Cursor v = extension(c, "2.5.29.35");
            if (v == null) {
                return "";
            }
            Cursor seq = Der.expect(v, Der.SEQUENCE, "AuthorityKeyIdentifier");
            while (!seq.atEnd()) {
                Der.Tlv t = Der.next(seq, "AuthorityKeyIdentifier field");
                if (t.tag() == 0x80) {
                    return HexFormat.of().formatHex(t.value().bytes(t.value().remaining(), "keyIdentifier"));
                }
            }
            return "";
        } catch (WireException e) {
            return "";
        }
    }

    private static List<String> caIssuers(X509Certificate c) {
        List<String> out = new ArrayList<>();
        try {
            Cursor v = extension(c, "1.3.6.1.5.5.7.1.1");
            if (v != null) {
                Cursor list = Der.expect(v, Der.SEQUENCE, "AuthorityInfoAccessSyntax");
                while (!list.atEnd()) {
                    Cursor ad = Der.expect(list, Der.SEQUENCE, "AccessDescription");
                    Cursor method = Der.expect(ad, Der.OID, "accessMethod");
                    byte[] oid = method.bytes(method.remaining(), "accessMethod");
                    Der.Tlv location = Der.next(ad, "accessLocation");
                    if (java.util.Arrays.equals(oid, CA_ISSUERS) && location.tag() == 0x86) {
                        out.add(location.value().ascii(location.value().remaining(), "uniformResourceIdentifier"));
                    }
                }
            }
        } catch (WireException e) {
            // an undecodable AIA extension: nothing to fetch from
        }
        return out;
    }

    private static String sha256(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
