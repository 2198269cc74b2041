package org.exkb.engine.collect.tls;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.exkb.engine.model.Renegotiation;
import org.exkb.engine.wire.Cursor;
import org.exkb.engine.wire.TlsCodes;
import org.exkb.engine.wire.WireException;

/**
 * Follows the TLS records of one TCP connection, both directions, from reassembled bytes (RFC 5246
 * section 6.2, RFC 8446 section 5). TLS is recognised by content, on any port. Records are parsed
 * with every length checked first; handshake messages may span records and records may span
 * segments. What is encrypted is counted, never buffered, so a bulk transfer costs no memory.
 *
 * <p>What it keeps: the hellos, the server's certificate list, a certificate request, clear alerts,
 * ChangeCipherSpec, application data volumes, and encrypted handshake records after application data
 * has flowed (a renegotiation in TLS 1.2 and below). When bytes were not captured where a record
 * header or a needed message lies, that direction stops being followed and the part is marked
 * unknown, never absent.
 */
public final class TlsConversation {
    /** RFC 5246 section 6.2.3: TLSCiphertext.length must not exceed 2^14 + 2048. */
    public static final int MAX_RECORD = 16384 + 2048;
    /** Larger than any certificate chain seen in practice; a longer message is not buffered. */
    public static final int MAX_HANDSHAKE_MESSAGE = 256 * 1024;
    /** Handshake events kept per connection (a renegotiating connection could add them forever). */
    public static final int MAX_EVENTS = 40;

    public enum Kind { UNKNOWN, TLS, NOT_TLS }

    /** Something seen on the wire, in order: a handshake message, an alert, CCS, first data. */
    public record Event(String what, boolean fromClient, long frame, long nanos) {
    }

    /** A clear-text alert. */
    public record Alert(boolean fromClient, boolean fatal, int description, long frame, long nanos) {
        public String name() {
            return TlsCodes.alert(description);
        }
    }

    private final class Side {
        final boolean client;
        final byte[] header = new byte[5];
        int headerLength;
        int type;
        int bodyRemaining;
        long recordFrame;
        long recordNanos;
        boolean keepBody;
        byte[] body = new byte[0];
        int bodyLength;
        byte[] handshake = new byte[0];
        int handshakeLength;
        boolean encrypted;
        boolean finishedSeen; // the first encrypted handshake record after CCS is Finished
        String lost; // why this direction is no longer followed
        long records;

        Side(boolean client) {
            this.client = client;
        }
    }

    private final Side client = new Side(true);
    private final Side server = new Side(false);
    private Kind kind = Kind.UNKNOWN;
    private StartTls startTls;
    private String notTls;
    private long notTlsFrame;
    private boolean joinedMidStream;
    private byte[] probe = new byte[0];
    private boolean probeFromClient;

    private ClientHello clientHello;
    private long clientHelloFrame;
    private long clientHelloNanos;
    private ServerHello serverHello;
    private boolean resumed;
    private boolean serverHelloSeen; // a ServerHello message arrived, readable or not
    private boolean serverHelloDone;
    private long serverHelloFrame;
    private List<byte[]> certificates;
    private int certificatesSent;
    private long certificateFrame;
    private long certificateNanos;
    private String certificatesUnknown;
    private CertificateRequest certificateRequest;
    private long certificateRequestFrame;
    private int clientCertificates = -1;
    private final List<Alert> alerts = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private long clientApplicationBytes;
    private long serverApplicationBytes;
    private long firstApplicationFrame;
    /** Renegotiations kept per connection (a connection could renegotiate forever); the rest are counted. */
    public static final int MAX_RENEGOTIATIONS = 64;
    private final List<Reneg> renegotiations = new ArrayList<>(); // finished ones, in order
    private long renegotiationsLeftOut;
    private Reneg reneg; // the renegotiation in progress

