package org.exkb.engine.collect.capture;

import java.util.Arrays;

/**
 * Finds the TCP segment in a captured frame: link layer (Ethernet with 802.1Q/802.1ad tags, Linux
 * cooked SLL and SLL2, BSD loopback NULL and LOOP, raw IPv4/IPv6), then IPv4 (RFC 791) or IPv6 with
 * its extension headers (RFC 8200), then TCP (RFC 9293). Every offset is checked against the captured
 * length before it is read. Frames that carry no TCP, or only a non-first IP fragment, are
 * {@link Result#skipped} with the reason; damaged headers are {@link Result#malformed}.
 */
public final class PacketDecoder {
    /** LINKTYPE_ values (tcpdump.org link-layer header types). */
    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    public static final int RAW_12 = 12;
    public static final int RAW = 101;
    public static final int LOOP = 108;
    public static final int SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int SLL2 = 276;
    public static final int IEEE802_11 = 105;
    public static final int RADIOTAP = 127;

    private static final int ETH_IPV4 = 0x0800;
    private static final int ETH_IPV6 = 0x86dd;

    private PacketDecoder() {
    }

    /** A segment, or why there is none. */
    public record Result(TcpSegment segment, String skipped, String malformed) {
        static Result ok(TcpSegment s) {
            return new Result(s, null, null);
        }

        static Result skip(String why) {
            return new Result(null, why, null);
        }

        static Result bad(String why) {
            return new Result(null, null, why);
        }
    }

    public static boolean supportsLinkType(int linkType) {
        return switch (linkType) {
            case NULL, ETHERNET, RAW_12, RAW, LOOP, SLL, IPV4, IPV6, SLL2, IEEE802_11, RADIOTAP -> true;
            default -> false;
        };
    }

    public static Result decode(Frame f) {
        byte[] d = f.buffer();
        int base = f.offset(); // the frame is d[base, base + len); every offset below is relative to base
        int len = f.length();
        int off;
        int proto; // ethertype-like: 0x0800 / 0x86dd, or -1 for "by IP version nibble"
        switch (f.linkType()) {
            case ETHERNET -> {
                if (len < 14) {
                    return Result.bad("Ethernet header: " + len + " bytes < 14");
                }
                off = 12;
                proto = u16(d, base + off);
                off += 2;
                while (proto == 0x8100 || proto == 0x88a8 || proto == 0x9100) {
                    if (len < off + 4) {
                        return Result.bad("802.1Q tag at offset " + off + " cut off");
                    }
                    proto = u16(d, base + off + 2);
                    off += 4;
                }
            }
            case SLL -> {
                if (len < 16) {
                    return Result.bad("Linux cooked (SLL) header: " + len + " bytes < 16");
                }
                proto = u16(d, base + 14);
                off = 16;
            }
            case SLL2 -> {
                if (len < 20) {
                    return Result.bad("Linux cooked (SLL2) header: " + len + " bytes < 20");
                }
                proto = u16(d, base + 0);
                off = 20;
            }
            case NULL, LOOP -> {
                if (len < 4) {
                    return Result.bad("loopback header: " + len + " bytes < 4");
                }
                // NULL: address family in the capturing host's byte order; LOOP: network order.
                int be = (int) u32(d, base + 0);
                int le = Integer.reverseBytes(be);
                int family = f.linkType() == LOOP || (be > 0 && be < 256) ? be : le; // families are small numbers
                proto = family == 2 ? ETH_IPV4 : (family == 24 || family == 28 || family == 30 || family == 10) ? ETH_IPV6 : family;
                off = 4;
            }
            case RAW, RAW_12, IPV4, IPV6 -> {
                proto = -1;
                off = 0;
            }
            case IEEE802_11, RADIOTAP -> {
                int start = 0;
                if (f.linkType() == RADIOTAP) { // radiotap header: version, pad, little-endian length
                    if (len < 4) {
                        return Result.bad("radiotap header: " + len + " bytes < 4");
                    }
                    start = (d[base + 2] & 0xff) | (d[base + 3] & 0xff) << 8;
                    if (start < 8 || start > len) {
                        return Result.bad("radiotap header length " + start + " is invalid");
                    }
                }
                int[] at = new int[1];
                String why = wifiData(d, base, start, len, at);
                if (why != null) {
                    return why.startsWith("!") ? Result.bad(why.substring(1)) : Result.skip(why);
                }
                off = at[0] + 2;
                proto = u16(d, base + at[0]);
            }
            default -> {
                return Result.skip("link type " + f.linkType() + " is not read");
            }
        }
        if (proto == -1) {
            if (len <= off) {
                return Result.bad("no IP header");
            }
            int v = (d[base + off] & 0xf0) >> 4;
            proto = v == 4 ? ETH_IPV4 : v == 6 ? ETH_IPV6 : 0;
        }
        if (proto == ETH_IPV4) {
            return ipv4(f, d, base, len, off);
        }
        if (proto == ETH_IPV6) {
            return ipv6(f, d, base, len, off);
        }
        return Result.skip(String.format("not IP (protocol 0x%04x)", proto));
    }

