package org.exkb.engine.collect.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;

/**
 * The roots a chain may end at: this JDK's trust store (loaded on first use) plus certificates the
 * user gives ({@code --trust FILE}, certificate files in a case). Of those, self-issued CA
 * certificates are roots; any other certificate given is known but is no anchor: an intermediate given
 * this way proves that a chain which needs it and does not carry it is incomplete. Whether the user
 * gave roots at all matters too: a chain that reaches none of them stops short of the organisation's
 * root. Immutable once built.
 */
public final class TrustAnchors {
    private static volatile List<X509Certificate> jdk;
    private static final Object JDK_LOCK = new Object();
    private static boolean jdkLoading;

    private final List<X509Certificate> extra;
    private final List<X509Certificate> givenRoots;
    private final List<X509Certificate> givenOthers;
    private final boolean withJdk;
    private volatile Map<X500Principal, List<X509Certificate>> bySubject;

    private TrustAnchors(List<X509Certificate> extra, boolean withJdk) {
        this.extra = List.copyOf(extra);
        this.withJdk = withJdk;
        List<X509Certificate> roots = new ArrayList<>();
        List<X509Certificate> others = new ArrayList<>();
        for (X509Certificate c : this.extra) {
            (isRoot(c) ? roots : others).add(c);
        }
        this.givenRoots = List.copyOf(roots);
        this.givenOthers = List.copyOf(others);
    }

    /** A self-issued certificate (subject equals issuer) that verifies with its own key. */
    static boolean isRoot(X509Certificate c) {
        CertificateInfo i = CertificateInfo.of(c);
        return i.selfIssued() && i.signedBy(c);
    }

    /** Whether the user gave any root of their own (the JDK's store does not count). */
    public boolean hasGivenRoots() {
        return !givenRoots.isEmpty();
    }

    /** The roots the user gave, in the order given. */
    public List<X509Certificate> givenRoots() {
        return givenRoots;
    }

    /** Certificates the user gave that are not roots (intermediates), whose subject is {@code name}. */
    public List<X509Certificate> givenIntermediates(X500Principal name) {
        List<X509Certificate> out = new ArrayList<>();
        for (X509Certificate c : givenOthers) {
            if (c.getSubjectX500Principal().equals(name)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Whether {@code root} is one the user gave (not only in the JDK's store). */
    public boolean given(X509Certificate root) {
        return givenRoots.contains(root);
    }

    /** The JDK's default trust store. */
    public static TrustAnchors jdkDefault() {
        return new TrustAnchors(List.of(), true);
    }

    /** Only the given roots (tests, and "as a strict device with this store would"). */
    public static TrustAnchors only(List<X509Certificate> roots) {
        return new TrustAnchors(roots, false);
    }

    public TrustAnchors plus(List<X509Certificate> roots) {
        List<X509Certificate> all = new ArrayList<>(extra);
        all.addAll(roots);
        return new TrustAnchors(all, withJdk);
    }

    /**
     * Reads every certificate in a PEM, DER or PKCS#7 file (see {@link CertificateFile}); a file with a
     * damaged certificate, or none, is refused with the file and the lines in the message.
     */
    public static List<X509Certificate> read(Path file) throws IOException, CertificateException {
        CertificateFile.Contents c = CertificateFile.read(file);
        java.util.Optional<CertificateFile.Issue> bad = c.firstDamage();
        if (bad.isPresent()) {
            CertificateFile.Issue i = bad.get();
            throw new CertificateException(file + (i.locator().isEmpty() ? "" : " " + i.locator()) + ": " + i.detail());
        }
        return c.certificates();
    }

    /** Roots whose subject is {@code name} (given roots first, then the JDK's). */
    public List<X509Certificate> withSubject(X500Principal name) {
        Map<X500Principal, List<X509Certificate>> m = bySubject;
        if (m == null) {
            m = new HashMap<>();
            List<X509Certificate> all = new ArrayList<>(givenRoots);
            if (withJdk) {
                all.addAll(jdk());
            }
            for (X509Certificate c : all) {
                m.computeIfAbsent(c.getSubjectX500Principal(), k -> new ArrayList<>()).add(c);
            }
            bySubject = m;
        }
        return m.getOrDefault(name, List.of());
    }

    /**
     * Starts reading the JDK's trust store on a background thread unless it is read or being read
     * (about 0.07 s of CPU on a cold start), so that the first chain check (when the first connection
     * with certificates closes) does not wait for it; the capture collector calls this when it starts.
     */
    public static void preload() {
        synchronized (JDK_LOCK) {
            if (jdk != null || jdkLoading) {
                return;
            }
            jdkLoading = true;
        }
        Thread t = new Thread(TrustAnchors::jdk, "exkb-jdk-roots");
        t.setDaemon(true);
        t.start();
    }

    private static List<X509Certificate> jdk() {
        List<X509Certificate> j = jdk;
        if (j != null) {
            return j;
        }
        synchronized (JDK_LOCK) { // a caller waits for a preload under way rather than read the store twice
            j = jdk;
            if (j == null) {
                try {
                    TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                    f.init((KeyStore) null);
                    List<X509Certificate> found = new ArrayList<>();
                    for (TrustManager t : f.getTrustManagers()) {
                        if (t instanceof X509TrustManager x) {
                            found.addAll(Arrays.asList(x.getAcceptedIssuers()));
                        }
                    }
                    j = List.copyOf(found);
                } catch (Exception e) {
                    j = List.of(); // no readable JDK store: only the user's roots count
                }
                jdk = j;
            }
            return j;
        }
    }
}
