package org.exkb.engine.collect.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.exkb.engine.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificate files as people hand them over, whole and damaged: every good certificate is used, each flaw named with its lines. */
class CertificateFileTest {
    static final TestPki PKI = new TestPki("certfile");

    @TempDir
    Path dir;

    static String pem(X509Certificate c) throws Exception {
        return "-----BEGIN CERTIFICATE-----\r\n" + Base64.getMimeEncoder(64, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(c.getEncoded()) + "\r\n-----END CERTIFICATE-----\r\n";
    }

    @Test
    void aBundleWithTextKeysAndOneDamagedCertificateKeepsTheOthers() throws Exception {
        String root = pem(PKI.root.certificate());
        String[] mid = pem(PKI.intermediate.certificate()).split("\r\n");
        mid[5] = mid[5].substring(0, 10) + "#" + mid[5].substring(11); // a character that is not base64
        String text = "Bag Attributes\r\n    friendlyName: mail\r\nsubject=CN = mail.example.test\r\n"  // lines 1-3
                + root                                                                              // lines 4-..
                + String.join("\r\n", mid) + "\r\n"
                + "-----BEGIN PRIVATE KEY-----\r\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\r\n-----END PRIVATE KEY-----\r\n"
                + pem(PKI.leaf("mail.example.test").certificate());
        int rootLines = root.split("\r\n").length;
        CertificateFile.Contents c = CertificateFile.parse(text.getBytes(StandardCharsets.US_ASCII));
        assertEquals(2, c.certificates().size(), "the root and the leaf");
        assertEquals(PKI.root.certificate(), c.certificates().get(0));
        assertEquals(2, c.issues().size(), c.issues().toString());
        CertificateFile.Issue damaged = c.issues().get(0);
        assertEquals("line " + (3 + rootLines + 6), damaged.locator(), "the line with the bad character");
        assertTrue(damaged.damage() && damaged.detail().contains("not base64"), damaged.toString());
        CertificateFile.Issue key = c.issues().get(1);
        assertEquals(CertificateFile.Kind.NOT_A_CERTIFICATE, key.kind());
        assertTrue(key.detail().startsWith("a private key"), key.toString());
    }

    @Test
    void aCutOffPemAndALostLineAreNamedWithTheirLines() throws Exception {
        String two = pem(PKI.root.certificate()) + pem(PKI.intermediate.certificate());
        CertificateFile.Contents cut = CertificateFile.parse(two.substring(0, two.length() - 200).getBytes(StandardCharsets.US_ASCII));
        assertEquals(1, cut.certificates().size());
        int second = pem(PKI.root.certificate()).split("\r\n").length + 1;
        assertEquals("line " + second, cut.firstDamage().orElseThrow().locator());
        assertTrue(cut.firstDamage().get().detail().contains("never ends"), cut.issues().toString());

        String[] lines = pem(PKI.root.certificate()).split("\r\n");
        StringBuilder lost = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (i != 3) {
                lost.append(lines[i]).append('\n');
            }
        }
        CertificateFile.Contents l = CertificateFile.parse(lost.toString().getBytes(StandardCharsets.US_ASCII));
        assertEquals(List.of(), l.certificates());
        assertEquals("lines 1-" + (lines.length - 1), l.firstDamage().orElseThrow().locator());
    }

    @Test
    void utf16FromAPowerShellRedirectDerAndPkcs7AreRead() throws Exception {
        String root = pem(PKI.root.certificate());
        byte[] utf16 = ("\ufeff" + root).getBytes(StandardCharsets.UTF_16LE);
        assertEquals(List.of(PKI.root.certificate()), CertificateFile.parse(utf16).certificates());
        assertEquals(List.of(PKI.root.certificate()), CertificateFile.parse(root.getBytes(StandardCharsets.UTF_16LE)).certificates());
        assertEquals(List.of(PKI.root.certificate()), CertificateFile.parse(PKI.root.certificate().getEncoded()).certificates());

        List<X509Certificate> chain = List.of(PKI.intermediate.certificate(), PKI.root.certificate());
        byte[] p7b = java.security.cert.CertificateFactory.getInstance("X.509").generateCertPath(chain).getEncoded("PKCS7");
        assertEquals(java.util.Set.copyOf(chain), java.util.Set.copyOf(CertificateFile.parse(p7b).certificates()), "a SET OF: any order");
        String p7pem = "-----BEGIN PKCS7-----\n" + Base64.getMimeEncoder().encodeToString(p7b) + "\n-----END PKCS7-----\n";
        assertEquals(java.util.Set.copyOf(chain), java.util.Set.copyOf(CertificateFile.parse(p7pem.getBytes(StandardCharsets.US_ASCII)).certificates()));

        CertificateFile.Contents junk = CertificateFile.parse("hello".getBytes(StandardCharsets.US_ASCII));
        assertEquals("byte 0", junk.firstDamage().orElseThrow().locator());
    }

    @Test
    void aTrustFileWithADamagedCertificateIsRefusedWithFileAndLines() throws Exception {
        String bad = pem(PKI.root.certificate()).replace("\r\n-----END", "*\r\n-----END");
        Path f = dir.resolve("roots.pem");
        Files.writeString(f, pem(PKI.intermediate.certificate()) + bad);
        CertificateException e = assertThrows(CertificateException.class, () -> TrustAnchors.read(f));
        assertTrue(e.getMessage().startsWith(f + " line "), e.getMessage());
    }
}
