import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The peers that record-captures.sh needs besides openssl, nginx and curl. Run as a single-file
 * program ({@code java Peers.java MODE ...}); JDK only; binds and connects to 127.0.0.1 only.
 *
 * <ul>
 *   <li>{@code reset-no-sni PORT BACKEND}: the HTTP.sys / SNI-only listener behaviour - a ClientHello
 *       without server_name (or in SSL 2.0 format) is answered with a TCP reset; one with SNI is relayed
 *       to the backend (an openssl s_server).</li>
 *   <li>{@code get PORT SNI}: a Java (JSSE) client that sends one HTTPS GET with the given SNI.</li>
 *   <li>{@code post PORT BYTES}: a JSSE client that sends a large POST (at about 160 KB/s) and never reads while sending,
 *       like a phone uploading a large mail; it stops when the server drops the connection.</li>
 *   <li>{@code plain PORT}: a plain TCP server that answers one line, for a non-TLS near miss.</li>
 *   <li>{@code plain-client PORT}: sends one line in clear and prints the answer.</li>
 * </ul>
 */
public class Peers {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "reset-no-sni" -> resetNoSni(Integer.parseInt(a[1]), Integer.parseInt(a[2]));
            case "get" -> get(Integer.parseInt(a[1]), a[2]);
            case "post" -> post(Integer.parseInt(a[1]), Long.parseLong(a[2]));
            case "plain" -> plain(Integer.parseInt(a[1]));
            case "plain-client" -> plainClient(Integer.parseInt(a[1]));
            default -> throw new IllegalArgumentException("unknown mode " + a[0]);
        }
    }

    static void resetNoSni(int port, int backend) throws IOException {
        try (ServerSocket ss = new ServerSocket(port, 50, LOOPBACK)) {
            while (true) {
                Socket s = ss.accept();
                new Thread(() -> handle(s, backend)).start();
            }
        }
    }

    static void handle(Socket s, int backend) {
        try {
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(5);
            boolean sslv2 = head.length >= 3 && (head[0] & 0x80) != 0 && head[2] == 1;
            byte[] body = new byte[0];
            if (!sslv2 && head.length == 5) {
                int len = ((head[3] & 0xff) << 8) | (head[4] & 0xff);
                body = in.readNBytes(len);
            }
            if (sslv2 || !hasSni(body)) {
                s.setSoLinger(true, 0); // close with RST, as HTTP.sys does for a hello it cannot place
                s.close();
                return;
            }
            Socket b = new Socket(LOOPBACK, backend);
            b.getOutputStream().write(head);
            b.getOutputStream().write(body);
            Thread up = new Thread(() -> pipe(in, b));
            up.start();
            pipe(b.getInputStream(), s);
        } catch (IOException e) {
            System.err.println("reset-no-sni: " + e);
        }
    }

    static void pipe(InputStream from, Socket to) {
        try {
            from.transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            try {
                to.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    /** Walks a ClientHello handshake message (RFC 8446 4.1.2) to its extensions and looks for type 0. */
    static boolean hasSni(byte[] m) {
        try {
            int p = 4 + 2 + 32;
            p += 1 + (m[p] & 0xff);
            p += 2 + (((m[p] & 0xff) << 8) | (m[p + 1] & 0xff));
            p += 1 + (m[p] & 0xff);
            if (p + 2 > m.length) {
                return false;
            }
            int end = p + 2 + (((m[p] & 0xff) << 8) | (m[p + 1] & 0xff));
            p += 2;
            while (p + 4 <= end) {
                int type = ((m[p] & 0xff) << 8) | (m[p + 1] & 0xff);
                int len = ((m[p + 2] & 0xff) << 8) | (m[p + 3] & 0xff);
                if (type == 0) {
                    return true;
                }
                p += 4 + len;
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            return false;
        }
        return false;
    }

    static SSLSocket client(int port, String sni, String protocol) throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) {
            }

            public void checkServerTrusted(X509Certificate[] c, String a) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {trustAll}, new SecureRandom());
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(LOOPBACK, port);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(sni.isEmpty() ? List.of() : List.of(new SNIHostName(sni)));
        if (protocol != null) {
            p.setProtocols(new String[] {protocol});
        }
        s.setSSLParameters(p);
        return s;
    }

    static void get(int port, String sni) throws Exception {
        try (SSLSocket s = client(port, sni, null)) {
            s.getOutputStream().write(("GET /owa/ HTTP/1.1\r\nHost: " + sni + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] answer = s.getInputStream().readNBytes(200);
            System.out.println("get: " + new String(answer, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("(nothing)"));
        }
    }

    static void post(int port, long bytes) throws Exception {
        long sent = 0;
        try (SSLSocket s = client(port, "mail.example.test", "TLSv1.2")) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /Microsoft-Server-ActiveSync?Cmd=SendMail&User=alice&DeviceId=ABC123&DeviceType=iPhone HTTP/1.1\r\n"
                    + "Host: mail.example.test\r\nContent-Type: application/vnd.ms-sync.wbxml\r\nContent-Length: " + bytes
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[4096];
            new SecureRandom().nextBytes(chunk);
            while (sent < bytes) {
                int n = (int) Math.min(chunk.length, bytes - sent);
                out.write(chunk, 0, n);
                sent += n;
                Thread.sleep(25); // about 160 KB/s, a phone on a mobile network; keeps the sample small
            }
            out.flush();
            System.out.println("post: sent all " + sent + " bytes");
            System.out.println("post: answer " + new String(s.getInputStream().readNBytes(100), StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            System.out.println("post: stopped after " + sent + " bytes: " + e);
        }
    }

    static void plain(int port) throws IOException {
        try (ServerSocket ss = new ServerSocket(port, 50, LOOPBACK)) {
            while (true) {
                try (Socket s = ss.accept()) {
                    s.getInputStream().read(new byte[512]);
                    s.getOutputStream().write("ncacn_ip_tcp endpoint map answer\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
        }
    }

    static void plainClient(int port) throws IOException {
        try (Socket s = new Socket(LOOPBACK, port)) {
            s.getOutputStream().write("RPC bind: exchangeMDB\r\n".getBytes(StandardCharsets.US_ASCII));
            System.out.println("plain: " + new String(s.getInputStream().readNBytes(40), StandardCharsets.US_ASCII).strip());
        }
    }
}
