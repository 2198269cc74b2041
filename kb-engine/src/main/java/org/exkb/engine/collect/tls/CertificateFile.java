package org.exkb.engine.collect.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The certificates of a file as people hand them over: PEM (one or many blocks, with the text that
 * {@code openssl x509 -text} or a PKCS#12 export puts around them, CRLF line ends, a BOM), base64
 * PKCS#7 blocks, binary DER or PKCS#7 ({@code .p7b}). Each block is decoded on its own, so one damaged
 * certificate costs only itself; what was wrong is said with its lines. Private keys and other blocks
 * are never decoded, only named.
 */
public final class CertificateFile {
    /** Something in the file that is not a usable certificate, with its place ("lines 3-22", "line 9", "byte 0"). */
    public record Issue(String locator, String detail, Kind kind) {
        public boolean damage() {
            return kind == Kind.DAMAGED;
        }
    }

    /** A certificate (or the whole file) that cannot be used; a flaw read past; a block that is not a certificate. */
    public enum Kind { DAMAGED, TOLERATED, NOT_A_CERTIFICATE }

    public record Contents(List<X509Certificate> certificates, List<Issue> issues) {
        public Contents {
            certificates = List.copyOf(certificates);
            issues = List.copyOf(issues);
        }

        /** The first damaged block, if any. */
        public java.util.Optional<Issue> firstDamage() {
            return issues.stream().filter(Issue::damage).findFirst();
        }
    }

    private CertificateFile() {
    }

    public static Contents read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    static Contents parse(byte[] data) {
        List<X509Certificate> certs = new ArrayList<>();
        List<Issue> issues = new ArrayList<>();
        String text = pemText(data);
        if (text == null) {
            der(data, certs, issues);
        } else {
            pem(text, certs, issues);
        }
        if (certs.isEmpty() && issues.stream().noneMatch(Issue::damage)) {
            issues.add(new Issue(text == null ? "byte 0" : "", "holds no certificate (PEM blocks '-----BEGIN CERTIFICATE-----' or"
                    + " binary DER/PKCS#7 expected)", Kind.DAMAGED));
        }
        return new Contents(certs, issues);
    }

    /**
     * The file as text when it holds a PEM block, else null (binary). A PEM written through a Windows
     * PowerShell redirect is UTF-16 (with a BOM, or without one: every other byte zero).
     */
    private static String pemText(byte[] data) {
        java.nio.charset.Charset cs = StandardCharsets.ISO_8859_1;
        if (data.length >= 2 && (data[0] & 0xff) == 0xff && (data[1] & 0xff) == 0xfe) {
            cs = StandardCharsets.UTF_16LE;
        } else if (data.length >= 2 && (data[0] & 0xff) == 0xfe && (data[1] & 0xff) == 0xff) {
            cs = StandardCharsets.UTF_16BE;
        } else if (data.length >= 4 && data[0] != 0 && data[1] == 0 && data[2] != 0 && data[3] == 0) {
            cs = StandardCharsets.UTF_16LE;
        }
        String s = new String(data, cs);
        if (!s.isEmpty() && s.charAt(0) == '\ufeff') {
            s = s.substring(1);
        }
        return s.contains("-----BEGIN ") ? s : null;
    }

    private static void der(byte[] data, List<X509Certificate> certs, List<Issue> issues) {
        if (data.length == 0 || (data[0] & 0xff) != 0x30) {
            issues.add(new Issue("byte 0", "neither PEM text nor binary DER (which starts with byte 0x30)", Kind.DAMAGED));
            return;
        }
        try {
            for (Certificate c : factory().generateCertificates(new ByteArrayInputStream(data))) {
                certs.add((X509Certificate) c);
            }
        } catch (CertificateException | RuntimeException e) {
            issues.add(new Issue("byte 0", "binary data that is not a valid DER certificate or PKCS#7 bundle (" + why(e) + ")", Kind.DAMAGED));
        }
    }

    private static void pem(String text, List<X509Certificate> certs, List<Issue> issues) {
        String[] lines = text.split("\r\n|\n|\r", -1);
        String type = null;
        int begin = 0;
        StringBuilder b64 = new StringBuilder();
        int badLine = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (i == 0 && line.startsWith("\u00ef\u00bb\u00bf")) { // UTF-8 BOM read as Latin-1
                line = line.substring(3);
            }
            if (type == null) {
                if (line.startsWith("-----BEGIN ") && line.endsWith("-----") && line.length() > 16) {
                    type = line.substring(11, line.length() - 5);
                    begin = i + 1;
                    b64.setLength(0);
                    badLine = 0;
                }
                continue;
            }
            if (line.startsWith("-----END ")) {
                String end = line.endsWith("-----") && line.length() > 14 ? line.substring(9, line.length() - 5) : line;
                block(type, begin, i + 1, b64.toString(), badLine, end.equals(type) ? null : line, certs, issues);
                type = null;
            } else if (line.startsWith("-----BEGIN ")) {
                issues.add(new Issue("line " + begin, "the " + type + " block that starts here has no END line before the next"
                        + " block on line " + (i + 1) + "; not used", Kind.DAMAGED));
                i--; // read this line again as a start
                type = null;
            } else if (line.contains(":") && b64.length() == 0) {
                continue; // RFC 1421 headers (Proc-Type, DEK-Info) of an encrypted key
            } else {
                if (badLine == 0 && !line.matches("[A-Za-z0-9+/=]*")) {
                    badLine = i + 1;
                }
                b64.append(line);
            }
        }
        if (type != null) {
            issues.add(new Issue("line " + begin, "the " + type + " block that starts here never ends (no -----END " + type
                    + "----- line: the file is cut off?); not used", Kind.DAMAGED));
        }
    }

    private static void block(String type, int begin, int end, String b64, int badLine, String wrongEnd,
            List<X509Certificate> certs, List<Issue> issues) {
        String where = "lines " + begin + "-" + end;
        String upper = type.toUpperCase(Locale.ROOT);
        if (upper.contains("PRIVATE KEY")) {
            issues.add(new Issue(where, "a private key (" + type + "), not read; a diagnosis needs only certificates, so leave keys"
                    + " out of the evidence", Kind.NOT_A_CERTIFICATE));
            return;
        }
        boolean pkcs7 = upper.equals("PKCS7") || upper.equals("CMS");
        if (!upper.endsWith("CERTIFICATE") && !pkcs7) {
            issues.add(new Issue(where, "a " + type + " block, not a certificate; not read", Kind.NOT_A_CERTIFICATE));
            return;
        }
        if (wrongEnd != null) {
            issues.add(new Issue("line " + end, "the " + type + " block from line " + begin + " ends with '" + wrongEnd
                    + "' instead of -----END " + type + "-----; used as far as its content is valid", Kind.TOLERATED));
        }
        if (badLine != 0) {
            issues.add(new Issue("line " + badLine, "certificate block (" + where + ") is damaged: this line holds characters that"
                    + " are not base64; not used", Kind.DAMAGED));
            return;
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            issues.add(new Issue(where, "certificate block is damaged: its base64 text is incomplete (" + e.getMessage()
                    + "; a line lost or cut?); not used", Kind.DAMAGED));
            return;
        }
        try {
            if (pkcs7) {
                for (Certificate c : factory().generateCertificates(new ByteArrayInputStream(der))) {
                    certs.add((X509Certificate) c);
                }
            } else {
                certs.add((X509Certificate) factory().generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | RuntimeException e) {
            issues.add(new Issue(where, "certificate block is damaged: its base64 decodes, but not to a valid X.509 certificate ("
                    + why(e) + "); not used", Kind.DAMAGED));
        }
    }

    /** What a certificate parser said was wrong, without the exception classes around it ("not enough content"). */
    public static String why(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.strip();
    }

    private static CertificateFactory factory() throws CertificateException {
        return CertificateFactory.getInstance("X.509");
    }
}
