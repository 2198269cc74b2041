package org.exkb.engine.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Full handshakes and HTTP requests through the JDK's own TLS client (JSSE), with the JDK's
 * default protocol settings (nothing JVM-wide is changed). The chain is recorded, never validated
 * during the handshake; the client has no certificate, and every request for one is recorded with
 * the CA names the server accepts, and whether it came in the first handshake or later (a
 * renegotiation after the request, the way IIS asks for a client certificate on one path).
 */
final class LiveTls {
    /** Longest response head read; the body is never read. */
    static final int MAX_HEAD = 32 * 1024;

    private LiveTls() {
    }

    /** What one full handshake (and, optionally, one request on it) showed. */
    record Session(boolean established, String protocol, String cipher, List<X509Certificate> chain,
                   String certificateRequest, List<String> acceptedIssuers, String error) {
    }

    /** An HTTP request made without credentials, and the head of the answer. */
    record Http(String method, String path, int status, String statusLine, List<String> authSchemes,
                Map<String, String> headers, String certificateRequest, List<String> acceptedIssuers, String error) {
    }

    /** The response headers worth reporting: who answered and what it offers. */
    private static final List<String> REPORTED = List.of("server", "x-powered-by", "x-aspnet-version", "x-feserver",
            "x-beserver", "x-calculatedbetarget", "ms-server-activesync", "ms-asprotocolversions", "ms-ascommands",
            "x-owa-version", "location", "content-type", "connection");

    static Session handshake(InetSocketAddress address, String sni, int timeoutMillis) {
        return handshake(address, sni, timeoutMillis, null);
    }

    /** The same, after a mail protocol's STARTTLS ({@code starttls}: smtp, imap, pop3; null for none). */
    static Session handshake(InetSocketAddress address, String sni, int timeoutMillis, String starttls) {
        Recorder rec = new Recorder();
        try (SSLSocket s = open(address, sni, timeoutMillis, rec, starttls)) {
            s.startHandshake();
            rec.handshakeDone = true;
            return new Session(true, s.getSession().getProtocol(), s.getSession().getCipherSuite(), rec.chain,
                    rec.request, rec.issuers, "");
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return new Session(false, "", "", rec.chain, rec.request, rec.issuers, message(e));
        }
    }

