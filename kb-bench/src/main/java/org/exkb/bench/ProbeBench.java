package org.exkb.bench;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.exkb.engine.collect.tls.TrustAnchors;
import org.exkb.engine.knowledge.Knowledge;
import org.exkb.engine.probe.Probe;
import org.exkb.engine.probe.ProbeReport;
import org.exkb.engine.probe.ProbeTarget;

/**
 * Warm probe timings against local servers (bench/probe starts them): one full probe of one target
 * (median of RUNS after warm-up), all targets in parallel, and as the reference measured in the same
 * run, one bare JSSE handshake to the same server. Usage: ProbeBench ROOT_PEM RUNS HOST:PORT...
 */
public final class ProbeBench {
    private ProbeBench() {
    }

    public static void main(String[] args) throws Exception {
        TrustAnchors trust = TrustAnchors.only(TrustAnchors.read(java.nio.file.Path.of(args[0])));
        int runs = Integer.parseInt(args[1]);
        List<ProbeTarget> targets = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            targets.add(ProbeTarget.parse(args[i]));
        }
        Knowledge k = Knowledge.fromClasspath(ProbeBench.class.getClassLoader());
        Probe.Options o = new Probe.Options("mail.example.test", false, 5000, trust, k.devices().all(), false);
        for (int i = 0; i < 20; i++) { // warm-up
            Probe.probe(targets.get(0), o);
            bareHandshake(targets.get(0));
        }
        double[] one = new double[runs];
        double[] bare = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            ProbeReport r = Probe.probe(targets.get(0), o);
            one[i] = (System.nanoTime() - t) / 1e6;
            if (!r.error().isEmpty()) {
                throw new IllegalStateException(r.error());
            }
            t = System.nanoTime();
            bareHandshake(targets.get(0));
            bare[i] = (System.nanoTime() - t) / 1e6;
        }
        double[] all = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            Probe.run(targets, o);
            all[i] = (System.nanoTime() - t) / 1e6;
        }
        double m1 = median(one);
        double mb = median(bare);
        double ma = median(all);
        System.out.printf("one target, full probe (5 hellos, 1 JSSE handshake, device table; no HTTP): %.1f ms median of %d%n", m1, runs);
        System.out.printf("reference, one bare JSSE handshake to the same server: %.1f ms -> the probe costs %.1f handshakes%n", mb, m1 / mb);
        System.out.printf("%d targets in parallel: %.1f ms median of %d (%.1fx one target)%n", targets.size(), ma, runs, ma / m1);
    }

    private static void bareHandshake(ProbeTarget t) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] c, String a) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress(t.host(), t.port()), 5000);
            s.startHandshake();
        }
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }
}
