package org.exkb.engine.collect.capture;

import org.pcap4j.packet.IpPacket;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.factory.PacketFactories;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * Decodes a frame with pcap4j (pure Java, static packet factory; no libpcap). The capture reader
 * uses {@link PacketDecoder} for the link types it knows, which gives the same segments without
 * pcap4j's per-packet object tree (a test holds both to agreement on every sample capture); pcap4j
 * decodes the link types the fast path does not (PPP, 802.11 with radiotap, FDDI...).
 */
public final class Pcap4jDecoder {
    private Pcap4jDecoder() {
    }

    public static PacketDecoder.Result decode(Frame f) {
        Packet p;
        try {
            p = PacketFactories.getFactory(Packet.class, DataLinkType.class)
                    .newInstance(f.buffer(), f.offset(), f.length(), DataLinkType.getInstance(f.linkType()));
        } catch (RuntimeException | LinkageError e) {
            return PacketDecoder.Result.bad("pcap4j could not decode the frame: " + e);
        }
        if (p instanceof org.pcap4j.packet.UnknownPacket) {
            return PacketDecoder.Result.skip("link type " + f.linkType() + " is not one this reader decodes (built-in decoder or pcap4j)");
        }
        IpPacket ip = p.get(IpV4Packet.class);
        if (ip == null) {
            ip = p.get(IpV6Packet.class);
        }
        if (ip == null) {
            return PacketDecoder.Result.skip("not IP (pcap4j: " + p.getClass().getSimpleName() + ")");
        }
        TcpPacket tcp = p.get(TcpPacket.class);
        if (tcp == null) {
            return PacketDecoder.Result.skip("not TCP");
        }
        byte[] src = ip.getHeader().getSrcAddr().getAddress();
        byte[] dst = ip.getHeader().getDstAddr().getAddress();
        int tcpHeader = tcp.getHeader().length();
        int announced;
        if (ip instanceof IpV4Packet v4) {
            announced = v4.getHeader().getTotalLengthAsInt() - v4.getHeader().length() - tcpHeader;
        } else {
            // payload length covers extension headers too; what follows the TCP header is the segment
            announced = ((IpV6Packet) ip).getHeader().getPayloadLengthAsInt() - (ip.getPayload().length() - tcp.length()) - tcpHeader;
        }
        byte[] payload = tcp.getPayload() == null ? new byte[0] : tcp.getPayload().getRawData();
        TcpPacket.TcpHeader h = tcp.getHeader();
        int flags = (h.getFin() ? TcpSegment.FIN : 0) | (h.getSyn() ? TcpSegment.SYN : 0) | (h.getRst() ? TcpSegment.RST : 0)
                | (h.getPsh() ? TcpSegment.PSH : 0) | (h.getAck() ? TcpSegment.ACK : 0);
        return PacketDecoder.Result.ok(new TcpSegment(f.number(), f.epochNanos(), src, h.getSrcPort().valueAsInt(), dst,
                h.getDstPort().valueAsInt(), h.getSequenceNumberAsLong(), h.getAcknowledgmentNumberAsLong(), flags,
                h.getWindowAsInt(), Math.max(announced, payload.length), payload));
    }
}
