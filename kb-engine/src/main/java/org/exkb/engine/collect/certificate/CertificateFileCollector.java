package org.exkb.engine.collect.certificate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.exkb.engine.collect.CollectContext;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.collect.EvidenceCollector;
import org.exkb.engine.collect.tls.CertificateFile;
import org.exkb.engine.collect.tls.CertificateInfo;
import org.exkb.engine.collect.tls.TrustAnchors;
import org.exkb.engine.model.EvidenceProblem;

/**
 * Certificate files given as evidence (PEM or DER). A self-signed CA certificate is a private root
 * the user trusts: chains in the same case may end at it (like {@code --trust FILE}). Another CA
 * certificate is a known intermediate: a chain that needs it and does not carry it is proven
 * incomplete. Any other certificate is described in what was examined. Read before the other evidence of a case, so the
 * roots apply to every capture in it.
 */
public final class CertificateFileCollector implements EvidenceCollector {
    @Override
    public java.util.List<org.exkb.engine.model.EvidenceKind> kinds() {
        return java.util.List.of();
    }

    @Override
    public String name() {
        return "certificate file";
    }

    @Override
    public boolean early() {
        return true;
    }

    @Override
    public boolean accepts(Path file, byte[] head) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.matches(".*\\.(pem|crt|cer|der|p7b|p7c)")
                || new String(head, StandardCharsets.US_ASCII).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Override
    public CollectResult collect(Path file, CollectContext context) {
        return collect(file, file.toString(), context);
    }

    @Override
    public CollectResult collect(Path file, String source, CollectContext context) {
        CollectResult r = new CollectResult();
        CertificateFile.Contents contents;
        try {
            contents = CertificateFile.read(file);
        } catch (IOException e) {
            return r.problem(new EvidenceProblem(source, "", EvidenceProblem.UNREADABLE, e.toString()));
        }
        for (CertificateFile.Issue i : contents.issues()) {
            r.problem(new EvidenceProblem(source, i.locator(), i.kind() == CertificateFile.Kind.NOT_A_CERTIFICATE
                    ? EvidenceProblem.UNSUPPORTED : EvidenceProblem.MALFORMED, i.detail()));
        }
        List<X509Certificate> certs = contents.certificates();
        List<X509Certificate> known = new ArrayList<>(); // roots and intermediates: TrustAnchors tells them apart
        int i = 0;
        for (X509Certificate c : certs) {
            CertificateInfo info = CertificateInfo.of(c);
            i++;
            if (info.selfIssued() && info.ca() && info.signedBy(c)) {
                known.add(c);
                r.examined(source + " certificate " + i + ": trusted root for this case: " + info.subject());
            } else if (info.ca()) {
                known.add(c); // known, but no anchor
                r.examined(source + " certificate " + i + ": intermediate CA for this case: " + info.subject() + " issued by "
                        + info.issuer() + " (a chain that needs it and does not carry it is proven incomplete)");
            } else {
                r.examined(source + " certificate " + i + ": " + info.subject() + " issued by " + info.issuer()
                        + ", valid " + info.notBefore() + " to " + info.notAfter() + " (not a CA certificate: not used in chain checks)");
            }
        }
        return r.trust(known);
    }
}
