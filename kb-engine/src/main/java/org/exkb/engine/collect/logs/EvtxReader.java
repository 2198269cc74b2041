package org.exkb.engine.collect.logs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.model.EvidenceProblem;

/**
 * A binary Windows event log ({@code .evtx}, format 3.1 of Vista to Windows 8 and 3.2 of Windows 10
 * and 11) read as a stream: the 4 KiB file header, then one 64 KiB chunk at a time, so a large log
 * never sits in memory. Chunks are read whatever the file header says about their number (a log
 * copied while Windows was writing it, "dirty", names fewer than it holds). Checksums are checked and
 * a mismatch reported, not trusted: the records of a chunk whose checksum fails are still read, each
 * on its own framing (signature, size, and the size's copy at its end). A damaged record costs only
 * itself: reading goes on at the next record found. Every problem names the chunk, the record
 * number where it has one, and the offset. The events are handed to the same tally as the XML, CSV
 * and text exports, so rules see the same {@link org.exkb.engine.model.WindowsEvent} facts.
 */
final class EvtxReader {
    static final int HEADER_SIZE = 4096;
    static final int CHUNK_SIZE = BinXml.CHUNK_SIZE;
    private static final int RECORDS_START = 512;
    private static final int RECORD_HEADER = 24;
    private static final int MIN_RECORD = RECORD_HEADER + 4 + 4;
    private static final int FLAG_DIRTY = 0x1;
    private static final int FLAG_FULL = 0x2;
    private static final int FLAG_NO_CRC = 0x4;
    /** Problems listed one by one for a file; the rest are counted in one last problem. */
    static final int MAX_PROBLEMS = 50;
    /** Records in error named one by one in a chunk; the rest of the chunk's are counted in one problem. */
    private static final int ERRORS_NAMED_PER_CHUNK = 3;

    private final String source;
    private final EventExportReader tally;
    private final CollectResult out;
    private final byte[] chunk = new byte[CHUNK_SIZE];
    private final CRC32 crc = new CRC32();

    private long records;
    private long recordsInError;
    private long pastHeader; // records past the last one a chunk header names
    private int chunks;
    private int unusedChunks;
    private int problems;
    private int problemsNotListed;
    private long highestRecord;

    EvtxReader(String source, EventExportReader tally, CollectResult out) {
        this.source = source;
        this.tally = tally;
        this.out = out;
    }

    long records() {
        return records;
    }

    long recordsInError() {
        return recordsInError;
    }

    void read(InputStream in) throws IOException {
        byte[] header = in.readNBytes(HEADER_SIZE);
        if (header.length < 128) {
            problem("byte 0", EvidenceProblem.MALFORMED, "the file is " + header.length + " bytes long, shorter than an .evtx file header"
                    + " (128 bytes in a 4,096-byte block); nothing to read");
            finish(-1, 0, "");
            return;
        }
        boolean signature = ascii(header, 0, 8).equals("ElfFile\0");
        int flags = (int) le(header, 120, 4);
        int major = (int) le(header, 38, 2);
        int minor = (int) le(header, 36, 2);
        long nextRecord = le(header, 24, 8);
        int headerChunks = (int) le(header, 42, 2);
        if (!signature) {
            problem("byte 0", EvidenceProblem.MALFORMED, "the file header's signature is not 'ElfFile' (" + printable(header, 0, 8)
                    + "); the chunks after it are read if they are intact");
        } else {
            crc.reset();
            crc.update(header, 0, 120);
            if ((flags & FLAG_NO_CRC) == 0 && crc.getValue() != le(header, 124, 4)) {
                problem("file header", EvidenceProblem.MALFORMED, String.format(Locale.ROOT, "the file header's checksum does not match"
                        + " (stored %08x, computed %08x): its counts are not trusted; every chunk present is read",
                        le(header, 124, 4), crc.getValue()));
            }
            if (major != 3 || minor > 2) {
                problem("file header", EvidenceProblem.UNSUPPORTED, "format version " + major + "." + minor
                        + ", not 3.1 or 3.2; read as 3.2, which may fail");
            }
        }
        if (header.length < HEADER_SIZE) {
            problem("byte " + header.length, EvidenceProblem.MALFORMED, "the file ends inside its 4,096-byte header: no chunk to read");
            finish(flags, headerChunks, version(signature, major, minor));
            return;
        }
        long offset = HEADER_SIZE;
        while (true) {
            int n = in.readNBytes(chunk, 0, CHUNK_SIZE);
            if (n == 0) {
                break;
            }
            if (n < CHUNK_SIZE) {
                java.util.Arrays.fill(chunk, n, CHUNK_SIZE, (byte) 0);
            }
            chunk(chunks, offset, n);
            chunks++;
            offset += n;
            if (n < CHUNK_SIZE) {
                break;
            }
        }
        if (signature && nextRecord > 0 && highestRecord >= nextRecord) {
            out.examined(source + ": records up to " + highestRecord + " are read, past the last (" + (nextRecord - 1)
                    + ") that the file header names: Windows had not yet recorded them there (a log copied while open)");
        }
        finish(flags, headerChunks, version(signature, major, minor));
    }

