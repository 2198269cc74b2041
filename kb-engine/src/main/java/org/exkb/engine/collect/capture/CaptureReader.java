package org.exkb.engine.collect.capture;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.exkb.engine.wire.WireException;

/**
 * Streams the frames of a pcap or pcapng file (optionally gzip-compressed) in pure Java, so it works
 * without libpcap. Memory does not grow with the file: one record is held at a time, and every length
 * is checked against a ceiling before anything is allocated.
 *
 * <p>pcap: the classic format (both byte orders, microsecond and nanosecond magic). pcapng:
 * draft-ietf-opsawg-pcapng - Section Header (byte order per section), Interface Description (link
 * type and if_tsresol/if_tsoffset per interface), Enhanced, Simple and obsolete Packet blocks, and
 * opt_comment on packets; other blocks are skipped by their length.
 */
public final class CaptureReader implements Closeable {
    /** Largest packet record accepted; real link layers stay far below (loopback: 64 KiB + headers). */
    public static final int MAX_PACKET = 256 * 1024;
    /** Largest pcapng block accepted (a packet plus generous options). */
    public static final int MAX_BLOCK = MAX_PACKET + 64 * 1024;

    private static final int PCAP_US = 0xa1b2c3d4;
    private static final int PCAP_NS = 0xa1b23c4d;
    private static final int PCAPNG_SHB = 0x0a0d0d0a;
    private static final int PCAPNG_BOM = 0x1a2b3c4d;

    /** The container format, as detected from the first bytes. */
    public enum Format { PCAP, PCAPNG }

    private final InputStream in;
    private final Format format;
    private final boolean gzip;
    private long offset;
    private long frames;
    private ByteOrder order;
    // pcap
    private int pcapLinkType;
    private long pcapTickNanos;
    // pcapng: per section
    private final List<Iface> ifaces = new ArrayList<>();

    /** An interface of the current pcapng section: link type, ticks per second, if_tsoffset. */
    private record Iface(int linkType, long ticksPerSecond, long offsetSeconds) {
        long nanos(long ticks) {
            long base = offsetSeconds * 1_000_000_000L;
            if (ticksPerSecond <= 1_000_000_000L && 1_000_000_000L % ticksPerSecond == 0) {
                return base + ticks * (1_000_000_000L / ticksPerSecond);
            }
            return base + java.math.BigInteger.valueOf(ticks).multiply(java.math.BigInteger.valueOf(1_000_000_000L))
                    .divide(java.math.BigInteger.valueOf(ticksPerSecond)).longValue();
        }
    }

    private CaptureReader(InputStream in, Format format, boolean gzip) {
        this.in = in;
        this.format = format;
        this.gzip = gzip;
    }

