package org.exkb.engine.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.exkb.engine.collect.tls.TrustAnchors;
import org.exkb.engine.testing.RawServer;
import org.exkb.engine.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe against {@code openssl s_server} on 127.0.0.1 for what the JDK's own server will not do
 * without JVM-wide settings: a server that speaks TLS 1.0 only. .ci/run installs openssl when missing.
 */
class ProbeOpensslTest {
    @TempDir
    Path dir;

    static boolean openssl() {
        try {
            return new ProcessBuilder("openssl", "version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static void pem(Path file, String type, byte[] der) throws IOException {
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n", StandardCharsets.US_ASCII);
    }

    @Test
    void tls10OnlyServerIsSeenAsSuchWithoutChangingTheJvmSettings() throws Exception {
        assumeTrue(openssl(), "openssl is not installed (.ci/run installs it)");
        TestPki pki = new TestPki("Legacy");
        TestPki.Issued leaf = pki.leaf("legacy.example.test");
        Path cert = dir.resolve("leaf.pem");
        Path chain = dir.resolve("chain.pem");
        Path key = dir.resolve("leaf.key");
        pem(cert, "CERTIFICATE", leaf.certificate().getEncoded());
        pem(chain, "CERTIFICATE", pki.intermediate.certificate().getEncoded());
        pem(key, "PRIVATE KEY", leaf.key().getEncoded());
        int port = RawServer.closedPort();
        Process server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert", cert.toString(),
                "-key", key.toString(), "-cert_chain", chain.toString(), "-tls1", "-cipher", "DEFAULT@SECLEVEL=0", "-www", "-quiet")
                .redirectErrorStream(true).redirectOutput(dir.resolve("s_server.log").toFile()).start();
        try {
            waitFor(port, server);
            String disabled = java.security.Security.getProperty("jdk.tls.disabledAlgorithms");
            ProbeReport r = Probe.probe(ProbeTarget.parse("127.0.0.1:" + port), new Probe.Options("legacy.example.test", false, 3000,
                    TrustAnchors.only(List.of(pki.root.certificate())), List.of(ProbeTest.STRICT), false));
            assertEquals("accepted", r.versions().get("TLS 1.0"), r.versions().toString());
            assertTrue(r.versions().get("TLS 1.2").startsWith("refused"), r.versions().toString());
            assertEquals("TLS 1.0", r.withSni().version());
            assertEquals("complete", r.chain().strict().word(), r.chain().notes().toString());
            assertEquals(2, r.chain().certificates().size());
            assertEquals("works", r.devices().get(0).verdict(), r.devices().toString());
            // nothing JVM-wide was touched to get there
            assertEquals(disabled, java.security.Security.getProperty("jdk.tls.disabledAlgorithms"));
            assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("full handshake")), r.notes().toString());
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private static void waitFor(int port, Process p) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (!p.isAlive()) {
                throw new IllegalStateException("openssl s_server exited: " + p.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("openssl s_server did not listen on " + port);
    }
}