    private static String version(boolean signature, int major, int minor) {
        return signature ? " " + major + "." + minor : "";
    }

    private void finish(int flags, int headerChunks, String version) {
        if (records == 0 && recordsInError == 0 && problems == 0) {
            out.problem(new EvidenceProblem(source, "", EvidenceProblem.EMPTY, "a binary event log with no event records (" + chunks
                    + " chunks, none in use): nothing was logged in it"));
        }
        if (problemsNotListed > 0) {
            out.problem(new EvidenceProblem(source, "", EvidenceProblem.MALFORMED, problemsNotListed + " more problems like the ones above"
                    + " are not listed one by one"));
        }
        StringBuilder b = new StringBuilder("binary event log (.evtx").append(version).append("): ")
                .append(String.format(Locale.ROOT, "%,d records in %,d chunks", records, chunks - unusedChunks));
        if (unusedChunks > 0) {
            b.append(String.format(Locale.ROOT, " (and %,d unused)", unusedChunks));
        }
        if (!version.isEmpty() && headerChunks > 0 && headerChunks < chunks - unusedChunks) {
            b.append(String.format(Locale.ROOT, ", of which the file header names %,d", headerChunks));
        }
        if (recordsInError > 0) {
            b.append(String.format(Locale.ROOT, ", %,d records could not be read", recordsInError));
        }
        if (pastHeader > 0) {
            b.append(String.format(Locale.ROOT, ", %,d past their chunk header's last record", pastHeader));
        }
        if (flags > 0 && (flags & FLAG_DIRTY) != 0) {
            b.append("; marked dirty: Windows had it open (a copy of a live log, or a crash), which is usual");
        }
        if (flags > 0 && (flags & FLAG_FULL) != 0) {
            b.append("; marked full");
        }
        java.util.Map<String, Long> counts = new java.util.LinkedHashMap<>();
        counts.put("records", records);
        counts.put("records_in_error", recordsInError);
        counts.put("chunks", (long) (chunks - unusedChunks));
        tally.finish(b.toString(), ("evtx " + version.strip()).strip(), counts);
    }

    private void chunk(int index, long fileOffset, int n) {
        String where = "chunk " + index;
        if (allZero(0, n)) {
            unusedChunks++; // Windows allocates chunks before it writes them
            return;
        }
        if (n < CHUNK_SIZE) {
            problem(where, EvidenceProblem.MALFORMED, String.format(Locale.ROOT, "the file ends %,d bytes into this chunk (file offset"
                    + " %,d; a chunk is 65,536 bytes), as when it was cut off: the records before the cut are used", n, fileOffset));
        }
        boolean signature = n >= 8 && ascii(chunk, 0, 8).equals("ElfChnk\0");
        int flags = (int) le(chunk, 120, 4);
        long freeSpace = le(chunk, 48, 4);
        long lastRecord = le(chunk, 32, 8); // the last record identifier (offset 16 is its number, counted from the chunk's first)
        boolean headerOk = signature;
        if (!signature) {
            problem(where, EvidenceProblem.MALFORMED, String.format(Locale.ROOT, "the chunk's signature is damaged (%s, file offset %,d):"
                    + " its header is not trusted; records found in it by their own framing are read", printable(chunk, 0, 8), fileOffset));
            freeSpace = n;
            lastRecord = Long.MAX_VALUE;
        } else if ((flags & FLAG_NO_CRC) == 0) {
            crc.reset();
            crc.update(chunk, 0, 120);
            crc.update(chunk, 128, RECORDS_START - 128);
            if (crc.getValue() != le(chunk, 124, 4)) {
                headerOk = false;
                problem(where, EvidenceProblem.MALFORMED, String.format(Locale.ROOT, "the chunk header's checksum does not match (stored"
                        + " %08x, computed %08x; file offset %,d): names and templates it keeps may be damaged; its records are read one"
                        + " by one", le(chunk, 124, 4), crc.getValue(), fileOffset));
            }
            if (freeSpace >= RECORDS_START && freeSpace <= n) {
                crc.reset();
                crc.update(chunk, RECORDS_START, (int) freeSpace - RECORDS_START);
                if (crc.getValue() != le(chunk, 52, 4)) {
                    problem(where, EvidenceProblem.MALFORMED, String.format(Locale.ROOT, "the checksum of the chunk's records does not"
                            + " match (stored %08x, computed %08x): each record is checked on its own framing, and the ones intact are"
                            + " used", le(chunk, 52, 4), crc.getValue()));
                }
            }
        }
        if (freeSpace < RECORDS_START || freeSpace > CHUNK_SIZE) {
            if (headerOk) {
                problem(where, EvidenceProblem.MALFORMED, "the chunk header names its free space at offset " + freeSpace
                        + ", outside the chunk; records are read as far as they go");
            }
            freeSpace = n;
        }
        records(index, n, (int) freeSpace, lastRecord);
    }

