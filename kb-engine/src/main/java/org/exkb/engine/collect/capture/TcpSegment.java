package org.exkb.engine.collect.capture;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * One TCP segment out of a frame: endpoints, sequence numbers, flags and the payload as captured.
 * {@code payloadLength} is the length the IP header announces; the captured payload
 * ({@code payloadCaptured} bytes of {@code data} from {@code payloadOffset}; {@code data} is the
 * frame's own array, never copied) may be shorter when the capture's snap length cut the frame, and
 * then what follows is unknown, not absent.
 */
public record TcpSegment(long frame, long epochNanos, byte[] src, int srcPort, byte[] dst, int dstPort,
                         long seq, long ack, int flags, int window, int payloadLength, byte[] data, int payloadOffset,
                         int payloadCaptured) {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    public TcpSegment {
        if (payloadOffset < 0 || payloadCaptured < 0 || payloadOffset + payloadCaptured > data.length) {
            throw new IllegalArgumentException("payload " + payloadOffset + "+" + payloadCaptured + " outside a frame of " + data.length + " bytes");
        }
    }

    /** A segment whose captured payload is the whole of {@code payload}. */
    public TcpSegment(long frame, long epochNanos, byte[] src, int srcPort, byte[] dst, int dstPort,
                      long seq, long ack, int flags, int window, int payloadLength, byte[] payload) {
        this(frame, epochNanos, src, srcPort, dst, dstPort, seq, ack, flags, window, payloadLength, payload, 0, payload.length);
    }

    /** A copy of the captured payload. */
    public byte[] payload() {
        return Arrays.copyOfRange(data, payloadOffset, payloadOffset + payloadCaptured);
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public boolean payloadCut() {
        return payloadCaptured < payloadLength;
    }

    public String srcAddress() {
        return text(src);
    }

    public String dstAddress() {
        return text(dst);
    }

    static String text(byte[] addr) {
        try {
            return InetAddress.getByAddress(addr).getHostAddress(); // no name lookup for a literal address
        } catch (UnknownHostException e) {
            return "?";
        }
    }
}