    /** A renegotiation being followed: started, perhaps taken up, until both sides have finished. */
    private static final class Reneg {
        long frame;
        long nanos;
        boolean byClient;
        long takenUpFrame;
        long peerBytesBefore;
        boolean clientCcs;
        boolean serverCcs;
        boolean clientFinished;
        boolean serverFinished;
        boolean peerAlert;
        boolean dataAfter;

        Renegotiation view() {
            return new Renegotiation(frame, nanos, byClient, takenUpFrame, peerBytesBefore, clientFinished && serverFinished, peerAlert,
                    dataAfter);
        }
    }
    private long lastClientRecordNanos;
    private long lastServerRecordNanos;
    private String malformed;
    private long malformedFrame;

    /** Bytes of one direction, in order. */
    public void data(boolean fromClient, long frame, long nanos, byte[] bytes) {
        data(fromClient, frame, nanos, bytes, 0, bytes.length);
    }

    /** {@code length} bytes of one direction from {@code bytes[offset]}, in order; the array is only read, never kept. */
    public void data(boolean fromClient, long frame, long nanos, byte[] bytes, int offset, int length) {
        Side s = fromClient ? client : server;
        int end = offset + length;
        if (startTls != null && !startTls.started() && length > 0) { // a mail protocol's plaintext start
            int at = startTls.feed(fromClient, frame, bytes, offset, end);
            if (at < 0) {
                return;
            }
            kind = Kind.UNKNOWN; // both sides speak TLS from here on
            offset = at;
            if (offset >= end) {
                return;
            }
        }
        if (kind == Kind.UNKNOWN && length > 0) {
            if (probe.length > 0 && probeFromClient == fromClient) {
                byte[] joined = Arrays.copyOf(probe, probe.length + length);
                System.arraycopy(bytes, offset, joined, probe.length, length);
                bytes = joined;
                offset = 0;
                end = joined.length;
            }
            probe = new byte[0];
            if (end - offset < 3 && (bytes[offset] & 0x80) != 0) {
                probe = Arrays.copyOfRange(bytes, offset, end); // an SSL 2.0 hello is recognised by its third byte: wait for it
                probeFromClient = fromClient;
                return;
            }
            if (!recognise(s, frame, bytes, offset, end)) {
                return;
            }
        }
        int i = offset;
        while (i < end && s.lost == null && kind != Kind.NOT_TLS) {
            i = step(s, frame, nanos, bytes, i, end);
        }
    }

    /** Bytes that were never captured (a hole, or the snap length). */
    public void gap(boolean fromClient, long frame, long missing) {
        Side s = fromClient ? client : server;
        if (s.lost != null || kind == Kind.NOT_TLS) {
            return;
        }
        if (s.headerLength == 5 && !s.keepBody && missing <= s.bodyRemaining) {
            s.bodyRemaining -= (int) missing; // inside a record we only count: still in step
            if (s.bodyRemaining == 0) {
                s.headerLength = 0;
            }
            return;
        }
        String what = s.headerLength == 5 && s.type == TlsCodes.HANDSHAKE ? "a handshake message" : "a record header";
        s.lost = missing + " bytes not captured at frame " + frame + " (inside " + what + ")";
        if (!s.client && certificates == null && serverHello != null && !serverHello.tls13()) {
            certificatesUnknown = "not captured: " + s.lost;
        }
    }

    /** Decides from the first bytes whether this is TLS. Returns false when it is not (or not yet known). */
    private boolean recognise(Side s, long frame, byte[] b, int i, int end) {
        int first = b[i] & 0xff;
        if (first >= TlsCodes.CHANGE_CIPHER_SPEC && first <= TlsCodes.HEARTBEAT) {
            if (i + 1 < end && (b[i + 1] & 0xff) != 3) {
                return notTls(s, frame, b, i, end);
            }
            kind = Kind.TLS;
            joinedMidStream = !(s.client && first == TlsCodes.HANDSHAKE);
            return true;
        }
        if (s.client && (first & 0x80) != 0 && i + 2 < end && (b[i + 2] & 0xff) == 1) {
            kind = Kind.TLS; // SSL 2.0-format CLIENT-HELLO (RFC 5246 appendix E.2)
            return true;
        }
        return notTls(s, frame, b, i, end);
    }