    private void records(int index, int n, int freeSpace, long headerLast) {
        BinXml xml = new BinXml(chunk, n);
        int off = RECORDS_START;
        if (headerLast == Long.MAX_VALUE && framed(off, n, false) < 0) {
            off = nextRecord(off, n); // a chunk whose header is wiped: its records may still follow
            if (off < 0) {
                return;
            }
        }
        long previous = -1;
        int errors = 0;
        long lastError = 0;
        while (off + MIN_RECORD <= n) {
            int size = framed(off, n, true);
            boolean endDamaged = false;
            if (size < 0 && off < freeSpace && (size = framed(off, n, false)) > 0) {
                endDamaged = true; // its size is not repeated at its end: read it, and say so
            }
            if (size < 0) {
                if (off >= freeSpace) {
                    break; // the end of the records
                }
                int next = nextRecord(off + 1, n);
                if (next < 0 && allZero(off, Math.min(n, freeSpace))) {
                    if (headerLast != Long.MAX_VALUE && previous >= 0 && previous < headerLast) {
                        problem("chunk " + index + ", offset " + off, EvidenceProblem.MALFORMED, "zero bytes where the chunk header says"
                                + " records " + (previous + 1) + " to " + headerLast + " are: they are wiped or were never written");
                    }
                    break;
                }
                String what = allZero(off, next < 0 ? Math.min(n, freeSpace) : next) ? "zero bytes" : "bytes that are not an event record"
                        + " (signature 2a 2a 00 00, size, and the size again at its end)";
                problem("chunk " + index + ", offset " + off, EvidenceProblem.MALFORMED, next < 0
                        ? what + " where the chunk header says records are; no record follows in this chunk"
                        : what + " up to offset " + next + ", where the records go on");
                if (next < 0) {
                    break;
                }
                off = next;
                continue;
            }
            long id = le(chunk, off + 8, 8);
            if (off >= freeSpace) {
                if (previous < 0 ? id != le(chunk, 24, 8) : id != previous + 1) {
                    break; // left over from an earlier use of the chunk, not a record of this log
                }
                pastHeader++;
            } else if (id > headerLast) {
                pastHeader++;
            }
            previous = id;
            highestRecord = Math.max(highestRecord, id);
            String locator = "chunk " + index + ", record " + Long.toUnsignedString(id);
            try {
                BinXml.Element event = xml.record(off + RECORD_HEADER, off + size - 4);
                records++;
                event(event, locator);
                if (endDamaged) {
                    problem(locator + " (offset " + off + ")", EvidenceProblem.MALFORMED, "the record's size is not repeated at its"
                            + " end (the log was copied while Windows wrote it, or the end is damaged); its XML reads whole and is used,"
                            + " but values at its end may be missing or zero");
                }
                if (!xml.oddities.isEmpty()) {
                    problem(locator, EvidenceProblem.MALFORMED, String.join("; ", xml.oddities));
                }
            } catch (BinXml.Damaged | RuntimeException e) { // a runtime exception: an offset check missed, damage not foreseen
                recordsInError++;
                if (++errors <= ERRORS_NAMED_PER_CHUNK) {
                    problem(locator + " (offset " + off + ")", EvidenceProblem.MALFORMED, "the record's XML cannot be read: "
                            + (e instanceof BinXml.Damaged ? e.getMessage() : "an unforeseen inconsistency") + "; the record is not used");
                } else {
                    lastError = id;
                }
            }
            off += size;
        }
        if (errors > ERRORS_NAMED_PER_CHUNK) {
            problem("chunk " + index, EvidenceProblem.MALFORMED, (errors - ERRORS_NAMED_PER_CHUNK) + " more records of this chunk, up to"
                    + " record " + Long.toUnsignedString(lastError) + ", cannot be read for the same kind of reason; they are not used");
        }
    }

