package org.exkb.engine.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import org.exkb.engine.collect.tls.TlsConversation;

/**
 * One hand-built ClientHello sent to a server, and how the server answered it, read through the
 * same {@link TlsConversation} that follows captured connections. Bounded: one connect timeout, one
 * overall read deadline, and at most {@link #MAX_BYTES} read.
 *
 * @param offeredVersion the one version offered
 * @param serverName     the SNI name sent, or empty for none
 * @param result         how it ended
 * @param millis         from sending the hello to the end
 * @param conversation   what was read (null when the connection failed)
 * @param detail         one line for a person: what came back
 * @param mailProtocol   for {@link Result#STARTTLS_NEEDED}: smtp, imap or pop3 (openssl's -starttls names); else empty
 */
public record HelloAttempt(int offeredVersion, String serverName, Result result, long millis,
                           TlsConversation conversation, String detail, String mailProtocol) {
    /** A server that keeps sending past this without finishing its first flight is cut off. */
    public static final int MAX_BYTES = 512 * 1024;

    public enum Result {
        /** The server sent its whole first flight (to ServerHelloDone; or a TLS 1.3 ServerHello). */
        ANSWERED,
        /** The server sent a fatal alert. */
        ALERT,
        /** The server reset the connection. */
        RESET,
        /** The server closed the connection without an alert. */
        CLOSED,
        /** Nothing decisive before the deadline. */
        TIMEOUT,
        /** What came back is not TLS, or not well-formed TLS. */
        NOT_TLS,
        /** The server spoke first, a mail protocol's plaintext greeting: TLS there only after STARTTLS (or STLS). */
        STARTTLS_NEEDED,
        /** The server kept sending past the cap. */
        TOO_LARGE,
        /** TCP connect failed (refused, unreachable, timed out). */
        CONNECT_FAILED;

        /** The contract's word: {@code answered}, {@code not_tls}... */
        @com.fasterxml.jackson.annotation.JsonValue
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean sni() {
        return !serverName.isEmpty();
    }

    /** The server chose the offered version. */
    public boolean accepted() {
        // a HelloRetryRequest also selects TLS 1.3 (in supported_versions): it accepts the version, wants another share
        return result == Result.ANSWERED && conversation.serverHello() != null
                && conversation.serverHello().version() == offeredVersion;
    }

    /** Sends one ClientHello to {@code address} and reads the answer until it is decisive. */
    public static HelloAttempt run(InetSocketAddress address, int version, String serverName, int timeoutMillis) {
        return run(address, version, serverName, timeoutMillis, null);
    }

    /** The same, after a mail protocol's STARTTLS ({@code starttls}: smtp, imap, pop3; null for none). */
    public static HelloAttempt run(InetSocketAddress address, int version, String serverName, int timeoutMillis, String starttls) {
        String name = serverName == null ? "" : serverName;
        byte[] hello = ClientHelloBuilder.hello(version, name.isEmpty() ? null : name);
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            try {
                s.connect(address, timeoutMillis);
            } catch (SocketTimeoutException e) {
                return failed(version, name, start, "TCP connect timed out after " + timeoutMillis + " ms");
            } catch (ConnectException | NoRouteToHostException e) {
                return failed(version, name, start, "TCP connect failed: " + e.getMessage());
            }
            s.setTcpNoDelay(true);
            if (starttls != null) {
                try {
                    MailStartTls.negotiate(s, starttls, timeoutMillis);
                } catch (IOException e) {
                    return failed(version, name, start, e.getMessage()); // the TLS part was never reached
                }
            }
            TlsConversation t = new TlsConversation();
            start = System.nanoTime();
            t.data(true, 1, 0, hello);
            s.getOutputStream().write(hello);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[16384];
            long deadline = start + timeoutMillis * 1_000_000L;
            long total = 0;
            long read = 1;
            byte[] head = new byte[0];
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return end(version, name, Result.TIMEOUT, start, t, "no complete answer within " + timeoutMillis + " ms ("
                            + total + " bytes" + (total == 0 ? "" : ", last step " + last(t)) + ")");
                }
                s.setSoTimeout((int) Math.max(1, left));
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (SocketException e) {
                    return end(version, name, Result.RESET, start, t, "connection reset by the server"
                            + (total == 0 ? " before any answer" : " after " + last(t)));
                }
                if (n < 0) {
                    return end(version, name, Result.CLOSED, start, t, "connection closed by the server"
                            + (total == 0 ? " before any answer" : " after " + last(t)));
                }
                total += n;
                if (head.length < 48) {
                    int keep = Math.min(48 - head.length, n);
                    head = Arrays.copyOf(head, head.length + keep);
                    System.arraycopy(buf, 0, head, head.length - keep, keep);
                }
                t.data(false, ++read, System.nanoTime() - start, Arrays.copyOf(buf, n));
                Result r = decisive(t);
                String protocol = r == Result.NOT_TLS ? TlsConversation.mailGreeting(head) : null;
                if (protocol != null) {
                    return new HelloAttempt(version, name, Result.STARTTLS_NEEDED, (System.nanoTime() - start) / 1_000_000, t,
                            "the server speaks first, in plaintext: " + TlsConversation.excerpt(head) + " ("
                            + protocol.toUpperCase(java.util.Locale.ROOT) + ": TLS starts there only after "
                            + (protocol.equals("pop3") ? "STLS" : "STARTTLS") + ")", protocol);
                }
                if (r != null) {
                    return end(version, name, r, start, t, describe(r, t) + (r == Result.NOT_TLS ? "; it began: " + TlsConversation.excerpt(head) : ""));
                }
                if (total > MAX_BYTES) {
                    return end(version, name, Result.TOO_LARGE, start, t, "the server sent more than " + MAX_BYTES
                            + " bytes without finishing its hello (last step " + last(t) + ")");
                }
            }
        } catch (IOException e) {
            return failed(version, name, start, "I/O error: " + e.getMessage());
        }
    }

    private static Result decisive(TlsConversation t) {
        if (t.kind() == TlsConversation.Kind.NOT_TLS || t.malformed() != null || t.lost(false) != null) {
            return Result.NOT_TLS;
        }
        TlsConversation.Alert a = t.fatalAlert();
        if (a != null && !a.fromClient()) {
            return Result.ALERT;
        }
        if (t.serverHello() != null && (t.serverHello().tls13() || t.serverHello().helloRetryRequest())) {
            return Result.ANSWERED;
        }
        for (TlsConversation.Event e : t.events()) {
            if (!e.fromClient() && e.what().equals("ServerHelloDone")) {
                return Result.ANSWERED;
            }
        }
        return null;
    }

    private static String describe(Result r, TlsConversation t) {
        return switch (r) {
            case ALERT -> "fatal alert " + t.fatalAlert().name() + " from the server after " + last(t);
            case NOT_TLS -> t.notTls() != null ? "the server's answer is not TLS: " + t.notTls()
                    : "the server's answer is not well-formed TLS: " + (t.malformed() != null ? t.malformed() : t.lost(false));
            default -> "the server answered: " + steps(t);
        };
    }

    static String steps(TlsConversation t) {
        StringBuilder b = new StringBuilder();
        for (TlsConversation.Event e : t.events()) {
            if (!e.fromClient()) {
                b.append(b.length() == 0 ? "" : ", ").append(e.what());
            }
        }
        return b.toString();
    }

    private static String last(TlsConversation t) {
        String s = t.lastStepBefore(0);
        return s.isEmpty() ? "the ClientHello" : s;
    }

    private static HelloAttempt end(int version, String name, Result r, long start, TlsConversation t, String detail) {
        return new HelloAttempt(version, name, r, (System.nanoTime() - start) / 1_000_000, t, detail, "");
    }

    private static HelloAttempt failed(int version, String name, long start, String detail) {
        return new HelloAttempt(version, name, Result.CONNECT_FAILED, (System.nanoTime() - start) / 1_000_000, null, detail, "");
    }
}