    private boolean notTls(Side s, long frame, byte[] b, int i, int end) {
        kind = Kind.NOT_TLS;
        notTlsFrame = frame;
        if (!s.client && startTls == null && clientHello == null) {
            startTls = StartTls.fromGreeting(b, i, end);
            if (startTls != null) { // not TLS unless the client asks for it and the server agrees
                startTls.feed(false, frame, b, i, end);
                return false;
            }
        }
        byte[] head = Arrays.copyOfRange(b, i, Math.min(end, i + 16));
        notTls = (s.client ? "the client" : "the server") + " began with " + excerpt(head);
        return false;
    }

    /** Consumes bytes from offset i (up to end); returns the new offset. */
    private int step(Side s, long frame, long nanos, byte[] b, int i, int end) {
        if (s.headerLength < 5) {
            if (s.headerLength == 0) {
                s.recordFrame = frame;
                s.recordNanos = nanos;
            }
            // an SSL 2.0-format hello has a 2-byte header with the top bit set
            if (s.headerLength == 0) {
                s.type = s.client && s.records == 0 && clientHello == null && (b[i] & 0x80) != 0 ? -2 : 0;
            }
            while (i < end && s.headerLength < 5) {
                s.header[s.headerLength++] = b[i++];
                if (s.type == -2 && s.headerLength == 2) {
                    startSslv2(s);
                    return i;
                }
            }
            if (s.headerLength < 5) {
                return i;
            }
            startRecord(s);
            if (s.lost != null) {
                return end;
            }
        }
        int n = Math.min(s.bodyRemaining, end - i);
        if (s.keepBody) {
            System.arraycopy(b, i, s.body, s.bodyLength, n);
            s.bodyLength += n;
        }
        s.bodyRemaining -= n;
        i += n;
        if (s.bodyRemaining == 0) {
            // Wireshark shows a record (and the messages it completes) in the frame of its last byte
            s.recordFrame = frame;
            s.recordNanos = nanos;
            endRecord(s);
            s.headerLength = 0;
        }
        return i;
    }

    private void startSslv2(Side s) {
        int length = ((s.header[0] & 0x7f) << 8) | (s.header[1] & 0xff);
        s.headerLength = 5;
        s.type = -2;
        s.bodyRemaining = length;
        s.keepBody = true;
        s.body = new byte[length];
        s.bodyLength = 0;
        if (length == 0) {
            lose(s, "SSL 2.0 record of length 0");
        }
    }

    private void startRecord(Side s) {
        s.type = s.header[0] & 0xff;
        int major = s.header[1] & 0xff;
        int length = ((s.header[3] & 0xff) << 8) | (s.header[4] & 0xff);
        if (s.type < TlsCodes.CHANGE_CIPHER_SPEC || s.type > TlsCodes.HEARTBEAT || major != 3) {
            lose(s, String.format("not a TLS record header: %02x %02x %02x %02x %02x",
                    s.header[0], s.header[1], s.header[2], s.header[3], s.header[4]));
            return;
        }
        if (length == 0 || length > MAX_RECORD) {
            lose(s, "TLSPlaintext.length " + length + " outside 1.." + MAX_RECORD);
            return;
        }
        s.records++;
        s.bodyRemaining = length;
        s.keepBody = !s.encrypted && s.type != TlsCodes.APPLICATION_DATA;
        if (s.keepBody) {
            if (s.body.length < length) {
                s.body = new byte[Math.max(length, 512)];
            }
            s.bodyLength = 0;
        }
    }

    private void lose(Side s, String why) {
        s.lost = why + " (" + (s.client ? "client" : "server") + " record starting in frame " + s.recordFrame + ")";
        if (malformed == null) {
            malformed = s.lost;
            malformedFrame = s.recordFrame;
        }
    }

