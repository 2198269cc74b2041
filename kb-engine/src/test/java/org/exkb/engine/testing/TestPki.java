package org.exkb.engine.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates generated at test time (Bouncy Castle's X.509 builder, JDK keys): a root, an
 * intermediate, leaves for given names and validity. Nothing is written to disk.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key and its certificate. */
    public record Issued(X509Certificate certificate, PrivateKey key, KeyPair pair) {
    }

    public final Issued root;
    public final Issued intermediate;

    public TestPki(String label) {
        root = issue("CN=" + label + " Root", null, true, List.of(), Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(3650)), null);
        intermediate = issue("CN=" + label + " Issuing CA", root, true, List.of(), Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(1800)), null);
    }

    /** A server certificate issued by the intermediate, valid from yesterday for a year. */
    public Issued leaf(String... names) {
        return issue("CN=" + names[0], intermediate, false, List.of(names), Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(365)), "http://pki.example.test/issuing.crt");
    }

    /** A server certificate issued by the intermediate that expired yesterday. */
    public Issued expiredLeaf(String... names) {
        return issue("CN=" + names[0], intermediate, false, List.of(names), Instant.now().minus(Duration.ofDays(400)),
                Instant.now().minus(Duration.ofDays(1)), null);
    }

    public static Issued issue(String subject, Issued issuer, boolean ca, List<String> dnsNames, Instant from, Instant to, String aia) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            KeyPair kp = g.generateKeyPair();
            X500Name issuerName = issuer == null ? new X500Name(subject)
                    : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()); // exactly the issuer's encoding
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(from), Date.from(to), new X500Name(subject), kp.getPublic());
            JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(kp.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    u.createAuthorityKeyIdentifier(issuer == null ? kp.getPublic() : issuer.pair().getPublic()));
            if (ca) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                GeneralName[] sans = dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            }
            if (aia != null) {
                b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                        new AccessDescription(AccessDescription.id_ad_caIssuers, new GeneralName(GeneralName.uniformResourceIdentifier, aia))));
            }
            PrivateKey signer = issuer == null ? kp.getPrivate() : issuer.key();
            X509Certificate c = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
            return new Issued(c, kp.getPrivate(), kp);
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue " + subject, e);
        }
    }
}
