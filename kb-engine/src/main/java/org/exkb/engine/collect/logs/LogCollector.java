package org.exkb.engine.collect.logs;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.exkb.engine.collect.CollectContext;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.collect.EvidenceCollector;
import org.exkb.engine.collect.EvidenceProblem;
import org.exkb.engine.collect.capture.CaptureReader;

/**
 * Server-side logs as administrators hand them over: IIS W3C logs, HTTP.sys error logs, Windows
 * event exports (XML, CSV, text), alone, gzip-compressed, or in a zip archive of several servers'
 * folders. A binary {@code .evtx} is recognised and answered with the command that converts it.
 * The server a web log belongs to comes from {@code s-computername}, else from its folder's name
 * (the folder above {@code W3SVC1} and the like), else from {@code s-ip}.
 */
public final class LogCollector implements EvidenceCollector {
    enum Kind { W3C, HTTPERR, EXCHANGE_CSV, EVENTS_XML, EVENTS_CSV, EVENTS_TEXT, EVTX, ZIP, NONE }

    static final int MAX_ZIP_ENTRIES = 10_000;

    @Override
    public String name() {
        return "server log";
    }

    @Override
    public boolean accepts(Path file, byte[] head) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (CaptureReader.isGzip(head)) {
            return n.matches(".*\\.(log|xml|csv|txt)\\.gz");
        }
        return kind(n, head) != Kind.NONE;
    }

    static Kind kind(String lowerName, byte[] head) {
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4 || lowerName.endsWith(".zip")) {
            return Kind.ZIP;
        }
        if (head.length >= 7 && new String(head, 0, 7, java.nio.charset.StandardCharsets.US_ASCII).equals("ElfFile")
                || lowerName.endsWith(".evtx")) {
            return Kind.EVTX;
        }
        String t = LogText.headText(head).stripLeading();
        String base = lowerName.substring(lowerName.lastIndexOf('/') + 1);
        if (t.startsWith("#Software: Microsoft HTTP API") || base.startsWith("httperr")) {
            return Kind.HTTPERR;
        }
        if (t.startsWith("#Software: Microsoft Exchange Server")) { // Exchange's own logs: comma-separated, other fields
            return Kind.EXCHANGE_CSV;
        }
        if (t.startsWith("#Software:") || t.startsWith("#Fields:") || t.startsWith("#Version:") || base.matches("u_ex\\d+.*\\.log")
                || base.matches("ex\\d{6}.*\\.log")) {
            return Kind.W3C;
        }
        if (t.startsWith("Level,Date and Time,") || base.endsWith(".csv") && EventExportReader.localizedCsvHeader(t)) {
            return Kind.EVENTS_CSV;
        }
        if (t.startsWith("Event[")) {
            return Kind.EVENTS_TEXT;
        }
        if (t.startsWith("<Event") || t.startsWith("<?xml") && t.contains("<Event") || base.endsWith(".xml") && t.startsWith("<")) {
            return Kind.EVENTS_XML;
        }
        return Kind.NONE;
    }

    @Override
    public CollectResult collect(Path file, CollectContext context) {
        CollectResult r = new CollectResult();
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(4);
            byte[] magic = raw.readNBytes(2);
            raw.reset();
            InputStream in = CaptureReader.isGzip(magic) ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
            if (CaptureReader.isGzip(magic)) {
                name = name.substring(0, name.length() - 3);
            }
            read(file.toString(), name, serverFromFolder(file.toAbsolutePath().getParent()), in, r,
                    CaptureReader.isGzip(magic) ? null : file);
        } catch (IOException e) {
            r.problem(new EvidenceProblem(file.toString(), "", EvidenceProblem.UNREADABLE, e.toString()));
        }
        return r;
    }

    /** Reads one log; {@code plain} is the file itself when the bytes are its own (not compressed, not in an archive). */
    private void read(String source, String lowerName, String server, InputStream in, CollectResult r, Path plain) throws IOException {
        in.mark(512);
        byte[] head = in.readNBytes(512);
        in.reset();
        Kind k = kind(lowerName, head);
        java.nio.charset.Charset cs = LogText.charset(head);
        switch (k) {
            case ZIP -> zip(source, server, in, r);
            case EXCHANGE_CSV -> r.problem(new EvidenceProblem(source, "", EvidenceProblem.UNSUPPORTED,
                    "an Exchange server log (" + exchangeLogType(head) + "comma-separated, written by Exchange itself), which this"
                            + " version does not read; the IIS logs of the same servers carry what the rules use: u_ex*.log under"
                            + " C:\\inetpub\\logs\\LogFiles\\W3SVC1 and httperr*.log under C:\\Windows\\System32\\LogFiles\\HTTPERR"));
            case EVTX -> r.problem(new EvidenceProblem(source, "", EvidenceProblem.UNSUPPORTED,
                    "a binary event log (.evtx); export it as XML on a Windows machine and give that file instead: "
                            + "wevtutil qe \"" + source.substring(source.lastIndexOf('/') + 1) + "\" /lf:true /f:xml /e:Events > events.xml"));
            case W3C, HTTPERR -> {
                WebLogReader w = new WebLogReader(source, server, k == Kind.HTTPERR, r).charset(cs.displayName());
                if (!cs.equals(java.nio.charset.StandardCharsets.UTF_8)) {
                    w.read(LogText.reader(in, cs));
                } else if (plain != null) {
                    w.read(plain); // in stretches on several threads when it is large
                } else {
                    w.read(in);
                }
            }
            case EVENTS_XML -> new EventExportReader(source, r).read(LogText.reader(in, cs), EventExportReader.Format.XML);
            case EVENTS_CSV -> new EventExportReader(source, r).read(LogText.reader(in, cs), EventExportReader.Format.CSV);
            case EVENTS_TEXT -> new EventExportReader(source, r).read(LogText.reader(in, cs), EventExportReader.Format.TEXT);
            default -> r.problem(new EvidenceProblem(source, "", EvidenceProblem.UNSUPPORTED,
                    "not a W3C or httperr log, nor an event export (XML, CSV or text); not read"));
        }
    }

    /** "HttpProxy Logs, " from an Exchange log's {@code #Log-type:} line, or empty. */
    static String exchangeLogType(byte[] head) {
        for (String line : LogText.headText(head).split("\r?\n")) {
            if (line.startsWith("#Log-type:")) {
                String type = line.substring(10).strip();
                return type.isEmpty() || type.length() > 60 ? "" : type + ", ";
            }
        }
        return "";
    }

    private void zip(String source, String server, InputStream in, CollectResult r) throws IOException {
        int entries = 0;
        try (ZipInputStream z = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                if (e.isDirectory()) {
                    continue;
                }
                if (++entries > MAX_ZIP_ENTRIES) {
                    r.problem(new EvidenceProblem(source, "", EvidenceProblem.UNSUPPORTED, "more than " + MAX_ZIP_ENTRIES
                            + " entries; the rest is not read"));
                    break;
                }
                String entry = e.getName();
                String lower = entry.toLowerCase(Locale.ROOT);
                String entrySource = source + "!" + entry;
                InputStream body = new BufferedInputStream(new FilterInputStream(z) {
                    @Override
                    public void close() {
                        // the archive stays open for the next entry
                    }
                }, 1 << 16);
                if (lower.endsWith(".gz")) {
                    body = new BufferedInputStream(new GZIPInputStream(body), 1 << 16);
                    lower = lower.substring(0, lower.length() - 3);
                }
                int slash = entry.lastIndexOf('/');
                String folder = slash < 0 ? server : serverFromName(entry.substring(0, slash));
                body.mark(512);
                byte[] head = body.readNBytes(512);
                body.reset();
                if (kind(lower, head) == Kind.NONE) {
                    r.problem(new EvidenceProblem(entrySource, "", EvidenceProblem.UNSUPPORTED,
                            "not a W3C or httperr log, nor an event export; not read"));
                    continue;
                }
                read(entrySource, lower, folder, body, r, null);
            }
        } catch (ZipException e) {
            r.problem(new EvidenceProblem(source, "entry " + (entries + 1), EvidenceProblem.MALFORMED,
                    "the zip archive is damaged here (" + e.getMessage() + "); the entries before it are used"));
        }
    }

    static String serverFromFolder(Path dir) {
        return dir == null ? "" : serverFromName(dir.toString().replace('\\', '/'));
    }

    /**
     * The server a folder names: its last part, skipping IIS's own W3SVC1-style and LogFiles folders.
     * A name that can be a Windows computer name (up to 15 letters, digits and hyphens) is upper-cased,
     * as Windows writes it in s-computername: computer names ignore case, and a folder "cas01" must
     * be the same server as the CAS01 in another file's s-computername.
     */
    static String serverFromName(String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            String p = parts[i];
            if (p.isEmpty() || p.matches("(?i)W3SVC\\d*|HTTPERR|LogFiles|logs?|\\.|evidence|samples?")) {
                continue;
            }
            return p.length() <= 15 && p.matches("[A-Za-z0-9-]+") ? p.toUpperCase(Locale.ROOT) : p;
        }
        return "";
    }
}