    private void endRecord(Side s) {
        long frame = s.recordFrame;
        long nanos = s.recordNanos;
        if (s.client) {
            lastClientRecordNanos = nanos;
        } else {
            lastServerRecordNanos = nanos;
        }
        switch (s.type) {
            case -2 -> sslv2Hello(s, frame, nanos);
            case TlsCodes.CHANGE_CIPHER_SPEC -> {
                boolean tls13 = serverHello != null && serverHello.tls13();
                if (!tls13) {
                    s.encrypted = true; // TLS 1.3 sends CCS only for middlebox compatibility
                    if (reneg != null) {
                        if (s.client) {
                            reneg.clientCcs = true;
                        } else {
                            reneg.serverCcs = true;
                        }
                    }
                    if (!s.client && serverHello != null && certificates == null && certificatesUnknown == null && !serverHelloDone) {
                        resumed = true; // ServerHello then ChangeCipherSpec: an abbreviated handshake sends no certificates
                    }
                }
                event("ChangeCipherSpec", s, frame, nanos);
            }
            case TlsCodes.ALERT -> {
                if (reneg != null && reneg.takenUpFrame == 0 && s.client != reneg.byClient) {
                    reneg.peerAlert = true;
                }
                if (s.encrypted) {
                    event("encrypted alert", s, frame, nanos);
                } else {
                    for (int k = 0; k + 1 < s.bodyLength; k += 2) {
                        Alert a = new Alert(s.client, (s.body[k] & 0xff) == 2, s.body[k + 1] & 0xff, frame, nanos);
                        if (alerts.size() < MAX_EVENTS) {
                            alerts.add(a);
                        }
                        event((a.fatal() ? "fatal alert " : "alert ") + a.name(), s, frame, nanos);
                    }
                }
            }
            case TlsCodes.HANDSHAKE -> {
                if (s.encrypted) {
                    encryptedHandshake(s, frame, nanos);
                } else {
                    appendHandshake(s, frame, nanos);
                }
            }
            case TlsCodes.APPLICATION_DATA -> applicationData(s, frame, nanos);
            default -> event("record type " + s.type, s, frame, nanos);
        }
    }

    private void applicationData(Side s, long frame, long nanos) {
        int length = ((s.header[3] & 0xff) << 8) | (s.header[4] & 0xff);
        boolean tls13 = serverHello != null && serverHello.tls13();
        if (s.client) {
            if (clientApplicationBytes == 0 && serverApplicationBytes == 0 && !tls13) {
                firstApplicationFrame = frame;
            }
            clientApplicationBytes += length;
        } else {
            serverApplicationBytes += length;
        }
        if (reneg != null) {
            if (reneg.takenUpFrame == 0 && s.client != reneg.byClient) {
                reneg.peerBytesBefore += length;
            }
        } else if (!renegotiations.isEmpty()) {
            Reneg last = renegotiations.get(renegotiations.size() - 1);
            last.dataAfter |= last.takenUpFrame != 0;
        }
        if (!tls13 && (s.client ? clientApplicationBytes : serverApplicationBytes) == length) {
            event("application data", s, frame, nanos);
        }
        if (tls13 && firstApplicationFrame == 0 && s.client) {
            event("encrypted records", s, frame, nanos); // the client's Finished, then its data
            firstApplicationFrame = frame;
        }
    }

