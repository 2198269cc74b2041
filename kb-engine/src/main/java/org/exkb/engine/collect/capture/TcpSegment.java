package org.exkb.engine.collect.capture;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One TCP segment out of a frame: endpoints, sequence numbers, flags and the payload as captured.
 * {@code payloadLength} is the length the IP header announces; {@code payload} may be shorter when
 * the capture's snap length cut the frame, and then what follows is unknown, not absent.
 */
public record TcpSegment(long frame, long epochNanos, byte[] src, int srcPort, byte[] dst, int dstPort,
                         long seq, long ack, int flags, int window, int payloadLength, byte[] payload) {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public boolean payloadCut() {
        return payload.length < payloadLength;
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
