package org.exkb.engine.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The plaintext start of a mail connection, up to where TLS begins (RFC 3207 SMTP STARTTLS, RFC 2595
 * IMAP STARTTLS and POP3 STLS), for a probe of a port where the server speaks first. Lines are read a
 * byte at a time, so no byte of the TLS that follows is taken; a line is at most MAX_LINE bytes and
 * an answer at most MAX_LINES lines, each read within the socket's timeout.
 */
final class MailStartTls {
    static final int MAX_LINE = 1024;
    static final int MAX_LINES = 100;

    private MailStartTls() {
    }

    /**
     * Reads the greeting and asks for TLS; returns when the server agreed.
     *
     * @param protocol smtp, imap or pop3 (as openssl's {@code -starttls} names them)
     * @throws IOException with a message for a person when the server refuses or the exchange breaks
     */
    static void negotiate(Socket s, String protocol, int timeoutMillis) throws IOException {
        s.setSoTimeout(timeoutMillis);
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        switch (protocol) {
            case "smtp" -> {
                expect(in, "220 ", "the SMTP greeting");
                send(out, "EHLO kb-probe.invalid");
                expect(in, "250 ", "the answer to EHLO");
                send(out, "STARTTLS");
                expect(in, "220 ", "the answer to STARTTLS");
            }
            case "imap" -> {
                expect(in, "* OK", "the IMAP greeting");
                send(out, "k1 STARTTLS");
                expect(in, "k1 OK", "the answer to STARTTLS");
            }
            case "pop3" -> {
                expect(in, "+OK", "the POP3 greeting");
                send(out, "STLS");
                expect(in, "+OK", "the answer to STLS");
            }
            default -> throw new IllegalArgumentException("no STARTTLS for " + protocol);
        }
    }

    private static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /**
     * Reads lines until one starts with {@code ok} (SMTP's "250-" and IMAP's untagged lines before it
     * are passed over); a line that is a refusal ends the exchange.
     */
    private static void expect(InputStream in, String ok, String what) throws IOException {
        for (int n = 0; n < MAX_LINES; n++) {
            String line;
            try {
                line = line(in);
            } catch (SocketTimeoutException e) {
                throw new IOException("STARTTLS: no complete " + what + " in time");
            }
            if (line == null) {
                throw new IOException("STARTTLS: the server closed the connection before " + what);
            }
            String upper = line.toUpperCase(Locale.ROOT);
            if (upper.startsWith(ok.toUpperCase(Locale.ROOT))) {
                return;
            }
            boolean continues = upper.matches("\\d\\d\\d-.*") || upper.startsWith("* ");
            if (!continues) {
                throw new IOException("STARTTLS: the server answered '" + (line.length() > 100 ? line.substring(0, 100) + "..." : line)
                        + "' to " + what.replace("the answer to ", ""));
            }
        }
        throw new IOException("STARTTLS: more than " + MAX_LINES + " lines before " + what);
    }

    /** One line without its CRLF, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                return b.length() == 0 ? null : b.toString();
            }
            if (c == '\n') {
                int end = b.length() > 0 && b.charAt(b.length() - 1) == '\r' ? b.length() - 1 : b.length();
                return b.substring(0, end);
            }
            if (b.length() >= MAX_LINE) {
                throw new IOException("STARTTLS: a line longer than " + MAX_LINE + " bytes (not a mail protocol's answer)");
            }
            b.append((char) c);
        }
    }
}