    private void encryptedHandshake(Side s, long frame, long nanos) {
        if (!s.finishedSeen) {
            s.finishedSeen = true;
            event("Finished (encrypted)", s, frame, nanos);
            return;
        }
        boolean dataFlowed = clientApplicationBytes > 0 || serverApplicationBytes > 0;
        if (!dataFlowed) {
            event("encrypted handshake", s, frame, nanos);
            return;
        }
        if (reneg != null && (s.client ? reneg.clientCcs && !reneg.clientFinished : reneg.serverCcs && !reneg.serverFinished)) {
            // the Finished after this side's ChangeCipherSpec ends its part of the new handshake
            if (s.client) {
                reneg.clientFinished = true;
            } else {
                reneg.serverFinished = true;
            }
            if (reneg.clientFinished && reneg.serverFinished) {
                event("renegotiation finished (encrypted)", s, frame, nanos);
                keep(reneg);
                reneg = null;
            }
            return;
        }
        if (reneg == null) {
            reneg = new Reneg();
            reneg.frame = frame;
            reneg.nanos = nanos;
            reneg.byClient = s.client;
            event(s.client ? "renegotiation ClientHello (encrypted)" : "renegotiation request (encrypted HelloRequest)", s, frame, nanos);
        } else if (s.client != reneg.byClient && reneg.takenUpFrame == 0) {
            reneg.takenUpFrame = frame;
            event((s.client ? "client" : "server") + " takes up the renegotiation (encrypted)", s, frame, nanos);
        } else if (s.client == reneg.byClient && reneg.takenUpFrame == 0 && !s.client) {
            // a second HelloRequest the client has not answered yet: still the same request
            event("renegotiation request again (encrypted HelloRequest)", s, frame, nanos);
        }
    }

    private void keep(Reneg r) {
        if (renegotiations.size() < MAX_RENEGOTIATIONS) {
            renegotiations.add(r);
        } else {
            renegotiationsLeftOut++;
        }
    }

    private void sslv2Hello(Side s, long frame, long nanos) {
        byte[] record = new byte[2 + s.bodyLength];
        record[0] = s.header[0];
        record[1] = s.header[1];
        System.arraycopy(s.body, 0, record, 2, s.bodyLength);
        try {
            clientHello = ClientHello.parseSslv2(Cursor.of(record));
            clientHelloFrame = frame;
            clientHelloNanos = nanos;
            event("ClientHello (SSL 2.0 format)", s, frame, nanos);
        } catch (WireException e) {
            lose(s, e.getMessage());
        }
    }

    private void appendHandshake(Side s, long frame, long nanos) {
        int need = s.handshakeLength + s.bodyLength;
        if (need > s.handshake.length) {
            s.handshake = Arrays.copyOf(s.handshake, Math.max(need, Math.min(2 * s.handshake.length, MAX_HANDSHAKE_MESSAGE + 4)));
        }
        System.arraycopy(s.body, 0, s.handshake, s.handshakeLength, s.bodyLength);
        s.handshakeLength += s.bodyLength;
        int at = 0;
        while (s.handshakeLength - at >= 4 && s.lost == null) {
            int type = s.handshake[at] & 0xff;
            int length = ((s.handshake[at + 1] & 0xff) << 16) | ((s.handshake[at + 2] & 0xff) << 8) | (s.handshake[at + 3] & 0xff);
            if (length > MAX_HANDSHAKE_MESSAGE) {
                lose(s, TlsCodes.handshake(type) + " length " + length + " > " + MAX_HANDSHAKE_MESSAGE);
                break;
            }
            if (s.handshakeLength - at < 4 + length) {
                break;
            }
            handshakeMessage(s, type, new Cursor(s.handshake, at + 4, at + 4 + length, 0), frame, nanos);
            at += 4 + length;
        }
        if (at > 0) {
            System.arraycopy(s.handshake, at, s.handshake, 0, s.handshakeLength - at);
            s.handshakeLength -= at;
        }
    }