    /**
     * An 802.11 data frame (IEEE 802.11-2020 section 9.3.2.1): frame control, duration, three or four
     * addresses, sequence control, QoS and HT control when present, then LLC/SNAP (AA AA 03 00 00 00)
     * and the EtherType, whose offset goes into {@code at[0]}. Null when it is such a frame; otherwise why
     * not ("!" first for damage).
     */
    private static String wifiData(byte[] d, int base, int start, int len, int[] at) {
        if (len < start + 24) {
            return "!802.11 header cut off at " + (len - start) + " bytes";
        }
        int fc0 = d[base + start] & 0xff;
        int fc1 = d[base + start + 1] & 0xff;
        int type = (fc0 >> 2) & 3;
        int subtype = fc0 >> 4;
        if (type != 2) {
            return type == 0 ? "802.11 management frame" : "802.11 control frame";
        }
        if ((subtype & 4) != 0) {
            return "802.11 data frame without data (null function)";
        }
        if ((fc1 & 0x40) != 0) {
            return "802.11 protected (encrypted) data frame: capture on the wired side of the access point, or decrypt first";
        }
        int h = 24 + ((fc1 & 3) == 3 ? 6 : 0);
        if ((subtype & 8) != 0) { // QoS data: QoS control, and HT control when the order bit is set
            h += 2 + ((fc1 & 0x80) != 0 ? 4 : 0);
        }
        int llc = start + h;
        if (len < llc + 8) {
            return "!802.11 data frame cut off before its LLC header";
        }
        if ((d[base + llc] & 0xff) != 0xaa || (d[base + llc + 1] & 0xff) != 0xaa || (d[base + llc + 2] & 0xff) != 0x03) {
            return "802.11 data frame without an LLC/SNAP header";
        }
        at[0] = llc + 6;
        return null;
    }

    private static Result ipv4(Frame f, byte[] d, int base, int len, int off) {
        return ipv4(f, d, base, len, off, 0);
    }

    private static Result ipv4(Frame f, byte[] d, int base, int len, int off, int depth) {
        if (len < off + 20) {
            return Result.bad("IPv4 header cut off at " + (len - off) + " bytes");
        }
        int vihl = d[base + off] & 0xff;
        if (vihl >> 4 != 4) {
            return Result.bad("IPv4 version nibble is " + (vihl >> 4));
        }
        int ihl = (vihl & 0x0f) * 4;
        if (ihl < 20 || len < off + ihl) {
            return Result.bad("IPv4 header length " + ihl + " is invalid or cut off");
        }
        int total = u16(d, base + off + 2);
        if (total < ihl) {
            return Result.bad("IPv4 total length " + total + " < header length " + ihl);
        }
        int fragOffset = u16(d, base + off + 6) & 0x1fff;
        boolean moreFragments = (u16(d, base + off + 6) & 0x2000) != 0;
        if (fragOffset != 0 || moreFragments) {
            return Result.skip("IPv4 fragment (offset " + fragOffset * 8 + "); fragments are not reassembled");
        }
        int protocol = d[base + off + 9] & 0xff;
        if ((protocol == 4 || protocol == 41) && depth < 4) { // IP in IP (RFC 2003), IPv6 in IPv4 (RFC 4213): the inner packet
            return protocol == 4 ? ipv4(f, d, base, len, off + ihl, depth + 1) : ipv6(f, d, base, len, off + ihl, depth + 1);
        }
        if ((d[base + off + 9] & 0xff) != 6) {
            return Result.skip(udp443(d, base, len, off + ihl, d[base + off + 9] & 0xff)
                    ? QUIC : "IPv4 protocol " + (d[base + off + 9] & 0xff) + " is not TCP");
        }
        byte[] src = Arrays.copyOfRange(d, base + off + 12, base + off + 16);
        byte[] dst = Arrays.copyOfRange(d, base + off + 16, base + off + 20);
        return tcp(f, d, base, len, off + ihl, total - ihl, src, dst);
    }