    /** Whether the first bytes look like a capture (pcap, pcapng, or gzip of either is decided on open). */
    public static boolean looksLikeCapture(byte[] head) {
        if (head.length < 4) {
            return false;
        }
        int le = ByteBuffer.wrap(head, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int be = ByteBuffer.wrap(head, 0, 4).order(ByteOrder.BIG_ENDIAN).getInt();
        return le == PCAP_US || be == PCAP_US || le == PCAP_NS || be == PCAP_NS || be == PCAPNG_SHB;
    }

    public static boolean isGzip(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    /**
     * Opens a capture and reads its file header.
     *
     * @throws WireException when the file is not a capture or its header is damaged
     */
    public static CaptureReader open(Path file) throws IOException, WireException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        boolean gz = false;
        try {
            raw.mark(4);
            byte[] magic = raw.readNBytes(2);
            raw.reset();
            if (isGzip(magic)) {
                raw = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
                gz = true;
            }
            raw.mark(8);
            byte[] head = raw.readNBytes(4);
            raw.reset();
            if (head.length < 4) {
                throw new WireException("capture header: the file ends after " + head.length + " bytes (a capture starts with a 4-byte magic number)", 0);
            }
            int be = ByteBuffer.wrap(head).order(ByteOrder.BIG_ENDIAN).getInt();
            CaptureReader r;
            if (be == PCAPNG_SHB) {
                r = new CaptureReader(raw, Format.PCAPNG, gz);
            } else if (looksLikeCapture(head)) {
                r = new CaptureReader(raw, Format.PCAP, gz);
                r.readPcapHeader();
            } else {
                throw new WireException(String.format("capture header: magic 0x%08x is neither pcap (a1b2c3d4, a1b23c4d) nor pcapng (0a0d0d0a)", be), 0);
            }
            return r;
        } catch (IOException | WireException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    public Format format() {
        return format;
    }

    public boolean compressed() {
        return gzip;
    }

    /** Bytes consumed so far (of the decompressed stream). */
    public long offset() {
        return offset;
    }

    /** Frames returned so far. */
    public long frames() {
        return frames;
    }

    /**
     * The next frame, or null at the clean end of the file.
     *
     * @throws WireException for a damaged or truncated record; the message names the frame and the
     *                       offset, and every frame before it was returned intact
     */
    public Frame next() throws IOException, WireException {
        return format == Format.PCAP ? nextPcap() : nextPcapng();
    }

    private void readPcapHeader() throws IOException, WireException {
        byte[] h = readFully(24, "pcap file header");
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        if (magic != PCAP_US && magic != PCAP_NS) {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
        }
        order = b.order();
        pcapTickNanos = magic == PCAP_NS ? 1 : 1000;
        int major = b.getShort(4) & 0xffff;
        if (major != 2) {
            throw new WireException("pcap file header: version " + major + "." + (b.getShort(6) & 0xffff) + ", expected 2.4", 4);
        }
        pcapLinkType = b.getInt(20) & 0x0fff_ffff; // upper bits carry FCS length flags
    }

    private Frame nextPcap() throws IOException, WireException {
        long start = offset;
        byte[] h = readUpTo(16);
        if (h.length == 0) {
            return null;
        }
        long n = frames + 1;
        if (h.length < 16) {
            throw new WireException("frame " + n + ": the file ends inside the record header (" + h.length + " of 16 bytes)", start);
        }
        ByteBuffer b = ByteBuffer.wrap(h).order(order);
        long sec = b.getInt(0) & 0xffffffffL;
        long frac = b.getInt(4) & 0xffffffffL;
        long incl = b.getInt(8) & 0xffffffffL;
        long orig = b.getInt(12) & 0xffffffffL;
        if (incl > MAX_PACKET) {
            throw new WireException("frame " + n + ": captured length " + incl + " > " + MAX_PACKET + " (damaged record header)", start + 8);
        }
        byte[] data = readFully((int) incl, "frame " + n + " data");
        frames = n;
        return new Frame(n, pcapLinkType, sec * 1_000_000_000L + frac * pcapTickNanos, (int) Math.min(orig, Integer.MAX_VALUE), data, start, "");
    }

    private Frame nextPcapng() throws IOException, WireException {
        while (true) {
            long start = offset;
            byte[] h = readUpTo(8);
            if (h.length == 0) {
                return null;
            }
            if (h.length < 8) {
                throw new WireException("pcapng block: the file ends inside a block header (after frame " + frames + ")", start);
            }
            int typeBe = ByteBuffer.wrap(h, 0, 4).order(ByteOrder.BIG_ENDIAN).getInt();
            if (typeBe == PCAPNG_SHB) {
                byte[] bom = readFully(4, "pcapng section header byte-order magic");
                ByteBuffer bb = ByteBuffer.wrap(bom).order(ByteOrder.LITTLE_ENDIAN);
                if (bb.getInt(0) != PCAPNG_BOM) {
                    bb.order(ByteOrder.BIG_ENDIAN);
                    if (bb.getInt(0) != PCAPNG_BOM) {
                        throw new WireException(String.format("pcapng section header: byte-order magic 0x%08x, expected 1a2b3c4d", bb.getInt(0)), start + 8);
                    }
                }
                order = bb.order();
                long len = ByteBuffer.wrap(h, 4, 4).order(order).getInt() & 0xffffffffL;
                checkBlockLength(len, 28, start);
                skipFully(len - 12, "pcapng section header");
                ifaces.clear();
                continue;
            }
            if (order == null) {
                throw new WireException("pcapng: the file does not start with a section header block", start);
            }
            ByteBuffer hb = ByteBuffer.wrap(h).order(order);
            int type = hb.getInt(0);
            long len = hb.getInt(4) & 0xffffffffL;
            checkBlockLength(len, 12, start);
            byte[] body = readFully((int) len - 12, "pcapng block body (type " + type + ")");
            byte[] trailer = readFully(4, "pcapng block trailer");
            long again = ByteBuffer.wrap(trailer).order(order).getInt() & 0xffffffffL;
            if (again != len) {
                throw new WireException("pcapng block (type " + type + "): trailing length " + again + " != leading length " + len, offset - 4);
            }
            ByteBuffer b = ByteBuffer.wrap(body).order(order);
            switch (type) {
                case 1 -> ifaces.add(parseInterface(b, start));
                case 6 -> {
                    return packetBlock(b, start, true);
                }
                case 3 -> {
                    return simplePacket(b, start);
                }
                case 2 -> {
                    return packetBlock(b, start, false);
                }
                default -> {
                    // name resolution, statistics, secrets, custom blocks: not needed here
                }
            }
        }
    }

    private void checkBlockLength(long len, int min, long at) throws WireException {
        if (len < min || len > MAX_BLOCK || len % 4 != 0) {
            throw new WireException("pcapng block length " + len + (len % 4 != 0 ? " is not a multiple of 4" : " outside " + min + ".." + MAX_BLOCK)
                    + " (after frame " + frames + ")", at + 4);
        }
    }

    private Iface parseInterface(ByteBuffer b, long start) throws WireException {
        if (b.remaining() < 8) {
            throw new WireException("pcapng interface description: body of " + b.remaining() + " bytes < 8", start);
        }
        int linkType = b.getShort(0) & 0xffff;
        long den = 1_000_000; // default resolution: microseconds
        long tsOffset = 0;
        b.position(8);
        for (Option o : options(b, start)) {
            if (o.code == 9 && o.value.length >= 1) {
                int v = o.value[0] & 0xff;
                if ((v & 0x80) == 0) {
                    den = pow(10, v & 0x7f);
                } else {
                    den = pow(2, v & 0x7f);
                }
                if (den <= 0) {
                    throw new WireException("pcapng if_tsresol " + v + " is out of range", start);
                }
            } else if (o.code == 14 && o.value.length >= 8) {
                tsOffset = ByteBuffer.wrap(o.value).order(order).getLong();
            }
        }
        return new Iface(linkType, den, tsOffset);
    }

    private static long pow(long base, int exp) {
        long r = 1;
        for (int i = 0; i < exp; i++) {
            if (r > Long.MAX_VALUE / base) {
                return -1;
            }
            r *= base;
        }
        return r;
    }

    /**
     * Enhanced Packet Block (type 6) and the obsolete Packet Block (type 2) share one layout: an
     * interface id (32 bits; 16 bits plus a drop count in the obsolete block), a 64-bit timestamp,
     * captured and original lengths, the padded data, then options.
     */
    private Frame packetBlock(ByteBuffer b, long start, boolean enhanced) throws WireException {
        long n = frames + 1;
        String block = enhanced ? "enhanced packet block" : "packet block";
        if (b.remaining() < 20) {
            throw new WireException("frame " + n + ": " + block + " body of " + b.remaining() + " bytes < 20", start);
        }
        Iface iface = iface(enhanced ? b.getInt(0) : b.getShort(0) & 0xffff, n, start);
        long ts = ((b.getInt(4) & 0xffffffffL) << 32) | (b.getInt(8) & 0xffffffffL);
        long cap = b.getInt(12) & 0xffffffffL;
        long orig = b.getInt(16) & 0xffffffffL;
        if (cap > b.remaining() - 20) {
            throw new WireException("frame " + n + ": captured length " + cap + " > the " + (b.remaining() - 20) + " bytes the block holds", start + 20);
        }
        byte[] data = new byte[(int) cap];
        b.get(20, data);
        b.position(20 + (int) ((cap + 3) & ~3L));
        String comment = comment(options(b, start));
        frames = n;
        return new Frame(n, iface.linkType(), iface.nanos(ts), (int) Math.min(orig, Integer.MAX_VALUE), data, start, comment);
    }

    private Frame simplePacket(ByteBuffer b, long start) throws WireException {
        long n = frames + 1;
        Iface iface = iface(0, n, start);
        if (b.remaining() < 4) {
            throw new WireException("frame " + n + ": simple packet block body of " + b.remaining() + " bytes < 4", start);
        }
        long orig = b.getInt(0) & 0xffffffffL;
        int cap = (int) Math.min(orig, b.remaining() - 4);
        byte[] data = new byte[cap];
        b.get(4, data);
        frames = n;
        return new Frame(n, iface.linkType(), 0, (int) Math.min(orig, Integer.MAX_VALUE), data, start, "");
    }

    private Iface iface(int id, long n, long start) throws WireException {
        if (id < 0 || id >= ifaces.size()) {
            throw new WireException("frame " + n + ": interface " + id + " was not described (" + ifaces.size() + " interface(s) in this section)", start + 8);
        }
        return ifaces.get(id);
    }

    private record Option(int code, byte[] value) {
    }

    /** Options from the buffer's position to its end; a malformed option list ends the list. */
    private List<Option> options(ByteBuffer b, long start) throws WireException {
        List<Option> out = new ArrayList<>();
        while (b.remaining() >= 4) {
            int code = b.getShort() & 0xffff;
            int len = b.getShort() & 0xffff;
            if (code == 0) {
                break;
            }
            if (len > b.remaining()) {
                throw new WireException("pcapng option " + code + ": length " + len + " > the " + b.remaining() + " bytes left in the block", start);
            }
            byte[] v = new byte[len];
            b.get(v);
            b.position(Math.min(b.limit(), b.position() + ((4 - len % 4) % 4)));
            out.add(new Option(code, v));
        }
        return out;
    }

    private static String comment(List<Option> opts) {
        StringBuilder s = new StringBuilder();
        for (Option o : opts) {
            if (o.code == 1) {
                if (s.length() > 0) {
                    s.append(" | ");
                }
                s.append(new String(o.value, StandardCharsets.UTF_8));
            }
        }
        return s.toString();
    }

    private byte[] readUpTo(int n) throws IOException {
        byte[] b = new byte[n];
        int got = in.readNBytes(b, 0, n); // into an exact array: InputStream.readNBytes(int) copies twice
        offset += got;
        return got == n ? b : Arrays.copyOf(b, got);
    }

    private byte[] readFully(int n, String what) throws IOException, WireException {
        long at = offset;
        byte[] b = new byte[n];
        try {
            int got = in.readNBytes(b, 0, n);
            if (got < n) {
                b = Arrays.copyOf(b, got);
            }
        } catch (EOFException e) {
            b = new byte[0];
        }
        offset += b.length;
        if (b.length < n) {
            throw new WireException(what + ": the file ends after " + b.length + " of " + n + " bytes"
                    + (format == Format.PCAPNG || frames > 0 ? " (after frame " + frames + ")" : ""), at);
        }
        return b;
    }

    private void skipFully(long n, String what) throws IOException, WireException {
        long at = offset;
        try {
            in.skipNBytes(n);
        } catch (EOFException e) {
            throw new WireException(what + ": the file ends inside it", at);
        }
        offset += n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