    private void handshakeMessage(Side s, int type, Cursor body, long frame, long nanos) {
        event(TlsCodes.handshake(type), s, frame, nanos);
        try {
            if (type == TlsCodes.CLIENT_HELLO && s.client) {
                if (clientHello == null) {
                    clientHello = ClientHello.parse(body);
                    clientHelloFrame = frame;
                    clientHelloNanos = nanos;
                }
            } else if (type == 14 && !s.client && serverHello != null) { // ServerHelloDone: a full TLS 1.2 handshake
                serverHelloDone = true;
            } else if (type == TlsCodes.SERVER_HELLO && !s.client) {
                serverHelloSeen = true;
                ServerHello sh = ServerHello.parse(body);
                if (serverHello == null || serverHello.helloRetryRequest()) {
                    serverHello = sh;
                    serverHelloFrame = frame;
                }
                if (sh.tls13()) {
                    server.encrypted = true; // RFC 8446 section 2: everything after ServerHello is encrypted
                    client.encrypted = true;
                    certificatesUnknown = "encrypted (TLS 1.3)";
                }
            } else if (type == TlsCodes.CERTIFICATE && !s.client) {
                if (certificates == null) {
                    int[] sent = new int[1];
                    certificates = CertificateMessage.parse(body, false, sent);
                    certificatesSent = sent[0];
                    certificateFrame = frame;
                    certificateNanos = nanos;
                    certificatesUnknown = null;
                }
            } else if (type == TlsCodes.CERTIFICATE && s.client) {
                clientCertificates = CertificateMessage.parse(body, false).size();
            } else if (type == TlsCodes.CERTIFICATE_REQUEST && !s.client && certificateRequest == null) {
                certificateRequest = CertificateRequest.parse(body, serverHello == null ? 0x0303 : serverHello.version());
                certificateRequestFrame = frame;
            }
        } catch (WireException e) {
            String what = e.getMessage();
            if (malformed == null) {
                malformed = TlsCodes.handshake(type) + " in frame " + frame + ": " + what;
                malformedFrame = frame;
            }
            if (type == TlsCodes.CERTIFICATE && !s.client && certificates == null) {
                certificatesUnknown = "the Certificate message is malformed: " + what;
            }
        }
    }

    private void event(String what, Side s, long frame, long nanos) {
        if (events.size() < MAX_EVENTS) {
            events.add(new Event(what, s.client, frame, nanos));
        }
    }

    /** The bytes as text when they are printable (an HTTP answer, a banner), else in hex. */
    public static String excerpt(byte[] b) {
        boolean printable = b.length > 0;
        for (byte x : b) {
            printable &= (x >= 0x20 && x < 0x7f) || x == '\r' || x == '\n';
        }
        if (printable) {
            return "'" + new String(b, StandardCharsets.US_ASCII).replace("\r", "\\r").replace("\n", "\\n") + "'";
        }
        StringBuilder h = new StringBuilder();
        for (byte x : b) {
            h.append(String.format("%02x ", x));
        }
        return "bytes " + h.toString().strip();
    }

    // --- what was seen ---

    /** The server sent a ServerHello message, whether or not it could be read ({@link #serverHello()} is null when not). */
    public boolean serverHelloSeen() {
        return serverHelloSeen;
    }

    /**
     * A full TLS 1.2-or-older handshake in which the server sent no certificate: ServerHello, then
     * ServerHelloDone without a Certificate (a PSK or anonymous key exchange), not a resumed session.
     */
    public boolean noCertificateFullHandshake() {
        return serverHelloDone && certificates == null && certificatesUnknown == null && serverHello != null && !serverHello.tls13();
    }

    /** An abbreviated (resumed) TLS 1.2 handshake: the server went from ServerHello to ChangeCipherSpec, sending no certificates. */
    public boolean resumed() {
        return resumed;
    }