    /** The size of the record framed at {@code off} (with its size repeated at its end when {@code copy}), or -1 when there is none. */
    private int framed(int off, int n, boolean copy) {
        if (off + MIN_RECORD > n || chunk[off] != 0x2a || chunk[off + 1] != 0x2a || chunk[off + 2] != 0 || chunk[off + 3] != 0) {
            return -1;
        }
        long size = le(chunk, off + 4, 4);
        if (size < MIN_RECORD || off + size > n || copy && le(chunk, (int) (off + size - 4), 4) != size) {
            return -1;
        }
        return (int) size;
    }

    private int nextRecord(int from, int n) {
        for (int i = from; i + MIN_RECORD <= n; i++) {
            if (chunk[i] == 0x2a && framed(i, n, true) > 0) {
                return i;
            }
        }
        return -1;
    }

    /** The event's System fields and data, handed to the tally as an exported event would be. */
    private void event(BinXml.Element event, String locator) {
        BinXml.Element system = event.child("System");
        if (system == null) {
            problem(locator, EvidenceProblem.MALFORMED, "the record holds <" + event.name + "> without a <System> element; not used");
            return;
        }
        BinXml.Element p = system.child("Provider");
        String provider = p == null ? "" : p.attribute("EventSourceName") != null ? p.attribute("EventSourceName")
                : p.attribute("Name") != null ? p.attribute("Name") : "";
        BinXml.Element id = system.child("EventID");
        BinXml.Element computer = system.child("Computer");
        List<String> data = new ArrayList<>();
        BinXml.Element eventData = event.child("EventData");
        if (eventData != null) {
            for (Object c : eventData.children) {
                if (c instanceof BinXml.Element e && e.name.equals("Data")) {
                    data.add(e.text());
                }
            }
        }
        BinXml.Element userData = event.child("UserData");
        if (userData != null) {
            leaves(userData, data, 0);
        }
        BinXml.Element created = system.child("TimeCreated");
        String time = created == null || created.attribute("SystemTime") == null ? "" : created.attribute("SystemTime");
        tally.event(computer == null ? "" : computer.text(), provider, id == null ? "" : id.text(), EventExportReader.joined(data), locator,
                time);
    }

    private static void leaves(BinXml.Element e, List<String> data, int depth) {
        boolean child = false;
        for (Object c : e.children) {
            if (c instanceof BinXml.Element ce) {
                child = true;
                if (depth < 16) {
                    leaves(ce, data, depth + 1);
                }
            }
        }
        if (!child && depth > 0) {
            data.add(e.text());
        }
    }

    private void problem(String locator, EvidenceProblem.Reason reason, String detail) {
        if (++problems > MAX_PROBLEMS) {
            problemsNotListed++;
            return;
        }
        out.problem(new EvidenceProblem(source, locator, reason, detail));
    }

    private boolean allZero(int from, int to) {
        for (int i = from; i < to; i++) {
            if (chunk[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] b, int off, int n) {
        return new String(b, off, Math.min(n, b.length - off), StandardCharsets.ISO_8859_1);
    }

    private static String printable(byte[] b, int off, int n) {
        StringBuilder s = new StringBuilder("bytes");
        for (int i = off; i < off + n && i < b.length; i++) {
            s.append(String.format(Locale.ROOT, " %02x", b[i] & 0xff));
        }
        return s.toString();
    }

    static long le(byte[] b, int off, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (b[off + i] & 0xff);
        }
        return v;
    }
}
