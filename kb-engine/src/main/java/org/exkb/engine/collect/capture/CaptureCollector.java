package org.exkb.engine.collect.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.exkb.engine.collect.CollectContext;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.collect.EvidenceCollector;
import org.exkb.engine.collect.tls.TlsConversation;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.wire.WireException;

/**
 * Reads a packet capture (pcap or pcapng, optionally gzip-compressed) end to end in one streaming
 * pass: frames, TCP connections, TLS conversations, then the connection table and grouped facts.
 * Memory holds only open connections (bounded by {@link TcpReassembler}). Never throws: a damaged
 * file yields everything before the damage plus a problem naming the frame and the offset.
 */
public final class CaptureCollector implements EvidenceCollector {
    private static final int MAX_FRAME_PROBLEMS = 20;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    @Override
    public java.util.List<org.exkb.engine.model.EvidenceKind> kinds() {
        return java.util.List.of(org.exkb.engine.model.EvidenceKind.CAPTURE);
    }

    @Override
    public String name() {
        return "packet capture";
    }

    @Override
    public boolean accepts(Path file, byte[] head) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.matches(".*\\.(pcap|pcapng|cap|ntar|etl|matp)(\\.gz)?")) { // .etl and .matp: answered with how to convert them
            return true;
        }
        if (CaptureReader.looksLikeCapture(head)) {
            return true;
        }
        if (org.exkb.engine.collect.Archives.isGzip(head)) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                return CaptureReader.looksLikeCapture(in.readNBytes(4));
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
        return false;
    }

    @Override
    public CollectResult collect(Path file, CollectContext context) {
        return collect(file, file.toString(), context);
    }

    @Override
    public CollectResult collect(Path file, String source, CollectContext context) {
        org.exkb.engine.collect.tls.TrustAnchors.preload(); // read while the capture is, for the chain checks
        CollectResult r = new CollectResult();
        CaptureReader reader = open(file, source, r);
        if (reader == null) {
            return r;
        }
        HandshakeSummaries summaries = new HandshakeSummaries(source, context.trust());
        TcpReassembler tcp = reassembler(summaries);
        Tally t = readFrames(reader, tcp, source, r);
        tcp.end();
        report(reader, tcp, summaries, t, source, r);
        return r;
    }

    /** The reader of a capture file, or null with the reason in {@code r} (empty, missing, a Windows trace, not a capture). */
    private static CaptureReader open(Path file, String source, CollectResult r) {
        try {
            if (Files.size(file) == 0) {
                r.problem(new EvidenceProblem(source, "", EvidenceProblem.EMPTY, "the capture file is empty (0 bytes)"));
                return null;
            }
        } catch (NoSuchFileException e) {
            r.problem(new EvidenceProblem(source, "", EvidenceProblem.UNREADABLE, "no such file"));
            return null;
        } catch (IOException e) {
            r.problem(new EvidenceProblem(source, "", EvidenceProblem.UNREADABLE, e.toString()));
            return null;
        }
        String other = windowsTrace(file);
        if (other != null) {
            r.problem(new EvidenceProblem(source, "", EvidenceProblem.UNSUPPORTED, other));
            return null;
        }
        try {
            return CaptureReader.open(file);
        } catch (WireException e) {
            r.problem(new EvidenceProblem(source, "offset 0x" + Long.toHexString(e.offset()), EvidenceProblem.UNSUPPORTED,
                    "not a packet capture this reader knows: " + e.getMessage()));
            return null;
        } catch (java.io.EOFException | java.util.zip.ZipException e) { // only a gzip stream ends or breaks inside the header
            r.problem(new EvidenceProblem(source, "byte 0", EvidenceProblem.MALFORMED, "the gzip data is cut off or damaged before"
                    + " the capture's first frame (" + (e instanceof java.io.EOFException ? "the compressed data ends before its end mark"
                    : e.getMessage()) + "); nothing could be read"));
            return null;
        } catch (IOException | RuntimeException e) {
            r.problem(new EvidenceProblem(source, "", EvidenceProblem.UNREADABLE, e.toString()));
            return null;
        }
    }

    /** Each connection's bytes to its TLS conversation; a closed connection summarised. */
    private static TcpReassembler reassembler(HandshakeSummaries summaries) {
        return new TcpReassembler(new TcpReassembler.Listener() {
            @Override
            public void data(TcpReassembler.Connection c, boolean fromClient, long frame, long nanos, byte[] bytes, int offset, int length) {
                conversation(c).data(fromClient, frame, nanos, bytes, offset, length);
            }

            @Override
            public void gap(TcpReassembler.Connection c, boolean fromClient, long frame, long missing) {
                conversation(c).gap(fromClient, frame, missing);
            }

            @Override
            public void closed(TcpReassembler.Connection c) {
                summaries.add(c, c.conversation);
                c.conversation = null; // reported once: later data goes to a conversation of its own (see conversation)
            }
        });
    }

    /** What reading the frames counted, for the summary line and the notes. */
    private static final class Tally {
        final Map<String, long[]> skipped = new TreeMap<>(); // reason -> {count, first frame}
        long frames;
        long badFrames;
        long cut;
        long firstCut;
        long first;
        long last;
        String stoppedAt;
    }

    /** The frame loop: every frame decoded, TCP segments to the reassembler, damage and stops said where they are. */
    private static Tally readFrames(CaptureReader reader, TcpReassembler tcp, String source, CollectResult r) {
        Tally t = new Tally();
        try (reader; DecodingReader decoded = new DecodingReader(reader)) {
            for (DecodingReader.Decoded f; (f = decoded.next()) != null; ) {
                t.frames++;
                if (f.truncated() && t.cut++ == 0) {
                    t.firstCut = f.number();
                }
                if (t.first == 0) {
                    t.first = f.epochNanos();
                }
                t.last = Math.max(t.last, f.epochNanos());
                PacketDecoder.Result d = f.result();
                if (d.segment() != null) {
                    tcp.add(d.segment());
                } else if (d.malformed() != null) {
                    if (++t.badFrames <= MAX_FRAME_PROBLEMS) {
                        r.problem(new EvidenceProblem(source, "frame " + f.number(), EvidenceProblem.MALFORMED, d.malformed()));
                    }
                } else {
                    long number = f.number();
                    t.skipped.computeIfAbsent(d.skipped(), k -> new long[] {0, number})[0]++;
                }
            }
            for (String[] note : reader.notes()) {
                r.problem(new EvidenceProblem(source, note[0], EvidenceProblem.MALFORMED, note[1]));
            }
            for (DecodingReader.Damage d : decoded.damage()) {
                CaptureReader.Recovery rec = d.recovery();
                r.problem(new EvidenceProblem(source, "frame " + d.frame() + ", offset 0x" + Long.toHexString(rec.damagedAt()),
                        EvidenceProblem.MALFORMED, "damaged: " + d.what() + (rec.skipped() == 0
                                ? "; that record is passed over and reading goes on with the next"
                                : String.format(Locale.ROOT, "; reading goes on %,d bytes further, at offset 0x%x, where records are"
                                        + " consistent again (frames are numbered on from here)", rec.skipped(), rec.resumedAt()))));
            }
            Exception e = decoded.failure();
            if (e != null) {
                t.stoppedAt = e.getMessage();
                boolean gzipCut = reader.compressed() && (e instanceof java.io.EOFException || e instanceof java.util.zip.ZipException);
                boolean damaged = e instanceof WireException || gzipCut;
                r.problem(new EvidenceProblem(source, "frame " + (decoded.framesRead() + 1),
                        damaged ? EvidenceProblem.MALFORMED : EvidenceProblem.UNREADABLE,
                        (gzipCut ? "the gzip data is cut off or damaged here (" + (e instanceof java.io.EOFException
                                ? "the compressed data ends before its end mark" : e.getMessage()) + ")"
                                : damaged ? "the capture stops being readable here: " + e.getMessage()
                                + (decoded.damage().size() >= DecodingReader.MAX_DAMAGE ? " (after " + DecodingReader.MAX_DAMAGE
                                        + " damaged places read past, reading gives up)" : "") : "reading stopped: " + e)
                                + "; the " + decoded.framesRead() + " frames before it were used"));
            }
        } catch (IOException e) {
            r.problem(new EvidenceProblem(source, "", EvidenceProblem.UNREADABLE, "closing the file: " + e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.problem(new EvidenceProblem(source, "frame " + (t.frames + 1), EvidenceProblem.UNREADABLE,
                    "interrupted; the " + t.frames + " frames before it were used"));
        }
        return t;
    }

    /** The summary line, what was not used, and the problems only the whole file shows. */
    private static void report(CaptureReader reader, TcpReassembler tcp, HandshakeSummaries summaries, Tally t, String source,
            CollectResult r) {
        if (t.badFrames > MAX_FRAME_PROBLEMS) {
            r.problem(new EvidenceProblem(source, "", EvidenceProblem.MALFORMED,
                    (t.badFrames - MAX_FRAME_PROBLEMS) + " more undecodable frames after the " + MAX_FRAME_PROBLEMS + " listed"));
        }
        if (t.frames == 0 && t.stoppedAt == null) {
            r.problem(new EvidenceProblem(source, "", EvidenceProblem.EMPTY, "the capture holds no frames"));
        }
        StringBuilder line = new StringBuilder(source).append(": ").append(reader.formatName())
                .append(reader.compressed() ? " (gzip)" : "").append(", ").append(t.frames).append(" frames");
        if (t.frames > 0) {
            line.append(" from ").append(TIME.format(Instant.ofEpochSecond(0, t.first))).append(" to ")
                    .append(TIME.format(Instant.ofEpochSecond(0, t.last))).append(' ').append(reader.timeZone());
        }
        line.append(", ").append(summaries.connections()).append(" TCP connections");
        if (!summaries.outcomes().isEmpty()) {
            line.append(" (");
            summaries.outcomes().forEach((k, v) -> line.append(v).append(' ').append(k).append(", "));
            line.setLength(line.length() - 2);
            line.append(')');
        }
        if (tcp.evictions() > 0) {
            line.append("; ").append(tcp.evictions()).append(" connections evicted beyond ")
                    .append(TcpReassembler.MAX_CONNECTIONS).append(" open at once");
        }
        r.examined(line.toString());
        r.read(new org.exkb.engine.model.ReadSummary(source, org.exkb.engine.model.EvidenceKind.CAPTURE, reader.formatName(),
                new java.util.LinkedHashMap<>(java.util.Map.of("frames", t.frames)) {{
                    put("connections", summaries.connections());
                }}));
        for (String remark : reader.remarks()) {
            r.examined(source + ": " + remark);
        }
        if (t.cut > 0) {
            r.examined(source + ": " + t.cut + " frame(s) were cut by the capture's snap length (first: frame " + t.firstCut
                    + "); what lay beyond the cut is unknown, not absent - capture again with a snap length of 0 (tcpdump -s 0)");
        }
        summaries.into(r);
        t.skipped.forEach((why, s) -> {
            if (why.startsWith("link type ")) { // frames nobody here can read: evidence not used, so a problem, not a note
                r.problem(new EvidenceProblem(source, "frame " + s[1], EvidenceProblem.UNSUPPORTED, s[0] + " frame(s) in " + why
                        + ": their content is not read; convert the capture to Ethernet or pcapng from the same interface, or capture"
                        + " on an Ethernet interface"));
            } else {
                r.examined(source + ": " + s[0] + " frame(s) not used: " + why + " (first: frame " + s[1] + ")");
            }
        });
        if (t.frames > 0 && summaries.connections() == 0 && r.problems().isEmpty()) {
            String firstWhy = t.skipped.isEmpty() ? "" : t.skipped.keySet().iterator().next();
            r.problem(new EvidenceProblem(source, "", EvidenceProblem.UNSUPPORTED, "no TCP connection could be read in its " + t.frames
                    + " frame(s)" + (firstWhy.isEmpty() ? "" : " (" + firstWhy + ")") + ": nothing in it was used"));
        }
    }

    /**
     * What to do with the traces Windows tools write that are not read here: an ETW trace from {@code netsh trace} or {@code pktmon} (.etl), a
     * Message Analyzer session (.matp). Null for anything else.
     */
    static String windowsTrace(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        } catch (IOException e) {
            return null;
        }
        if (n.endsWith(".etl")) {
            return "an ETW trace (netsh trace or pktmon), which this reader does not read; on Windows 10 1809 / Server 2019 or"
                    + " later convert it with `pktmon etl2pcap " + file.getFileName() + " --out trace.pcapng` and give that file"
                    + " (a netsh trace started with capture=yes holds the packets)";
        }
        if (n.endsWith(".matp")) {
            return "a Message Analyzer session, which this reader does not read; in Message Analyzer save the messages as a"
                    + " .cap or .pcapng file and give that file";
        }
        return null;
    }

    private static TlsConversation conversation(TcpReassembler.Connection c) {
        if (c.conversation != null) {
            return c.conversation;
        }
        TlsConversation t = new TlsConversation();
        if (!c.reported) {
            c.conversation = t;
        }
        return t; // data after a reset is followed into a throw-away conversation, never reported twice
    }
}
