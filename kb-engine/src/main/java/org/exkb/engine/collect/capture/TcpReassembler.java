package org.exkb.engine.collect.capture;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-connection TCP tracking and in-order reassembly (RFC 9293 sequence space, modulo 2^32).
 * Retransmitted and overlapping bytes are delivered once; out-of-order segments wait, within a
 * bound, for the bytes before them; a hole that is never filled is reported as a gap with its size,
 * and delivery resumes after it - nothing is guessed across. Memory is bounded: at most
 * {@link #MAX_PENDING_BYTES} waiting per direction and {@link #MAX_CONNECTIONS} connections, the
 * least recently active one evicted (and reported) beyond that.
 */
public final class TcpReassembler {
    public static final int MAX_PENDING_BYTES = 1 << 20;
    public static final int MAX_CONNECTIONS = 50_000;

    /** What the reassembler tells its consumer (the TLS layer). */
    public interface Listener {
        /**
         * In-order bytes of one direction: {@code length} bytes of {@code bytes} from {@code offset}
         * (a frame's own array: read, never keep or change). {@code frame} carried the first of them.
         */
        void data(Connection c, boolean fromClient, long frame, long epochNanos, byte[] bytes, int offset, int length);

        /** Bytes that were never captured: delivery resumes after {@code missing} bytes. */
        default void gap(Connection c, boolean fromClient, long frame, long missing) {
        }

        /**
         * The connection is over: reset, closed by both sides with every byte delivered, evicted, or
         * still open at the end of the capture. Called once per connection.
         */
        default void closed(Connection c) {
        }
    }

    /** One TCP connection: endpoints, who opened it, how it ended. */
    /** One TCP connection being followed; its state is read and changed only inside this package. */
    public static final class Connection {
        final FlowKey key;
        final byte[] clientBytes;
        final String clientAddress;
        final int clientPort;
        final String serverAddress;
        final int serverPort;
        /** True when the client was identified by its SYN; false when inferred (capture started mid-connection). */
        final boolean sawSyn;
        boolean handshakeComplete;
        final long firstFrame;
        long resetFrame;
        Boolean resetByClient;
        long resetNanos;
        long finFrame;
        Boolean finByClient;
        long finNanos;
        /** Time of the last segment seen. */
        long endNanos;
        long lastClientDataNanos;
        long lastServerDataNanos;
        int retransmissions;
        long gapBytes;
        boolean evicted;
        /** Whether the listener was told it closed (it is told once). */
        boolean reported;
        /** The TLS conversation the capture reader follows on it, made when its first data arrives; null before and after it is reported. */
        org.exkb.engine.collect.tls.TlsConversation conversation;
        final Direction fromClient = new Direction();
        final Direction fromServer = new Direction();

        Connection(FlowKey key, byte[] clientBytes, String ca, int cp, String sa, int sp, boolean sawSyn, long firstFrame) {
            this.key = key;
            this.clientBytes = clientBytes;
            this.clientAddress = ca;
            this.clientPort = cp;
            this.serverAddress = sa;
            this.serverPort = sp;
            this.sawSyn = sawSyn;
            this.firstFrame = firstFrame;
        }

        /** The frame that opened it (its SYN, or its first segment when the capture began later). */
        public long firstFrame() {
            return firstFrame;
        }

        @Override
        public String toString() {
            return clientAddress + ":" + clientPort + " -> " + serverAddress + ":" + serverPort;
        }
    }

    /** One direction's sequence space. */
    static final class Direction {
        long next = -1; // next expected sequence number, -1 until known
        boolean synSeen;
        long finSeq = -1; // sequence number just after this side's FIN, -1 until one is seen
        final List<Pending> pending = new ArrayList<>();
        long pendingBytes;
    }

    /** Both endpoints, in an order that does not depend on the direction; compared by value. */
    record FlowKey(byte[] a, int portA, byte[] b, int portB) {
        static FlowKey of(TcpSegment s) {
            int c = Arrays.compare(s.src(), s.dst());
            boolean srcFirst = c < 0 || (c == 0 && s.srcPort() <= s.dstPort());
            return srcFirst ? new FlowKey(s.src(), s.srcPort(), s.dst(), s.dstPort())
                    : new FlowKey(s.dst(), s.dstPort(), s.src(), s.srcPort());
        }

        /** Whether the segment belongs to this flow, in either direction (what {@code equals(of(s))} says, without making a key). */
        boolean holds(TcpSegment s) {
            return s.srcPort() == portA && s.dstPort() == portB && Arrays.equals(s.src(), a) && Arrays.equals(s.dst(), b)
                    || s.srcPort() == portB && s.dstPort() == portA && Arrays.equals(s.src(), b) && Arrays.equals(s.dst(), a);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FlowKey k && portA == k.portA && portB == k.portB && Arrays.equals(a, k.a) && Arrays.equals(b, k.b);
        }

        @Override
        public int hashCode() {
            return (Arrays.hashCode(a) * 31 + portA) * 31 + Arrays.hashCode(b) * 17 + portB;
        }
    }

    /** Bytes waiting for those before them: {@code length} bytes of {@code bytes} from {@code offset}. */
    private record Pending(long seq, long frame, long nanos, byte[] bytes, int offset, int length) {
    }

    private final Listener listener;
    /** The connection of the previous segment, or null. */
    private Connection last;
    private final Map<FlowKey, Connection> connections = new LinkedHashMap<>(1024, 0.75f, true);
    private long evictions;

    public TcpReassembler(Listener listener) {
        this.listener = listener;
    }

    public long evictions() {
        return evictions;
    }

    public void add(TcpSegment s) {
        // bulk data comes in runs of one connection: the previous segment's is tried before the map
        // (it stays the most recently used one in the map's order, so eviction is unchanged)
        Connection c = last != null && last.key.holds(s) ? last : connections.get(FlowKey.of(s));
        if (c == null || (s.has(TcpSegment.SYN) && !s.has(TcpSegment.ACK) && (c.resetFrame != 0 || c.finFrame != 0))) {
            if (c != null) {
                finish(c); // a new connection on the same ports
            }
            FlowKey key = FlowKey.of(s);
            boolean clientIsSource = s.has(TcpSegment.SYN) ? !s.has(TcpSegment.ACK) : s.srcPort() > s.dstPort();
            c = clientIsSource
                    ? new Connection(key, s.src(), s.srcAddress(), s.srcPort(), s.dstAddress(), s.dstPort(), s.has(TcpSegment.SYN), s.frame())
                    : new Connection(key, s.dst(), s.dstAddress(), s.dstPort(), s.srcAddress(), s.srcPort(), s.has(TcpSegment.SYN), s.frame());
            connections.put(key, c);
            if (connections.size() > MAX_CONNECTIONS) {
                Iterator<Connection> oldest = connections.values().iterator();
                Connection old = oldest.next();
                oldest.remove();
                if (old == last) {
                    last = null;
                }
                old.evicted = true;
                evictions++;
                report(old);
            }
        }
        last = c;
        boolean fromClient = s.srcPort() == c.clientPort && Arrays.equals(s.src(), c.clientBytes);
        Direction d = fromClient ? c.fromClient : c.fromServer;
        c.endNanos = s.epochNanos();
        if (s.has(TcpSegment.SYN)) {
            d.synSeen = true;
            d.next = (s.seq() + 1) & 0xffffffffL;
            if (!fromClient && s.has(TcpSegment.ACK)) {
                c.handshakeComplete = c.fromClient.synSeen; // completed by the client's ACK; close enough for diagnosis
            }
        }
        if (s.payloadLength() > 0) {
            if (fromClient) {
                c.lastClientDataNanos = s.epochNanos();
            } else {
                c.lastServerDataNanos = s.epochNanos();
            }
            accept(c, fromClient, d, s);
        }
        if (s.has(TcpSegment.RST) && c.resetFrame == 0) {
            c.resetFrame = s.frame();
            c.resetByClient = fromClient;
            c.resetNanos = s.epochNanos();
            report(c);
        } else if (s.has(TcpSegment.FIN)) {
            if (c.finFrame == 0) {
                c.finFrame = s.frame();
                c.finByClient = fromClient;
                c.finNanos = s.epochNanos();
            }
            if (d.finSeq < 0) {
                d.finSeq = (s.seq() + (s.has(TcpSegment.SYN) ? 1 : 0) + s.payloadLength()) & 0xffffffffL;
            }
            if (delivered(c.fromClient) && delivered(c.fromServer)) {
                report(c); // closed by both sides with nothing missing: its summary need not wait for the end
            }
        }
    }

    /** Whether a side has sent its FIN and every byte before it was delivered. */
    private static boolean delivered(Direction d) {
        return d.finSeq >= 0 && d.next == d.finSeq && d.pending.isEmpty();
    }

    /** Flushes what waits (as gaps) and tells the listener the connection is over, once. */
    private void report(Connection c) {
        if (!c.reported) {
            c.reported = true;
            flush(c);
            listener.closed(c);
        }
    }

    private void accept(Connection c, boolean fromClient, Direction d, TcpSegment s) {
        long seq = s.seq() + (s.has(TcpSegment.SYN) ? 1 : 0) & 0xffffffffL;
        int length = s.payloadCaptured();
        if (s.payloadCut()) {
            // the snap length cut this segment: deliver what was captured, then a gap for the rest
            deliverOrQueue(c, fromClient, d, seq, s.frame(), s.epochNanos(), s.data(), s.payloadOffset(), length);
            long missing = s.payloadLength() - length;
            if (d.next == ((seq + length) & 0xffffffffL)) {
                c.gapBytes += missing;
                listener.gap(c, fromClient, s.frame(), missing);
                d.next = (d.next + missing) & 0xffffffffL;
                drain(c, fromClient, d);
            }
            return;
        }
        deliverOrQueue(c, fromClient, d, seq, s.frame(), s.epochNanos(), s.data(), s.payloadOffset(), length);
    }

    private void deliverOrQueue(Connection c, boolean fromClient, Direction d, long seq, long frame, long nanos, byte[] bytes,
                                int offset, int length) {
        if (length == 0) {
            return;
        }
        if (d.next < 0) {
            d.next = seq; // joined mid-stream: start here
        }
        long rel = diff(seq, d.next);
        if (rel < 0) {
            long overlap = -rel;
            if (overlap >= length) {
                c.retransmissions++;
                return;
            }
            offset += (int) overlap;
            length -= (int) overlap;
            seq = d.next;
            rel = 0;
        }
        if (rel == 0) {
            listener.data(c, fromClient, frame, nanos, bytes, offset, length);
            d.next = (d.next + length) & 0xffffffffL;
            drain(c, fromClient, d);
            return;
        }
        for (Pending p : d.pending) {
            if (p.seq == seq && p.length >= length) {
                c.retransmissions++;
                return;
            }
        }
        // copied: the frame's bytes are a slice of the reader's chunk, which must not stay alive for them
        d.pending.add(new Pending(seq, frame, nanos, Arrays.copyOfRange(bytes, offset, offset + length), 0, length));
        d.pendingBytes += length;
        if (d.pendingBytes > MAX_PENDING_BYTES) {
            skipToFirstPending(c, fromClient, d);
        }
    }

    private void drain(Connection c, boolean fromClient, Direction d) {
        while (!d.pending.isEmpty()) {
            Pending p = firstBySequence(d);
            long rel = diff(p.seq, d.next);
            if (rel > 0) {
                return;
            }
            removePending(d, p);
            if (-rel >= p.length) {
                c.retransmissions++;
                continue;
            }
            int skip = (int) -rel;
            listener.data(c, fromClient, p.frame, p.nanos, p.bytes, p.offset + skip, p.length - skip);
            d.next = (d.next + p.length - skip) & 0xffffffffL;
        }
    }

    private Pending firstBySequence(Direction d) {
        Pending best = null;
        long bestRel = Long.MAX_VALUE;
        for (Pending p : d.pending) {
            long rel = diff(p.seq, d.next);
            if (rel < bestRel) {
                bestRel = rel;
                best = p;
            }
        }
        return best;
    }

    private static void removePending(Direction d, Pending p) {
        d.pending.remove(p);
        d.pendingBytes -= p.length;
    }

    private void skipToFirstPending(Connection c, boolean fromClient, Direction d) {
        Pending p = firstBySequence(d);
        long missing = diff(p.seq, d.next);
        if (missing > 0) {
            c.gapBytes += missing;
            listener.gap(c, fromClient, p.frame, missing);
            d.next = p.seq;
        }
        drain(c, fromClient, d);
    }

    private void flush(Connection c) {
        while (!c.fromClient.pending.isEmpty()) {
            skipToFirstPending(c, true, c.fromClient);
        }
        while (!c.fromServer.pending.isEmpty()) {
            skipToFirstPending(c, false, c.fromServer);
        }
    }

    private void finish(Connection c) {
        connections.remove(c.key);
        if (c == last) {
            last = null;
        }
        report(c);
    }

    /** Ends the capture: flushes waiting bytes as gaps and closes every connection still open. */
    public void end() {
        for (Connection c : new ArrayList<>(connections.values())) {
            finish(c);
        }
    }

    public List<Connection> open() {
        return List.copyOf(connections.values());
    }

    /** a - b in 32-bit sequence space, as a signed distance. */
    static long diff(long a, long b) {
        return (int) (a - b);
    }
}