    static Http request(InetSocketAddress address, String sni, String host, String method, String path, int timeoutMillis) {
        Recorder rec = new Recorder();
        try (SSLSocket s = open(address, sni, timeoutMillis, rec, null)) {
            s.startHandshake();
            rec.handshakeDone = true;
            OutputStream out = s.getOutputStream();
            String req = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: kb-probe\r\nAccept: */*\r\n"
                    + (method.equals("GET") ? "" : "Content-Length: 0\r\n") + "Connection: close\r\n\r\n";
            out.write(req.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(s.getInputStream(), System.nanoTime() + timeoutMillis * 1_000_000L, s);
            return parse(method, path, head, rec);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return new Http(method, path, 0, "", List.of(), Map.of(), rec.request, rec.issuers, message(e));
        }
    }

    private static SSLSocket open(InetSocketAddress address, String sni, int timeoutMillis, Recorder rec, String starttls)
            throws IOException, GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(new KeyManager[] {rec.keyManager()}, new TrustManager[] {rec.trustManager()}, null);
        Socket plain = new Socket();
        try {
            plain.connect(address, timeoutMillis);
            plain.setSoTimeout(timeoutMillis);
            if (starttls != null) {
                MailStartTls.negotiate(plain, starttls, timeoutMillis);
            }
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain,
                    sni == null || sni.isEmpty() ? address.getHostString() : sni, address.getPort(), true);
            SSLParameters p = s.getSSLParameters();
            // without this JSSE sends SNI only for dotted host names; with an empty list it sends none
            p.setServerNames(sni == null || sni.isEmpty() ? List.of() : List.of(new SNIHostName(sni)));
            s.setSSLParameters(p);
            return s;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private static String readHead(InputStream in, long deadline, Socket s) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (head.size() < MAX_HEAD) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("no complete response head in time (" + head.size() + " bytes)");
            }
            s.setSoTimeout((int) Math.max(1, left));
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            head.write(buf, 0, n);
            String sofar = head.toString(StandardCharsets.ISO_8859_1);
            int end = sofar.indexOf("\r\n\r\n");
            if (end >= 0) {
                return sofar.substring(0, end);
            }
        }
        String sofar = head.toString(StandardCharsets.ISO_8859_1);
        if (head.size() >= MAX_HEAD) {
            throw new IOException("response head longer than " + MAX_HEAD + " bytes");
        }
        if (sofar.isEmpty()) {
            throw new IOException("the server closed the connection without answering");
        }
        return sofar;
    }

    private static Http parse(String method, String path, String head, Recorder rec) {
        String[] lines = head.split("\r\n");
        String statusLine = lines[0].strip();
        int status = 0;
        String[] parts = statusLine.split(" ", 3);
        if (parts.length >= 2 && parts[0].startsWith("HTTP/")) {
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                status = 0;
            }
        }
        if (status == 0) {
            return new Http(method, path, 0, clip(statusLine), List.of(), Map.of(), rec.request, rec.issuers,
                    "the answer is not HTTP: " + clip(statusLine));
        }
        List<String> schemes = new ArrayList<>();
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length && i < 200; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).strip();
            if (name.equals("www-authenticate")) {
                String scheme = value.split("[ ,]", 2)[0];
                if (!scheme.isEmpty() && !schemes.contains(scheme) && schemes.size() < 10) {
                    schemes.add(scheme);
                }
            } else if (REPORTED.contains(name)) {
                headers.merge(name, clip(value), (a, b) -> a + ", " + b);
            }
        }
        return new Http(method, path, status, clip(statusLine), schemes, headers, rec.request, rec.issuers, "");
    }

    private static String clip(String s) {
        return s.length() <= 200 ? s : s.substring(0, 199) + "…";
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        Throwable c = e.getCause();
        if ((m == null || m.isBlank()) && c != null) {
            return message(c);
        }
        return (e instanceof SocketTimeoutException ? "timed out: " : "") + (m == null ? e.getClass().getSimpleName() : m);
    }

    /**
     * Records what the server presented and whether it asked for a client certificate; accepts every
     * chain (validation is done afterwards, strictly) and never offers a certificate.
     */
    static final class Recorder {
        volatile boolean handshakeDone;
        volatile List<X509Certificate> chain = List.of();
        volatile String request = "";
        volatile List<String> issuers = List.of();

        private synchronized String asked(Principal[] accepted) {
            if (request.isEmpty()) {
                request = handshakeDone ? "renegotiation" : "handshake";
                List<String> names = new ArrayList<>();
                if (accepted != null) {
                    for (Principal p : accepted) {
                        if (names.size() < 50) {
                            names.add(p.getName());
                        }
                    }
                }
                issuers = List.copyOf(names);
            }
            return null;
        }

        private synchronized void presented(X509Certificate[] certs) {
            if (chain.isEmpty() && certs != null) {
                chain = List.of(certs).subList(0, Math.min(certs.length, Probe.MAX_CHAIN));
            }
        }

        KeyManager keyManager() {
            return new X509ExtendedKeyManager() {
                @Override
                public String chooseClientAlias(String[] keyType, Principal[] accepted, Socket socket) {
                    return asked(accepted);
                }

                @Override
                public String chooseEngineClientAlias(String[] keyType, Principal[] accepted, SSLEngine engine) {
                    return asked(accepted);
                }

                @Override
                public String[] getClientAliases(String keyType, Principal[] accepted) {
                    return null;
                }

                @Override
                public String[] getServerAliases(String keyType, Principal[] accepted) {
                    return null;
                }

                @Override
                public String chooseServerAlias(String keyType, Principal[] accepted, Socket socket) {
                    return null;
                }

                @Override
                public X509Certificate[] getCertificateChain(String alias) {
                    return null;
                }

                @Override
                public PrivateKey getPrivateKey(String alias) {
                    return null;
                }
            };
        }

        /** Never throws: a plain X509TrustManager would be wrapped with checks that reject weak chains first. */
        TrustManager trustManager() {
            return new X509ExtendedTrustManager() {
                @Override
                public void checkServerTrusted(X509Certificate[] c, String authType, Socket socket) {
                    presented(c);
                }

                @Override
                public void checkServerTrusted(X509Certificate[] c, String authType, SSLEngine engine) {
                    presented(c);
                }

                @Override
                public void checkServerTrusted(X509Certificate[] c, String authType) {
                    presented(c);
                }

                @Override
                public void checkClientTrusted(X509Certificate[] c, String authType, Socket socket) {
                }

                @Override
                public void checkClientTrusted(X509Certificate[] c, String authType, SSLEngine engine) {
                }

                @Override
                public void checkClientTrusted(X509Certificate[] c, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            };
        }
    }
}