    /**
     * "smtp", "imap" or "pop3" (as openssl's {@code -starttls} names them) when {@code head}, the first
     * bytes a server sent, is that protocol's plaintext greeting; else null.
     */
    public static String mailGreeting(byte[] head) {
        StartTls.Protocol p = StartTls.greeting(head, 0, head.length);
        return p == null ? null : p.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** "SMTP STARTTLS in frame 12" when TLS began after a mail protocol's plaintext start; else empty. */
    public String startTls() {
        if (startTls == null || !startTls.started()) {
            return "";
        }
        return startTls.protocol + (startTls.protocol == StartTls.Protocol.POP3 ? " STLS" : " STARTTLS") + " in frame "
                + startTls.requestFrame();
    }

    public Kind kind() {
        return kind;
    }

    public String notTls() {
        if (startTls != null) { // a mail protocol's plaintext start: why it stayed plaintext, or nothing once TLS began
            return startTls.started() ? null : startTls.why();
        }
        return notTls;
    }

    public long notTlsFrame() {
        return notTlsFrame;
    }

    public boolean joinedMidStream() {
        return joinedMidStream;
    }

    public ClientHello clientHello() {
        return clientHello;
    }

    public long clientHelloFrame() {
        return clientHelloFrame;
    }

    public long clientHelloNanos() {
        return clientHelloNanos;
    }

    public ServerHello serverHello() {
        return serverHello;
    }

    public long serverHelloFrame() {
        return serverHelloFrame;
    }

    /** The server's certificate list as sent, or null when not seen (see {@link #certificatesUnknown()}). */
    public List<byte[]> certificates() {
        return certificates;
    }

    /** How many certificates the server's Certificate message held (only the first ones are kept). */
    public int certificatesSent() {
        return certificatesSent;
    }

    public long certificateFrame() {
        return certificateFrame;
    }

    public long certificateNanos() {
        return certificateNanos;
    }

    /** Why the certificates are not known (TLS 1.3, not captured, malformed), or null. */
    public String certificatesUnknown() {
        return certificatesUnknown;
    }

    public CertificateRequest certificateRequest() {
        return certificateRequest;
    }

    public long certificateRequestFrame() {
        return certificateRequestFrame;
    }

    /** Certificates the client sent in clear, or -1 when it sent no Certificate message. */
    public int clientCertificates() {
        return clientCertificates;
    }

    public List<Alert> alerts() {
        return List.copyOf(alerts);
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    public long clientApplicationBytes() {
        return clientApplicationBytes;
    }

    public long serverApplicationBytes() {
        return serverApplicationBytes;
    }

    public long firstApplicationFrame() {
        return firstApplicationFrame;
    }

    /**
     * Every renegotiation seen, in order, the one still in progress when the capture ended last (at
     * most {@link #MAX_RENEGOTIATIONS}; {@link #renegotiationsLeftOut()} counts the rest).
     */
    public List<Renegotiation> renegotiations() {
        List<Renegotiation> all = new ArrayList<>(renegotiations.size() + 1);
        renegotiations.forEach(r -> all.add(r.view()));
        if (reneg != null) {
            all.add(reneg.view());
        }
        return all;
    }

    public long renegotiationsLeftOut() {
        return renegotiationsLeftOut;
    }

    public long lastClientRecordNanos() {
        return lastClientRecordNanos;
    }

    public long lastServerRecordNanos() {
        return lastServerRecordNanos;
    }

    /** The first thing that could not be parsed, with its place, or null. */
    public String malformed() {
        return malformed;
    }

    public long malformedFrame() {
        return malformedFrame;
    }

    /** Why a direction stopped being followed (bytes not captured, not a record), or null. */
    public String lost(boolean fromClient) {
        return (fromClient ? client : server).lost;
    }

    /** The handshake finished: both Finished messages went (TLS 1.2 and below: CCS both ways). */
    public boolean established() {
        if (serverHello != null && serverHello.tls13()) {
            return firstApplicationFrame != 0 && serverApplicationBytes > 0 && fatalAlert() == null;
        }
        return client.encrypted && server.encrypted && fatalAlert() == null
                || (joinedMidStream && clientApplicationBytes + serverApplicationBytes > 0);
    }

    /** The first fatal alert in clear, or null. */
    public Alert fatalAlert() {
        for (Alert a : alerts) {
            if (a.fatal()) {
                return a;
            }
        }
        return null;
    }

    /** The last handshake step seen up to the given frame (0: all), e.g. "ClientHello"; empty when none. */
    public String lastStepBefore(long frame) {
        String last = "";
        for (Event e : events) {
            if (frame != 0 && e.frame() > frame) {
                break;
            }
            if (!e.what().contains("alert")) {
                last = e.what();
            }
        }
        return last;
    }
}
