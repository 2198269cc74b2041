package org.exkb.engine.testing;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.exkb.engine.collect.tls.ClientHello;
import org.exkb.engine.wire.Cursor;

/**
 * A real TLS server on 127.0.0.1 (JSSE), built for one test: the chain it presents with SNI and
 * without, what it does with a hello that carries no SNI (serve, reset like HTTP.sys, or an
 * unrecognized_name alert), client-certificate requests in the handshake or by renegotiation on a
 * path (TLS 1.2, the IIS way), and an HTTP answer like Exchange's without credentials (401).
 */
public final class TestTlsServer implements AutoCloseable {
    public enum NoSni { SERVE, RESET, ALERT }

    static {
        // IIS renegotiates with a full handshake; a JSSE server would resume from a stateless session
        // ticket instead (no CertificateRequest). Read once when JSSE's configuration class loads,
        // so it is set before any test server exists; it changes nothing on the client side.
        System.setProperty("jdk.tls.server.enableSessionTicketExtension", "false");
    }

    public enum ClientAuth { NONE, WANT, NEED }

    private final ServerSocket listener;
    private final SSLContext context;
    private final Config config;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    public final AtomicInteger connections = new AtomicInteger();
    private volatile boolean closed;

    public static final class Config {
        X509Certificate[] chain;
        PrivateKey key;
        X509Certificate[] noSniChain;
        PrivateKey noSniKey;
        NoSni noSni = NoSni.SERVE;
        ClientAuth clientAuth = ClientAuth.NONE;
        String renegotiateOn;
        String[] protocols = {"TLSv1.3", "TLSv1.2"};
        List<X509Certificate> clientCas = new ArrayList<>();

        public Config chain(PrivateKey k, X509Certificate... c) {
            key = k;
            chain = c;
            return this;
        }

        /** The default certificate, for hellos without SNI. */
        public Config noSniChain(PrivateKey k, X509Certificate... c) {
            noSniKey = k;
            noSniChain = c;
            return this;
        }

        public Config noSni(NoSni n) {
            noSni = n;
            return this;
        }

        public Config clientAuth(ClientAuth a, X509Certificate... cas) {
            clientAuth = a;
            clientCas = List.of(cas);
            return this;
        }

        /** Asks for a client certificate by renegotiating after a request for a path under this prefix (TLS 1.2 only). */
        public Config renegotiateOn(String prefix, X509Certificate... cas) {
            renegotiateOn = prefix;
            clientCas = List.of(cas);
            protocols = new String[] {"TLSv1.2"};
            return this;
        }

        public Config protocols(String... p) {
            protocols = p;
            return this;
        }

        public TestTlsServer start() throws Exception {
            return new TestTlsServer(this);
        }
    }

    public static Config with() {
        return new Config();
    }

