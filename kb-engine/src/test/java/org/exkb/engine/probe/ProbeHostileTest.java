package org.exkb.engine.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.exkb.engine.collect.tls.TrustAnchors;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.testing.RawServer;
import org.exkb.engine.testing.TestPki;
import org.exkb.engine.testing.TestTlsServer;
import org.junit.jupiter.api.Test;

/** Servers that misbehave: each gives a clear, bounded result for its target, and the others are still probed. */
class ProbeHostileTest {
    static final int TIMEOUT = 700;

    static Probe.Options options() {
        return new Probe.Options("mail.example.test", false, TIMEOUT, TrustAnchors.only(List.of()), List.of(ProbeTest.STRICT), true);
    }

    /** Reads the client's first record so the server answers after the hello, as a real one would. */
    static void readHello(java.net.Socket s) throws Exception {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] h = new byte[5];
        in.readFully(h);
        in.readFully(new byte[((h[3] & 0xff) << 8) | (h[4] & 0xff)]);
    }

    static byte[] serverHello() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(2);
        b.write(0);
        b.write(0);
        b.write(38);
        b.write(3);
        b.write(3);
        b.writeBytes(new byte[32]);
        b.write(0); // no session id
        b.write(0xc0);
        b.write(0x2f);
        b.write(0);
        return b.toByteArray();
    }

    static void record(OutputStream o, int type, byte[] body) throws Exception {
        for (int at = 0; at < body.length; at += 16384) {
            int n = Math.min(16384, body.length - at);
            o.write(new byte[] {(byte) type, 3, 3, (byte) (n >> 8), (byte) n});
            o.write(body, at, n);
        }
    }

    @Test
    void everyHostileServerEndsBoundedAndTheHealthyOneIsStillProbed() throws Exception {
        TestPki pki = new TestPki("Hostile");
        TestPki.Issued leaf = pki.leaf("mail.example.test");
        byte[] der = leaf.certificate().getEncoded();
        try (RawServer silent = new RawServer(s -> Thread.sleep(30_000));
             RawServer garbage = new RawServer(s -> {
                 readHello(s);
                 s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
             });
             RawServer endless = new RawServer(s -> {
                 readHello(s);
                 OutputStream o = s.getOutputStream();
                 byte[] helloRequests = new byte[4 * 1024];
                 while (true) {
                     record(o, 22, helloRequests); // HelloRequest after HelloRequest, forever
                 }
             });
             RawServer hundreds = new RawServer(s -> {
                 readHello(s);
                 ByteArrayOutputStream list = new ByteArrayOutputStream();
                 for (int i = 0; i < 200; i++) {
                     list.write(der.length >> 16);
                     list.write(der.length >> 8);
                     list.write(der.length);
                     list.writeBytes(der);
                 }
                 int n = list.size();
                 ByteArrayOutputStream msg = new ByteArrayOutputStream();
                 msg.writeBytes(serverHello());
                 msg.writeBytes(new byte[] {11, (byte) ((n + 3) >> 16), (byte) ((n + 3) >> 8), (byte) (n + 3),
                         (byte) (n >> 16), (byte) (n >> 8), (byte) n});
                 msg.writeBytes(list.toByteArray());
                 msg.writeBytes(new byte[] {14, 0, 0, 0});
                 record(s.getOutputStream(), 22, msg.toByteArray());
                 Thread.sleep(2000);
             });
             TestTlsServer healthy = TestTlsServer.with().chain(leaf.key(), leaf.certificate(), pki.intermediate.certificate()).start()) {
            String refused = "127.0.0.1:" + RawServer.closedPort();
            List<ProbeTarget> targets = List.of(ProbeTarget.parse(refused), ProbeTarget.parse(silent.target()),
                    ProbeTarget.parse(garbage.target()), ProbeTarget.parse(endless.target()), ProbeTarget.parse(hundreds.target()),
                    ProbeTarget.parse(healthy.target()));
            long start = System.nanoTime();
            List<ProbeReport> r = Probe.run(targets, options());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(6, r.size());

            assertTrue(r.get(0).error().startsWith("TCP connect failed"), r.get(0).error());
            assertEquals(EvidenceProblem.CONNECTIVITY, r.get(0).collected().problems().get(0).reason());

            ProbeReport silentR = r.get(1);
            assertEquals("", silentR.error());
            assertEquals("timeout", silentR.withSni().result().word());
            assertTrue(silentR.withSni().detail().contains("no complete answer within " + TIMEOUT + " ms"), silentR.withSni().detail());

            ProbeReport garbageR = r.get(2);
            assertEquals("not_tls", garbageR.withSni().result().word());
            assertTrue(garbageR.withSni().detail().contains("HTTP/1.1 400"), garbageR.withSni().detail());
            assertTrue(garbageR.collected().problems().stream().anyMatch(p -> p.detail().contains("HTTP/1.1 400")));

            ProbeReport endlessR = r.get(3);
            assertEquals("too_large", endlessR.withSni().result().word());

            ProbeReport hundredsR = r.get(4);
            assertEquals("answered", hundredsR.withSni().result().word(), hundredsR.withSni().detail());
            assertEquals(Probe.MAX_CHAIN, hundredsR.chain().certificates().size());
            assertTrue(hundredsR.notes().stream().anyMatch(n -> n.contains("200 certificates; only the first 16")), hundredsR.notes().toString());

            ProbeReport ok = r.get(5);
            assertEquals("answered", ok.withSni().result().word());
            assertEquals(2, ok.chain().certificates().size());
            assertEquals(List.of(401, 401, 401), ok.http().stream().map(ProbeReport.Http::status).toList());

            // bounded: the slowest target is cut off by its own budget, and targets run side by side
            long bound = (long) Probe.BUDGET_STEPS * TIMEOUT + 5 * TIMEOUT;
            for (ProbeReport x : r) {
                assertTrue(x.millis() <= bound, x.target() + " took " + x.millis() + " ms");
            }
            assertTrue(millis < 2 * bound, "all targets took " + millis + " ms");
        }
    }

    /** Reads one CRLF line from a plaintext mail client. */
    static String line(java.io.InputStream in) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            b.append((char) c);
        }
        return b.toString().strip();
    }

    /** An SMTP server on 127.0.0.1 that answers STARTTLS (or refuses it) and then serves TLS with {@code ctx}. */
    static RawServer smtp(javax.net.ssl.SSLContext ctx, boolean refuse) throws Exception {
        return new RawServer(s -> {
            OutputStream o = s.getOutputStream();
            java.io.InputStream in = s.getInputStream();
            o.write("220 mail.example.test Microsoft ESMTP MAIL Service ready\r\n".getBytes(StandardCharsets.US_ASCII));
            while (true) {
                String l = line(in).toUpperCase(java.util.Locale.ROOT);
                if (l.startsWith("EHLO")) {
                    o.write("250-mail.example.test Hello\r\n250-SIZE 37748736\r\n250 STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
                } else if (l.equals("STARTTLS") && refuse) {
                    o.write("454 4.7.0 TLS not available due to temporary reason\r\n".getBytes(StandardCharsets.US_ASCII));
                } else if (l.equals("STARTTLS")) {
                    o.write("220 2.0.0 SMTP server ready\r\n".getBytes(StandardCharsets.US_ASCII));
                    break;
                } else {
                    o.write("500 5.3.3 Unrecognized command\r\n".getBytes(StandardCharsets.US_ASCII));
                    return;
                }
            }
            javax.net.ssl.SSLSocket t = (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket(s, null, s.getPort(), false);
            t.setUseClientMode(false);
            t.startHandshake();
            t.getInputStream().read();
        });
    }

    @Test
    void aMailPortIsProbedThroughStartTlsAndARefusalIsNamed() throws Exception {
        TestPki pki = new TestPki("Mail");
        TestPki.Issued leaf = pki.leaf("mail.example.test");
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("leaf", leaf.key(), new char[0], new java.security.cert.Certificate[] {leaf.certificate()}); // no intermediate
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, new char[0]);
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        try (RawServer ok = smtp(ctx, false); RawServer refusing = smtp(ctx, true)) {
            List<ProbeReport> r = Probe.run(List.of(ProbeTarget.parse(ok.target()), ProbeTarget.parse(refusing.target())), options());
            ProbeReport s = r.get(0);
            assertEquals("", s.error(), s.notes().toString());
            assertTrue(s.notes().get(0).startsWith("the server speaks first, in plaintext: '220 mail.example.test"), s.notes().toString());
            assertEquals("answered", s.withSni().result().word(), s.withSni().detail());
            assertEquals("undecided", s.chain().strict().word(), "the leaf came without its intermediate, through STARTTLS, and no root was given");
            assertEquals(List.of(), s.http(), "no HTTP on a mail port");
            assertTrue(!s.devices().isEmpty());

            assertTrue(r.get(1).error().startsWith("STARTTLS: the server answered '454 4.7.0 TLS not available"), r.get(1).error());
            assertEquals(EvidenceProblem.CONNECTIVITY, r.get(1).collected().problems().get(0).reason());
        }
    }

    @Test
    void unknownHostIsAClearResultWithoutAnyLookupOffLoopback() {
        ProbeReport r = Probe.probe(ProbeTarget.parse("mail.unknown.test"), options(), h -> {
            throw new UnknownHostException(h);
        });
        assertEquals("unknown host mail.unknown.test", r.error());
        assertEquals("live:mail.unknown.test:443", r.collected().problems().get(0).source());
    }
}