    /** What a capture of QUIC is told: the TLS inside it is encrypted with keys the capture does not hold. */
    static final String QUIC = "UDP to or from port 443: QUIC (HTTP/3), whose TLS handshake is encrypted inside it and"
            + " not followed here; for a TLS diagnosis, capture a connection over TCP (turn HTTP/3 off on the client or the server for"
            + " the test)";

    /** Whether the IP payload at {@code off} is UDP (protocol 17) with port 443 on either side. */
    private static boolean udp443(byte[] d, int base, int len, int off, int protocol) {
        return protocol == 17 && len >= off + 4 && (u16(d, base + off) == 443 || u16(d, base + off + 2) == 443);
    }

    private static Result ipv6(Frame f, byte[] d, int base, int len, int off) {
        return ipv6(f, d, base, len, off, 0);
    }

    private static Result ipv6(Frame f, byte[] d, int base, int len, int off, int depth) {
        if (len < off + 40) {
            return Result.bad("IPv6 header cut off at " + (len - off) + " bytes");
        }
        if ((d[base + off] & 0xf0) >> 4 != 6) {
            return Result.bad("IPv6 version nibble is " + ((d[base + off] & 0xf0) >> 4));
        }
        int payload = u16(d, base + off + 4);
        int next = d[base + off + 6] & 0xff;
        byte[] src = Arrays.copyOfRange(d, base + off + 8, base + off + 24);
        byte[] dst = Arrays.copyOfRange(d, base + off + 24, base + off + 40);
        int p = off + 40;
        int remaining = payload;
        for (int hops = 0; hops < 8; hops++) {
            switch (next) {
                case 6 -> {
                    return tcp(f, d, base, len, p, remaining, src, dst);
                }
                case 4, 41 -> {
                    if (depth < 4) { // a tunnelled packet (RFC 2473): read the inner one
                        return next == 4 ? ipv4(f, d, base, len, p, depth + 1) : ipv6(f, d, base, len, p, depth + 1);
                    }
                    return Result.skip("IP tunnelled more than 4 deep");
                }
                case 0, 43, 60 -> {
                    if (len < p + 2) {
                        return Result.bad("IPv6 extension header cut off");
                    }
                    int extension = ((d[base + p + 1] & 0xff) + 1) * 8;
                    next = d[base + p] & 0xff;
                    p += extension;
                    remaining -= extension;
                }
                case 44 -> {
                    if (len < p + 8) {
                        return Result.bad("IPv6 fragment header cut off");
                    }
                    int fo = u16(d, base + p + 2);
                    if ((fo & 0xfff8) != 0 || (fo & 1) != 0) {
                        return Result.skip("IPv6 fragment; fragments are not reassembled");
                    }
                    next = d[base + p] & 0xff;
                    p += 8;
                    remaining -= 8;
                }
                default -> {
                    return Result.skip(udp443(d, base, len, p, next) ? QUIC : "IPv6 next header " + next + " is not TCP");
                }
            }
            if (remaining < 0) {
                return Result.bad("IPv6 extension headers longer than the payload");
            }
        }
        return Result.bad("IPv6: too many extension headers");
    }

    private static Result tcp(Frame f, byte[] d, int base, int len, int off, int ipPayload, byte[] src, byte[] dst) {
        if (len < off + 20) {
            return Result.bad("TCP header cut off at " + Math.max(0, len - off) + " bytes");
        }
        int hl = ((d[base + off + 12] & 0xf0) >> 4) * 4;
        if (hl < 20 || hl > ipPayload) {
            return Result.bad("TCP header length " + hl + " is invalid for an IP payload of " + ipPayload);
        }
        int payloadLength = ipPayload - hl;
        int start = Math.min(len, off + hl);
        int end = Math.min(len, off + hl + payloadLength);
        return Result.ok(new TcpSegment(f.number(), f.epochNanos(), src, u16(d, base + off), dst, u16(d, base + off + 2),
                u32(d, base + off + 4), u32(d, base + off + 8), d[base + off + 13] & 0xff | (d[base + off + 12] & 0x01) << 8,
                u16(d, base + off + 14), payloadLength, d, base + start, end - start));
    }

    static int u16(byte[] d, int o) {
        return ((d[o] & 0xff) << 8) | (d[o + 1] & 0xff);
    }

    static long u32(byte[] d, int o) {
        return ((long) (d[o] & 0xff) << 24) | ((d[o + 1] & 0xff) << 16) | ((d[o + 2] & 0xff) << 8) | (d[o + 3] & 0xff);
    }
}