    private TestTlsServer(Config c) throws Exception {
        this.config = c;
        context = SSLContext.getInstance("TLS");
        TrustManager[] tms = null;
        if (!c.clientCas.isEmpty()) {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            for (int i = 0; i < c.clientCas.size(); i++) {
                ts.setCertificateEntry("ca" + i, c.clientCas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ts);
            tms = tmf.getTrustManagers();
        }
        context.init(new KeyManager[] {new SniKeyManager(c)}, tms, null);
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        Thread t = new Thread(this::acceptLoop, "test-tls-server");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    public String target() {
        return "127.0.0.1:" + port();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = listener.accept();
                connections.incrementAndGet();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "test-tls-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket raw) {
        try (raw) {
            raw.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(raw.getInputStream());
            byte[] header = new byte[5];
            in.readFully(header);
            int len = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
            if (header[0] != 22 || len > 16384 + 2048) {
                return;
            }
            byte[] body = new byte[len];
            in.readFully(body);
            boolean sni = false;
            try {
                ClientHello h = ClientHello.parse(new Cursor(body, 4, body.length, 0));
                sni = h.hasSni();
            } catch (Exception e) {
                sni = false;
            }
            if (!sni && config.noSni == NoSni.RESET) {
                raw.setSoLinger(true, 0); // close with a reset, the way HTTP.sys turns away a hello it cannot place
                return;
            }
            if (!sni && config.noSni == NoSni.ALERT) {
                OutputStream o = raw.getOutputStream();
                o.write(new byte[] {21, 3, 3, 0, 2, 2, 112}); // fatal unrecognized_name (RFC 6066 section 3)
                o.flush();
                return;
            }
            byte[] consumed = new byte[5 + len];
            System.arraycopy(header, 0, consumed, 0, 5);
            System.arraycopy(body, 0, consumed, 5, len);
            SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(raw, new ByteArrayInputStream(consumed), true);
            s.setEnabledProtocols(config.protocols);
            if (config.clientAuth == ClientAuth.WANT) {
                s.setWantClientAuth(true);
            } else if (config.clientAuth == ClientAuth.NEED) {
                s.setNeedClientAuth(true);
            }
            s.startHandshake();
            http(s);
        } catch (IOException | RuntimeException e) {
            // the client went away or failed the handshake: nothing to do for a test server
        }
    }

    private void http(SSLSocket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && head.length() < 8192) {
            head.append((char) c);
            if (head.toString().endsWith("\r\n\r\n")) {
                break;
            }
        }
        String line = head.toString().split("\r\n", 2)[0];
        String path = line.split(" ").length > 1 ? line.split(" ")[1] : "/";
        if (config.renegotiateOn != null && path.toLowerCase().startsWith(config.renegotiateOn.toLowerCase())) {
            s.setWantClientAuth(true);
            s.getSession().invalidate(); // a full handshake, not a resumption: only a full one carries a CertificateRequest
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            s.addHandshakeCompletedListener(e -> done.countDown());
            try {
                s.startHandshake(); // TLS 1.2: sends a HelloRequest, the way IIS asks for a certificate on one folder
                s.setSoTimeout(100);
                for (int i = 0; i < 50 && done.getCount() > 0; i++) {
                    try {
                        s.getInputStream().read(); // drives the renegotiation; the client sends no data meanwhile
                    } catch (java.net.SocketTimeoutException e) {
                        // not yet
                    }
                }
            } catch (IOException e) {
                return;
            }
        }
        String answer = "HTTP/1.1 401 Unauthorized\r\nServer: Microsoft-IIS/7.5\r\nWWW-Authenticate: Negotiate\r\n"
                + "WWW-Authenticate: NTLM\r\nWWW-Authenticate: Basic realm=\"mail.example.test\"\r\nX-Powered-By: ASP.NET\r\n"
                + "Content-Length: 0\r\nConnection: close\r\n\r\n";
        s.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        for (Socket s : open) {
            try {
                s.close();
            } catch (SocketException e) {
                // already closed
            }
        }
    }

    /** Chooses the certificate by the SNI name: the main chain when a name was sent, else the default one. */
    private static final class SniKeyManager extends X509ExtendedKeyManager {
        private final Config c;

        SniKeyManager(Config c) {
            this.c = c;
        }

        private String alias(SSLSession hs) {
            if (c.noSniChain == null) {
                return "main";
            }
            if (hs instanceof ExtendedSSLSession e) {
                for (SNIServerName n : e.getRequestedServerNames()) {
                    if (n instanceof SNIHostName) {
                        return "main";
                    }
                }
            }
            return "default";
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            if (!keyType.startsWith("EC")) {
                return null;
            }
            return socket instanceof SSLSocket s ? alias(s.getHandshakeSession()) : "main";
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return keyType.startsWith("EC") ? alias(engine.getHandshakeSession()) : null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return "default".equals(alias) ? c.noSniChain : c.chain;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return "default".equals(alias) ? c.noSniKey : c.key;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[] {"main", "default"};
        }
    }
}
