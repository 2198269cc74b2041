package org.exkb.engine.collect.capture;

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
 * without libpcap. Memory does not grow with the file: it is read in chunks of {@link #CHUNK} bytes
 * (a record larger than that gets a chunk of its own size), frames are slices of the chunk that holds
 * them, and every length is checked against a ceiling before anything is allocated.
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
    private static final int NETMON_2 = 0x55424d47; // "GMBU" read little-endian
    private static final int NETMON_1 = 0x53535452; // "RTSS"
    /** Frame tables longer than this are not loaded: the frames are then read in file order. */
    private static final int MAX_NETMON_TABLE = 4 << 20;

    /** The container format, as detected from the first bytes. */
    public enum Format { PCAP, PCAPNG, NETMON }

    /** The file is read in chunks of this size; frames are slices of them. */
    static final int CHUNK = 1 << 20;

    private final InputStream in;
    private final Format format;
    private final boolean gzip;
    /** The current chunk: bytes [pos, lim) are read and not yet consumed. A refill makes a new chunk. */
    private byte[] buf = new byte[0];
    private int pos;
    private int lim;
    private boolean eof;
    /** A read error met while filling a chunk: the bytes before it are handed out first, then it is thrown. */
    private IOException failed;
    private long offset;
    private long frames;
    private ByteOrder order;
    /** Where the record being read starts (file offset), to go back to it after a damaged header. */
    private long recordStart;
    /** The record that failed was read whole (its content was bad, not its framing): reading can go on after it. */
    private boolean recordWhole;
    /** Seconds of the last good pcap frame, to judge candidate records after damage. */
    private long lastSeconds = -1;
    // pcap
    private int pcapLinkType;
    private long pcapTickNanos;
    // pcapng: per section
    private final List<Iface> ifaces = new ArrayList<>();
    private final java.util.Map<Integer, Iface> guessed = new java.util.HashMap<>();
    private final List<String[]> notes = new ArrayList<>();
    /** What the reader says about the file that is no fault of it (NetMon's local clock, its own records passed over). */
    private final List<String> remarks = new ArrayList<>();
    // Network Monitor
    private int netmonMajor;
    private int netmonMinor;
    private int netmonMedia;
    private long netmonStartNanos;
    private long netmonDataEnd = Long.MAX_VALUE;
    private long[] netmonTable; // frame offsets from the file's frame table, or null: frames in file order
    private long netmonTableFrames = -1;
    private final java.util.Map<Integer, Long> netmonPassedOver = new java.util.TreeMap<>();
    private long netmonLastTicks = -1;
    /** The last record failed because the file ends inside it: nothing follows to search. */
    private boolean endedInside;

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
        return le == PCAP_US || be == PCAP_US || le == PCAP_NS || be == PCAP_NS || be == PCAPNG_SHB || le == NETMON_2 || le == NETMON_1;
    }

    /**
     * Opens a capture and reads its file header.
     *
     * @throws WireException when the file is not a capture or its header is damaged
     */
    public static CaptureReader open(Path file) throws IOException, WireException {
        byte[] magic;
        try (InputStream peek = Files.newInputStream(file)) {
            magic = peek.readNBytes(2);
        }
        boolean gz = org.exkb.engine.collect.Archives.isGzip(magic);
        InputStream raw = Files.newInputStream(file);
        try {
            InputStream in = gz ? new GZIPInputStream(raw, 1 << 16) : raw;
            CaptureReader r = new CaptureReader(in, Format.PCAP, gz);
            int got = r.available(4);
            if (got < 4) {
                throw new WireException("capture header: the file ends after " + got + " bytes (a capture starts with a 4-byte magic number)", 0);
            }
            byte[] head = Arrays.copyOfRange(r.buf, r.pos, r.pos + 4);
            int be = ByteBuffer.wrap(head).order(ByteOrder.BIG_ENDIAN).getInt();
            int le = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (be == PCAPNG_SHB) {
                r = new CaptureReader(r, Format.PCAPNG);
            } else if (le == NETMON_1 || le == NETMON_2) {
                r = new CaptureReader(r, Format.NETMON);
                r.readNetmonHeader(gz ? null : file);
            } else if (looksLikeCapture(head)) {
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

    /** The same stream and buffer, read as another format. */
    private CaptureReader(CaptureReader r, Format format) {
        this(r.in, format, r.gzip);
        this.buf = r.buf;
        this.pos = r.pos;
        this.lim = r.lim;
        this.eof = r.eof;
        this.offset = r.offset;
    }

    public Format format() {
        return format;
    }

    /** The format as people name it: pcap, pcapng, Network Monitor 2.3. */
    public String formatName() {
        return format == Format.NETMON ? "Network Monitor " + netmonMajor + "." + netmonMinor : format.name().toLowerCase(java.util.Locale.ROOT);
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
        return switch (format) {
            case PCAP -> nextPcap();
            case PCAPNG -> nextPcapng();
            case NETMON -> nextNetmon();
        };
    }

    private void readPcapHeader() throws IOException, WireException {
        need(24, "pcap file header");
        int at = take(24);
        ByteBuffer b = ByteBuffer.wrap(buf, at, 24).slice().order(ByteOrder.LITTLE_ENDIAN);
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
        recordStart = start;
        recordWhole = false;
        endedInside = false;
        int got = available(16);
        if (got == 0) {
            return null;
        }
        long n = frames + 1;
        if (got < 16) {
            throw new WireException("frame " + n + ": the file ends inside the record header (" + got + " of 16 bytes)", start);
        }
        int h = take(16);
        long sec = int32(h) & 0xffffffffL;
        long frac = int32(h + 4) & 0xffffffffL;
        long incl = int32(h + 8) & 0xffffffffL;
        long orig = int32(h + 12) & 0xffffffffL;
        if (incl > MAX_PACKET) {
            throw new WireException("frame " + n + ": captured length " + incl + " > " + MAX_PACKET + " (damaged record header)", start + 8);
        }
        if (available((int) incl) < incl) {
            need((int) incl, "frame " + n + " data"); // the message is made only when it is needed
        }
        int at = take((int) incl);
        frames = n;
        lastSeconds = sec;
        return new Frame(n, pcapLinkType, sec * 1_000_000_000L + frac * pcapTickNanos, (int) Math.min(orig, Integer.MAX_VALUE),
                buf, at, (int) incl, start, "");
    }

    private Frame nextPcapng() throws IOException, WireException {
        while (true) {
            long start = offset;
            recordStart = start;
            recordWhole = false;
            endedInside = false;
            int got = available(8);
            if (got == 0) {
                return null;
            }
            if (got < 8) {
                throw new WireException("pcapng block: the file ends inside a block header (after frame " + frames + ")", start);
            }
            int typeBe = ByteBuffer.wrap(buf, pos, 4).order(ByteOrder.BIG_ENDIAN).getInt();
            if (typeBe == PCAPNG_SHB) {
                byte[] h = Arrays.copyOfRange(buf, pos, pos + 8);
                take(8);
                need(4, "pcapng section header byte-order magic");
                ByteBuffer bb = ByteBuffer.wrap(buf, take(4), 4).slice().order(ByteOrder.LITTLE_ENDIAN);
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
                guessed.clear();
                continue;
            }
            if (order == null) {
                throw new WireException("pcapng: the file does not start with a section header block", start);
            }
            int type = int32(pos);
            long len = int32(pos + 4) & 0xffffffffL;
            checkBlockLength(len, 12, start);
            int bodyLength = (int) len - 12;
            got = available((int) len) - 8; // body and trailer, at once: the chunk is not replaced between them
            if (got < bodyLength) {
                throw new WireException("pcapng block body (type " + type + "): the file ends after " + Math.max(0, got) + " of " + bodyLength
                        + " bytes (after frame " + frames + ")", start + 8);
            }
            if (got < bodyLength + 4) {
                throw new WireException("pcapng block trailer: the file ends after " + (got - bodyLength) + " of 4 bytes (after frame "
                        + frames + ")", start + 8 + bodyLength);
            }
            take(8);
            int body = take(bodyLength);
            long again = int32(take(4)) & 0xffffffffL;
            if (again != len) {
                throw new WireException("pcapng block (type " + type + "): trailing length " + again + " != leading length " + len, offset - 4);
            }
            ByteBuffer b = ByteBuffer.wrap(buf, body, bodyLength).slice().order(order);
            recordWhole = true; // from here on a failure is in the block's content, and the next block follows it
            switch (type) {
                case 1 -> ifaces.add(parseInterface(b, start));
                case 6 -> {
                    return packetBlock(b, body, start, true);
                }
                case 3 -> {
                    return simplePacket(b, body, start);
                }
                case 2 -> {
                    return packetBlock(b, body, start, false);
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
                    note("offset 0x" + Long.toHexString(start), "pcapng if_tsresol " + v + " is out of range; microseconds assumed");
                    den = 1_000_000;
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
    private Frame packetBlock(ByteBuffer b, int body, long start, boolean enhanced) throws WireException {
        long n = frames + 1;
        String block = enhanced ? "enhanced packet block" : "packet block";
        if (b.remaining() < 20) {
            throw new WireException("frame " + n + ": " + block + " body of " + b.remaining() + " bytes < 20", start);
        }
        Iface iface = iface(enhanced ? b.getInt(0) : b.getShort(0) & 0xffff, n, start, b, 20);
        long ts = ((b.getInt(4) & 0xffffffffL) << 32) | (b.getInt(8) & 0xffffffffL);
        long cap = b.getInt(12) & 0xffffffffL;
        long orig = b.getInt(16) & 0xffffffffL;
        if (cap > b.remaining() - 20) {
            throw new WireException("frame " + n + ": captured length " + cap + " > the " + (b.remaining() - 20) + " bytes the block holds", start + 20);
        }
        b.position(Math.min(b.limit(), 20 + (int) ((cap + 3) & ~3L)));
        String comment = comment(options(b, start));
        frames = n;
        return new Frame(n, iface.linkType(), iface.nanos(ts), (int) Math.min(orig, Integer.MAX_VALUE), buf, body + 20, (int) cap, start, comment);
    }

    private Frame simplePacket(ByteBuffer b, int body, long start) throws WireException {
        long n = frames + 1;
        if (b.remaining() < 4) {
            throw new WireException("frame " + n + ": simple packet block body of " + b.remaining() + " bytes < 4", start);
        }
        Iface iface = iface(0, n, start, b, 4);
        long orig = b.getInt(0) & 0xffffffffL;
        int cap = (int) Math.min(orig, b.remaining() - 4);
        frames = n;
        return new Frame(n, iface.linkType(), 0, (int) Math.min(orig, Integer.MAX_VALUE), buf, body + 4, cap, start, "");
    }

    private Iface iface(int id, long n, long start, ByteBuffer b, int data) throws WireException {
        if (id >= 0 && id < ifaces.size()) {
            return ifaces.get(id);
        }
        if (id < 0 || id > 255) {
            throw new WireException("frame " + n + ": interface " + id + " was not described (" + ifaces.size() + " interface(s) in this section)", start + 8);
        }
        Iface g = guessed.get(id);
        if (g == null) {
            // its description block is missing or damaged: rather than lose every frame of it, read them with the link
            // type their first bytes show and pcapng's default microsecond timestamps, and say so
            int link = guessLinkType(b, data);
            g = new Iface(link, 1_000_000L, 0);
            guessed.put(id, g);
            note("frame " + n + ", offset 0x" + Long.toHexString(start), "interface " + id + " is not described in"
                    + " this section (its description block is missing or damaged): its frames are read as link type " + link
                    + (link == PacketDecoder.ETHERNET ? " (Ethernet)" : link == PacketDecoder.RAW ? " (raw IP)" : " (Linux cooked)")
                    + ", guessed from their first bytes, with microsecond timestamps");
        }
        return g;
    }

    /** Ethernet when an EtherType for IP or VLAN sits at bytes 12-13, raw IP when the first nibble is an IP version, Linux cooked at 14-15. */
    private static int guessLinkType(ByteBuffer b, int data) {
        int left = b.limit() - data;
        if (left >= 14) {
            int et = (b.get(data + 12) & 0xff) << 8 | b.get(data + 13) & 0xff;
            if (et == 0x0800 || et == 0x86dd || et == 0x8100 || et == 0x88a8 || et == 0x0806) {
                return PacketDecoder.ETHERNET;
            }
        }
        if (left >= 1 && ((b.get(data) & 0xf0) == 0x40 || (b.get(data) & 0xf0) == 0x60)) {
            return PacketDecoder.RAW;
        }
        if (left >= 16) {
            int proto = (b.get(data + 14) & 0xff) << 8 | b.get(data + 15) & 0xff;
            if (proto == 0x0800 || proto == 0x86dd) {
                return PacketDecoder.SLL;
            }
        }
        return PacketDecoder.ETHERNET;
    }

    private void note(String where, String what) {
        if (notes.size() < MAX_NOTES) {
            notes.add(new String[] {where, what});
        }
    }

    static final int MAX_NOTES = 100;

    /** The zone of the frames' times as shown: UTC, or the capturing machine's clock where the file keeps no zone. */
    public String timeZone() {
        return format == Format.NETMON && (netmonMajor == 1 || netmonMinor < 3)
                ? "local time of the capturing machine (Network Monitor " + netmonMajor + "." + netmonMinor + " keeps no time zone)"
                : "UTC";
    }

    /** Remarks about the file that are not faults, in the order made. */
    public List<String> remarks() {
        return remarks;
    }

    /** What the reader assumed or left out to go on (a guessed interface, damaged options), as {locator, text}, in file order. */
    public List<String[]> notes() {
        return notes;
    }

    private record Option(int code, byte[] value) {
    }

    /** Options from the buffer's position to its end; a malformed option ends the list (and is noted). */
    private List<Option> options(ByteBuffer b, long start) {
        List<Option> out = new ArrayList<>();
        while (b.remaining() >= 4) {
            int code = b.getShort() & 0xffff;
            int len = b.getShort() & 0xffff;
            if (code == 0) {
                break;
            }
            if (len > b.remaining()) {
                note("offset 0x" + Long.toHexString(start), "pcapng option " + code + ": length " + len + " > the " + b.remaining()
                        + " bytes left in the block; the block's options from here on are not read (its packet is)");
                break;
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

    /** Bytes a search for readable records goes through after damage before it gives up. */
    static final long RESYNC_LIMIT = 64L << 20;

    /** How reading went on after a damaged record: from where, and how many bytes were passed over. */
    public record Recovery(long damagedAt, long resumedAt, long skipped) {
    }

    /**
     * After {@link #next()} threw a {@link WireException}: makes the reader go on where records are
     * readable again, so that one damaged record does not cost the rest of the capture. A record that
     * was read whole but held bad content (an unknown interface, a length beyond its block) is simply
     * passed over; after damaged framing, the next {@link #RESYNC_LIMIT} bytes are searched for a place
     * where two records in a row (or a record and the end of the file) are consistent: plausible lengths
     * and time for pcap, matching leading and trailing lengths for pcapng. Answers null when there is
     * none, or the file simply ended.
     */
    public Recovery recover() throws IOException {
        if (format == Format.NETMON && endedInside) {
            return null; // cut off: the rest of the file is the cut record itself
        }
        if (format == Format.NETMON && netmonTable != null) { // the table says where the next frame is
            frames++;
            return frames < netmonTable.length ? new Recovery(recordStart, netmonTable[(int) frames], 0) : null;
        }
        if (recordWhole) {
            recordWhole = false;
            endedInside = false;
            return new Recovery(recordStart, offset, 0);
        }
        long damagedAt = recordStart;
        long back = offset - recordStart;
        if (back > 0 && back <= pos) { // the bytes of the failed record are still in the chunk
            pos -= (int) back;
            offset = recordStart;
        }
        if (offset == recordStart) {
            if (available(1) == 0) {
                return null;
            }
            take(1);
        }
        for (long searched = 0; searched < RESYNC_LIMIT; searched++) {
            int have = available(16);
            if (have < (format == Format.PCAPNG ? 12 : format == Format.NETMON && netmonMajor == 1 ? 8 : 16)) {
                return null; // the end of the file: nothing readable after the damage
            }
            if (format == Format.PCAP ? pcapRecordAt(0, true) : format == Format.NETMON ? netmonRecordAt(0, true) : pcapngBlockAt()) {
                return new Recovery(damagedAt, offset, offset - damagedAt);
            }
            take(1);
        }
        return null;
    }

    // ---- Network Monitor ---------------------------------------------------------------------

    /**
     * Network Monitor 1.x ("RTSS") and 2.x ("GMBU") files: a 128-byte header (version, media type,
     * start time as SYSTEMTIME, and where the frame table and the other sections are), the frames,
     * then the frame table (a 32-bit file offset per frame). The frames are read through the table when
     * the file is on disk and its table is whole, else in file order up to the first section after
     * them. A 2.1+ frame carries its own media type after its bytes (2.2 adds a process index, 2.3 a
     * UTC time stamp); NetMon 3's records of process, network and filter information (media types
     * 0xFFE0 and up) are passed over and counted, keeping their frame numbers as NetMon and Wireshark do.
     */
    private void readNetmonHeader(Path file) throws IOException, WireException {
        order = ByteOrder.LITTLE_ENDIAN;
        need(128, "Network Monitor file header");
        int at = take(128);
        ByteBuffer b = ByteBuffer.wrap(buf, at, 128).slice().order(ByteOrder.LITTLE_ENDIAN);
        boolean v1 = b.getInt(0) == NETMON_1;
        netmonMinor = b.get(4) & 0xff;
        netmonMajor = b.get(5) & 0xff;
        if (v1 ? netmonMajor != 1 : netmonMajor != 2) {
            throw new WireException("Network Monitor file header: version " + netmonMajor + "." + netmonMinor + " under the "
                    + (v1 ? "1.x" : "2.x") + " signature", 4);
        }
        netmonMedia = b.getShort(6) & 0xffff;
        int year = b.getShort(8) & 0xffff, month = b.getShort(10) & 0xffff, day = b.getShort(14) & 0xffff;
        int hour = b.getShort(16) & 0xffff, minute = b.getShort(18) & 0xffff, second = b.getShort(20) & 0xffff;
        int milli = b.getShort(22) & 0xffff;
        try {
            netmonStartNanos = java.time.LocalDateTime.of(year, month, day, hour, minute, second, milli * 1_000_000)
                    .toEpochSecond(java.time.ZoneOffset.UTC) * 1_000_000_000L + milli * 1_000_000L;
        } catch (java.time.DateTimeException e) {
            notes.add(new String[] {"file header", "the capture's start time is not a date (" + year + "-" + month + "-" + day
                    + "); frame times count from 1970"});
        }
        long tableOffset = b.getInt(24) & 0xffffffffL;
        long tableLength = b.getInt(28) & 0xffffffffL;
        for (int f = 24; f + 8 <= 128; f += 8) { // the frames end where the first section after them begins
            long o = b.getInt(f) & 0xffffffffL;
            long len = b.getInt(f + 4) & 0xffffffffL;
            if (o >= 128 && len > 0) {
                netmonDataEnd = Math.min(netmonDataEnd, o);
            }
        }
        if (tableOffset >= 128 && tableLength > 0) {
            netmonTableFrames = tableLength / 4;
        }
        if (file == null || netmonTableFrames <= 0 || netmonTableFrames > MAX_NETMON_TABLE) {
            return;
        }
        long size = Files.size(file);
        if (tableOffset + tableLength > size) {
            notes.add(new String[] {"file header", String.format("the frame table (at offset %,d, %,d frames) lies past the end of the"
                    + " file (%,d bytes), as when it was cut off: the frames are read in file order", tableOffset, netmonTableFrames, size)});
            return;
        }
        long[] table = new long[(int) netmonTableFrames];
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            ByteBuffer t = ByteBuffer.allocate((int) tableLength).order(ByteOrder.LITTLE_ENDIAN);
            while (t.hasRemaining() && ch.read(t, tableOffset + t.position()) > 0) {
                // read the whole table
            }
            long previous = 127;
            for (int i = 0; i < table.length; i++) {
                table[i] = t.getInt(i * 4) & 0xffffffffL;
                if (table[i] <= previous || table[i] >= tableOffset) {
                    notes.add(new String[] {"frame table", String.format("entry %,d (offset %,d) is out of order or outside the frames:"
                            + " the table is damaged; the frames are read in file order", i + 1, table[i])});
                    return;
                }
                previous = table[i];
            }
        }
        netmonTable = table;
        netmonDataEnd = Math.min(netmonDataEnd, tableOffset);
    }

    private int netmonTrailer() {
        if (netmonMajor < 2 || netmonMinor == 0) {
            return 0;
        }
        return netmonMinor == 1 ? 2 : netmonMinor == 2 ? 6 : 15;
    }

    private Frame nextNetmon() throws IOException, WireException {
        while (true) {
            long n = frames + 1;
            if (netmonTable != null) {
                if (frames >= netmonTable.length) {
                    return netmonEnd();
                }
                long target = netmonTable[(int) frames];
                if (target > offset) {
                    skipFully(target - offset, "frame " + n);
                } else if (target < offset) {
                    throw new WireException("frame " + n + ": the frame table puts it at offset " + target + ", inside the frame before",
                            offset);
                }
            } else if (offset >= netmonDataEnd) {
                return netmonEnd();
            }
            long start = offset;
            recordStart = start;
            recordWhole = false;
            boolean v1 = netmonMajor == 1;
            int headerSize = v1 ? 8 : 16;
            int got = available(headerSize);
            if (got == 0) {
                return netmonEnd();
            }
            if (got < headerSize) {
                throw new WireException("frame " + n + ": the file ends inside the frame header (" + got + " of " + headerSize + " bytes)",
                        start);
            }
            int h = take(headerSize);
            long ticks;
            long orig;
            long incl;
            if (v1) {
                ticks = (int32(h) & 0xffffffffL) * 1_000_000L;
                orig = ((buf[h + 4] & 0xff) | (buf[h + 5] & 0xff) << 8);
                incl = ((buf[h + 6] & 0xff) | (buf[h + 7] & 0xff) << 8);
            } else {
                ticks = ((int32(h) & 0xffffffffL) | (long) int32(h + 4) << 32) * 1000L;
                orig = int32(h + 8) & 0xffffffffL;
                incl = int32(h + 12) & 0xffffffffL;
            }
            if (incl > MAX_PACKET) {
                throw new WireException("frame " + n + ": captured length " + incl + " > " + MAX_PACKET + " (damaged frame header)",
                        start + headerSize - 4);
            }
            if (available((int) incl) < incl) {
                need((int) incl, "frame " + n + " data");
            }
            int at = take((int) incl);
            int media = netmonMedia;
            long nanos = netmonStartNanos + ticks;
            netmonLastTicks = ticks;
            int trailer = netmonTrailer();
            if (trailer > 0) {
                need(trailer, "frame " + n + " trailer");
                int tr = take(trailer);
                media = (buf[tr] & 0xff) | (buf[tr + 1] & 0xff) << 8;
                if (trailer >= 14) {
                    long utc = (int32(tr + 6) & 0xffffffffL) | (long) int32(tr + 10) << 32;
                    if (utc > 0) {
                        nanos = (utc - 116_444_736_000_000_000L) * 100L;
                    }
                }
            }
            frames = n;
            int link;
            int from = at;
            int len = (int) incl;
            switch (media) {
                case 0, 1 -> link = 1; // Ethernet (0: none given, which NetMon takes for Ethernet)
                case 2 -> link = 6; // Token Ring
                case 3 -> link = 10; // FDDI
                case 6 -> { // 802.11 behind NetMon's own metadata header, whose length is in it
                    int meta = len >= 3 ? (buf[at + 1] & 0xff) | (buf[at + 2] & 0xff) << 8 : len;
                    meta = Math.min(Math.max(meta, 0), len);
                    from = at + meta;
                    len -= meta;
                    link = 105;
                }
                case 7, 8, 9 -> link = 101; // tunnel, Wireless WAN and raw IP: IP packets without a link header
                default -> {
                    if ((media & 0xF000) == 0xE000) {
                        link = media & 0x0FFF; // a pcap link type, as Wireshark writes what NetMon has no type for
                    } else if (media >= 0xFFE0) {
                        netmonPassedOver.merge(media, 1L, Long::sum); // NetMon's own records: events, process and network info
                        continue;
                    } else {
                        link = 0x10000 + media; // no pcap equivalent: the decoder names it as a link type it does not read
                    }
                }
            }
            return new Frame(n, link, nanos, (int) Math.min(orig, Integer.MAX_VALUE), buf, from, len, start, "");
        }
    }

    /** Whether a plausible NetMon frame header starts {@code skip} bytes after {@code pos} (and, if {@code andNext}, another or the end after it). */
    private boolean netmonRecordAt(int skip, boolean andNext) throws IOException {
        int headerSize = netmonMajor == 1 ? 8 : 16;
        if (offset + skip >= netmonDataEnd || available(skip + headerSize) < skip + headerSize) {
            return false;
        }
        int h = pos + skip;
        long orig = netmonMajor == 1 ? (buf[h + 4] & 0xff) | (buf[h + 5] & 0xff) << 8 : int32(h + 8) & 0xffffffffL;
        long incl = netmonMajor == 1 ? (buf[h + 6] & 0xff) | (buf[h + 7] & 0xff) << 8 : int32(h + 12) & 0xffffffffL;
        if (incl == 0 || incl > MAX_PACKET || orig < incl || orig > (16L << 20)) {
            return false;
        }
        long ticks = netmonMajor == 1 ? (int32(h) & 0xffffffffL) * 1_000_000L
                : ((int32(h) & 0xffffffffL) | (long) int32(h + 4) << 32) * 1000L;
        if (netmonLastTicks >= 0 && (ticks < netmonLastTicks || ticks - netmonLastTicks > 86_400_000_000_000L)) {
            return false; // frames follow in time, and a day's gap inside one capture is taken for damage
        }
        if (!andNext) {
            return true;
        }
        int after = skip + headerSize + (int) incl + netmonTrailer();
        int got = available(after + headerSize);
        if (got == after && eof || offset + after >= netmonDataEnd) {
            return true;
        }
        return got >= after + headerSize && netmonRecordAt(after, false);
    }

    /** The end of a NetMon file's frames: what was passed over, and whether the frame table agreed, as notes. */
    private Frame netmonEnd() {
        if (!netmonPassedOver.isEmpty()) {
            StringBuilder b = new StringBuilder();
            netmonPassedOver.forEach((m, c) -> b.append(b.length() == 0 ? "" : ", ").append(c).append(" of media type 0x")
                    .append(Integer.toHexString(m)).append(switch (m) {
                        case 0xFFE0 -> " (events)";
                        case 0xFFFB -> " (network information)";
                        case 0xFFFC -> " (payload header)";
                        case 0xFFFD -> " (network information)";
                        case 0xFFFE -> " (DNS cache)";
                        case 0xFFFF -> " (capture filter)";
                        default -> "";
                    }));
            remarks.add("Network Monitor's own records passed over (they hold no traffic): " + b);
            netmonPassedOver.clear();
        }
        if (netmonTable == null && netmonTableFrames > 0 && frames != netmonTableFrames) {
            notes.add(new String[] {"frame table", String.format("the header's frame table names %,d frames; %,d were read in file order",
                    netmonTableFrames, frames)});
            netmonTableFrames = -1;
        }
        return null;
    }

    /** Whether a plausible pcap record starts {@code skip} bytes after {@code pos} (and, if {@code andNext}, another or the end after it). */
    private boolean pcapRecordAt(int skip, boolean andNext) throws IOException {
        if (available(skip + 16) < skip + 16) {
            return false;
        }
        int h = pos + skip;
        long sec = int32(h) & 0xffffffffL;
        long frac = int32(h + 4) & 0xffffffffL;
        long incl = int32(h + 8) & 0xffffffffL;
        long orig = int32(h + 12) & 0xffffffffL;
        if (incl == 0 || incl > MAX_PACKET || orig < incl || orig > (16L << 20) || frac >= (pcapTickNanos == 1 ? 1_000_000_000L : 1_000_000L)
                || lastSeconds >= 0 && Math.abs(sec - lastSeconds) > 7 * 86_400L) {
            return false;
        }
        if (!andNext) {
            return true;
        }
        int after = skip + 16 + (int) incl;
        int got = available(after + 16);
        if (got == after && eof) {
            return true; // the last record of the file
        }
        return got >= after + 16 && pcapRecordAt(after, false);
    }

    /** Whether a pcapng block whose trailing length matches its leading one starts at {@code pos}. */
    private boolean pcapngBlockAt() throws IOException {
        if (order == null) {
            return false;
        }
        int type = int32(pos);
        if (type == PCAPNG_SHB) {
            return available(12) == 12 && (int32(pos + 8) == PCAPNG_BOM || Integer.reverseBytes(int32(pos + 8)) == PCAPNG_BOM);
        }
        if (type < 1 || type > 10 && type != 0x0BAD && type != 0x40000BAD) {
            return false;
        }
        long len = int32(pos + 4) & 0xffffffffL;
        if (len < 12 || len > MAX_BLOCK || len % 4 != 0 || available((int) len) < len) {
            return false;
        }
        if ((int32(pos + (int) len - 4) & 0xffffffffL) != len) {
            return false;
        }
        return type != 6 || len >= 32 && (int32(pos + 8) & 0xffffffffL) < Math.max(ifaces.size(), 256);
    }

    /**
     * Makes up to {@code n} bytes readable from {@code pos} and returns how many are (fewer only at the
     * end of the file). When the chunk holds fewer, the rest of it moves to a new chunk that is filled
     * from the file: frames already handed out keep slices of the old one, which is never written again.
     */
    private int available(int n) throws IOException {
        if (lim - pos >= n || eof) {
            return Math.min(n, lim - pos);
        }
        if (failed != null) {
            IOException e = failed;
            failed = null;
            throw e;
        }
        int have = lim - pos;
        byte[] next = new byte[Math.max(CHUNK, n)];
        System.arraycopy(buf, pos, next, 0, have);
        buf = next;
        pos = 0;
        lim = have;
        while (lim < buf.length) {
            int r;
            try {
                r = in.read(buf, lim, buf.length - lim);
            } catch (IOException e) {
                if (lim == have) {
                    throw e;
                }
                failed = e; // a cut .gz: use every whole frame before the cut, then say where it stopped
                break;
            }
            if (r < 0) {
                eof = true;
                break;
            }
            lim += r;
        }
        return Math.min(n, lim - pos);
    }

    /** Requires {@code n} readable bytes; at the end of the file says what was cut and where. */
    private void need(int n, String what) throws IOException, WireException {
        int got = available(n);
        if (got < n) {
            endedInside = true;
            throw new WireException(what + ": the file ends after " + got + " of " + n + " bytes"
                    + (format == Format.PCAPNG || frames > 0 ? " (after frame " + frames + ")" : ""), offset);
        }
    }

    /** Consumes {@code n} readable bytes; returns where they start in {@code buf}. */
    private int take(int n) {
        int at = pos;
        pos += n;
        offset += n;
        return at;
    }

    /** A 32-bit value at {@code i} in {@code buf}, in the current byte order. */
    private int int32(int i) {
        int a = buf[i] & 0xff;
        int b = buf[i + 1] & 0xff;
        int c = buf[i + 2] & 0xff;
        int d = buf[i + 3] & 0xff;
        return order == ByteOrder.LITTLE_ENDIAN ? d << 24 | c << 16 | b << 8 | a : a << 24 | b << 16 | c << 8 | d;
    }

    private void skipFully(long n, String what) throws IOException, WireException {
        long at = offset;
        long inBuffer = Math.min(n, lim - pos);
        take((int) inBuffer);
        long rest = n - inBuffer;
        if (rest > 0) {
            try {
                in.skipNBytes(rest);
            } catch (EOFException e) {
                throw new WireException(what + ": the file ends inside it", at);
            }
            offset += rest;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
