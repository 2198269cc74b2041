package org.exkb.engine.collect.tls;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The plaintext start of a mail connection that may switch to TLS (RFC 3207 SMTP STARTTLS, RFC 2595
 * IMAP STARTTLS and POP3 STLS): it reads the lines of both sides until the client asks for TLS and
 * the server agrees; from the byte after the server's go-ahead line on, both sides speak TLS. A mail
 * client reaching Exchange (or a load balancer in front of it) on 25/587, 143 or 110 fails or
 * succeeds in that handshake like any other, so it is followed like any other.
 */
final class StartTls {
    enum Protocol { SMTP, IMAP, POP3 }

    /** Plaintext read at most before giving up on seeing the switch (a long SMTP session without it). */
    static final int MAX_PLAIN = 64 * 1024;

    final Protocol protocol;
    private final StringBuilder clientLine = new StringBuilder();
    private final StringBuilder serverLine = new StringBuilder();
    private String tag = ""; // IMAP: the tag of the client's STARTTLS command
    private boolean requested;
    private long requestFrame;
    private boolean started;
    private String refused;
    private String greeting;
    private int plain;

    private StartTls(Protocol protocol) {
        this.protocol = protocol;
    }

    /** The protocol whose greeting {@code b[i, end)} (the first bytes from a server) is, or null. */
    static Protocol greeting(byte[] b, int i, int end) {
        String head = new String(b, i, Math.min(end - i, 8), StandardCharsets.US_ASCII);
        if (head.startsWith("220 ") || head.startsWith("220-")) {
            return Protocol.SMTP;
        }
        if (head.startsWith("* OK")) {
            return Protocol.IMAP;
        }
        return head.startsWith("+OK") ? Protocol.POP3 : null;
    }

    /** A watcher when {@code b[i, end)}, the first bytes from the server, are a mail server's greeting; else null. */
    static StartTls fromGreeting(byte[] b, int i, int end) {
        Protocol p = greeting(b, i, end);
        return p == null ? null : new StartTls(p);
    }

    /**
     * Reads plaintext bytes of one side. Answers where TLS begins in {@code b} when the server's
     * go-ahead line ends inside these bytes (the rest of them is TLS), or -1 while still plaintext.
     */
    int feed(boolean fromClient, long frame, byte[] b, int i, int end) {
        for (int k = i; k < end; k++) {
            if (++plain > MAX_PLAIN) {
                return -1;
            }
            char c = (char) (b[k] & 0xff);
            StringBuilder line = fromClient ? clientLine : serverLine;
            if (c != '\n') {
                if (line.length() < 512) {
                    line.append(c);
                }
                continue;
            }
            String text = line.toString().strip();
            line.setLength(0);
            if (!fromClient && greeting == null) {
                greeting = text;
            }
            if (fromClient) {
                clientCommand(text, frame);
            } else if (requested && serverReply(text)) {
                started = true;
                return k + 1;
            }
        }
        return -1;
    }

    private void clientCommand(String text, long frame) {
        String upper = text.toUpperCase(Locale.ROOT);
        boolean ask = switch (protocol) {
            case SMTP -> upper.equals("STARTTLS");
            case IMAP -> upper.endsWith(" STARTTLS") && upper.indexOf(' ') == upper.length() - 9;
            case POP3 -> upper.equals("STLS");
        };
        if (ask) {
            requested = true;
            requestFrame = frame;
            refused = null;
            tag = protocol == Protocol.IMAP ? text.substring(0, text.indexOf(' ')) : "";
        }
    }

    /** Whether the server's line agrees to the switch; a refusal is remembered. */
    private boolean serverReply(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        switch (protocol) {
            case SMTP -> {
                if (upper.startsWith("220 ") || upper.equals("220")) { // "220-" continues: the last line is the answer
                    return true;
                }
                if (upper.matches("[45]\\d\\d[ -].*|[45]\\d\\d")) {
                    refused = text;
                    requested = false;
                }
            }
            case IMAP -> {
                if (upper.startsWith(tag.toUpperCase(Locale.ROOT) + " OK")) {
                    return true;
                }
                if (upper.startsWith(tag.toUpperCase(Locale.ROOT) + " ")) {
                    refused = text;
                    requested = false;
                }
            }
            case POP3 -> {
                if (upper.startsWith("+OK")) {
                    return true;
                }
                if (upper.startsWith("-ERR")) {
                    refused = text;
                    requested = false;
                }
            }
        }
        return false;
    }

    boolean started() {
        return started;
    }

    long requestFrame() {
        return requestFrame;
    }

    /** Why a connection that stayed plaintext did: the server's refusal, or no request. */
    String why() {
        String command = protocol == Protocol.POP3 ? "STLS" : "STARTTLS";
        return refused != null ? "plaintext " + protocol + ": the server refused " + command + " ('" + clip(refused) + "')"
                : requested ? "plaintext " + protocol + ": the client asked for " + command + " in frame " + requestFrame
                        + " and the server never agreed"
                : "plaintext " + protocol + " without " + command + (greeting == null ? "" : " (server greeting '" + clip(greeting) + "')");
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
