package org.exkb.engine.collect.logs;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.exkb.engine.collect.Archives;
import org.exkb.engine.collect.CollectContext;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.collect.EvidenceCollector;
import org.exkb.engine.model.EvidenceProblem;

/**
 * Server-side logs as administrators hand them over: IIS W3C logs, HTTP.sys error logs, Windows
 * event exports (XML, CSV, text), alone, gzip-compressed, or in a zip archive of several servers'
 * folders, and binary event logs ({@code .evtx}) as Windows writes them.
 * The server a web log belongs to comes from {@code s-computername}, else from its folder's name
 * (the folder above {@code W3SVC1} and the like), else from {@code s-ip}.
 */
public final class LogCollector implements EvidenceCollector {
    enum Kind { W3C, HTTPERR, EXCHANGE_CSV, IIS_OTHER, EVENTS_XML, EVENTS_CSV, EVENTS_TEXT, EVTX, ZIP, NONE }

    /** A line of IIS's own log format (u_in*.log): client, user, M/D/Y date, time, site, ... separated by ", ". */
    private static final java.util.regex.Pattern IIS_FORMAT = java.util.regex.Pattern.compile(
            "[0-9A-Fa-f.:]+, [^,]*, \\d{1,2}/\\d{1,2}/\\d{2,4}, \\d{1,2}:\\d{2}:\\d{2}, .*");

    static final int MAX_ZIP_ENTRIES = 10_000;
    @Override
    public String name() {
        return "server log";
    }

    @Override
    public boolean accepts(Path file, byte[] head) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Archives.isGzip(head)) {
            return n.matches(".*\\.(log|xml|csv|txt|evtx)\\.gz");
        }
        return kind(n, head) != Kind.NONE;
    }

    static Kind kind(String lowerName, byte[] head) {
        if (Archives.isZip(lowerName, head)) {
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
        if (base.matches("u_(in|nc)\\d+.*\\.log") || IIS_FORMAT.matcher(t.lines().findFirst().orElse("")).matches()) {
            return Kind.IIS_OTHER; // IIS's own or NCSA format: no user agent, local times
        }
        if (t.startsWith("#Software:") || t.startsWith("#Fields:") || t.startsWith("#Version:") || base.matches("u_ex\\d+.*\\.log")
                || base.matches("ex\\d{6}.*\\.log")) {
            return Kind.W3C;
        }
        if (t.startsWith("Level,Date and Time,") || t.startsWith("Level\tDate and Time\t")
                || (base.endsWith(".csv") || base.endsWith(".txt")) && EventExportReader.localizedCsvHeader(t)
                || base.endsWith(".csv") && EventExportReader.powershellCsv(t)) {
            return Kind.EVENTS_CSV;
        }
        if (t.startsWith("Event[") || EventExportReader.textEventStart(t.lines().findFirst().orElse(""))) {
            return Kind.EVENTS_TEXT;
        }
        if (t.startsWith("<Event") || t.startsWith("<?xml") && t.contains("<Event") || base.endsWith(".xml") && t.startsWith("<")) {
            return Kind.EVENTS_XML;
        }
        return Kind.NONE;
    }

    @Override
    public CollectResult collect(Path file, CollectContext context) {
        return collect(file, file.toString(), context);
    }

    /** A file reported under another name (a copy of a file on a cluster's storage, named as the original). */
    @Override
    public CollectResult collect(Path file, String source, CollectContext context) {
        CollectResult r = new CollectResult();
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String server = source.equals(file.toString()) ? serverFromFolder(file.toAbsolutePath().getParent()) : serverOf(source);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(4);
            byte[] magic = raw.readNBytes(2);
            raw.reset();
            if (!Archives.isGzip(magic)) {
                read(source, name, server, raw, r, file);
                return r;
            }
            CutOffInput cut = gunzip(source, raw, r);
            if (cut != null) {
                read(source, name.substring(0, name.length() - 3), server, new BufferedInputStream(cut, 1 << 16), r, null);
                cutOff(source, "the gzip data is cut off or damaged here", cut, r);
            }
        } catch (IOException e) {
            r.problem(new EvidenceProblem(source, "", EvidenceProblem.UNREADABLE, e.toString()));
        }
        return r;
    }

    /** The decompressed bytes of a gzip stream, or null (and the problem said) when its header is already broken. */
    private static CutOffInput gunzip(String source, InputStream in, CollectResult r) throws IOException {
        try {
            return new CutOffInput(new GZIPInputStream(in, 1 << 16));
        } catch (java.io.EOFException | ZipException e) {
            r.problem(new EvidenceProblem(source, "byte 0", EvidenceProblem.MALFORMED, "the gzip header is cut off or damaged ("
                    + (e.getMessage() == null ? "the data ends inside it" : e.getMessage()) + "); nothing could be decompressed"));
            return null;
        }
    }

    /** Says where compressed data broke off, if it did ({@code what} happened there); the reader has used everything before. */
    private static void cutOff(String source, String what, CutOffInput cut, CollectResult r) {
        if (cut.damage() != null) {
            r.problem(new EvidenceProblem(source, String.format(Locale.ROOT, "after %,d decompressed bytes", cut.delivered()),
                    EvidenceProblem.MALFORMED, what + " (" + cut.damage() + "); everything before it is used, and a last line cut"
                            + " in two is reported above when it no longer fits its fields"));
        }
    }

    /** Reads one log; {@code plain} is the file itself when the bytes are its own (not compressed, not in an archive). */
    private void read(String source, String lowerName, String server, InputStream in, CollectResult r, Path plain) throws IOException {
        in.mark(512);
        byte[] head = in.readNBytes(512);
        in.reset();
        Kind k = kind(lowerName, head);
        java.nio.charset.Charset cs = LogText.charset(head);
        switch (k) {
            case ZIP -> {
                if (plain != null) {
                    zipFile(plain, source, server, r);
                } else {
                    zip(source, server, in, r, false);
                }
            }
            case IIS_OTHER -> r.problem(new EvidenceProblem(source, "", EvidenceProblem.UNSUPPORTED,
                    "an IIS log in the IIS or NCSA format (u_in*.log, u_nc*.log), which this version does not read: those formats"
                            + " have no user agent and no ActiveSync device fields; set the site's log format to W3C (the default, in IIS"
                            + " Manager > Logging) and give the u_ex*.log files written from then on"));
            case EXCHANGE_CSV -> r.problem(new EvidenceProblem(source, "", EvidenceProblem.UNSUPPORTED,
                    "an Exchange server log (" + exchangeLogType(head) + "comma-separated, written by Exchange itself), which this"
                            + " version does not read; the IIS logs of the same servers carry what the rules use: u_ex*.log under"
                            + " C:\\inetpub\\logs\\LogFiles\\W3SVC1 and httperr*.log under C:\\Windows\\System32\\LogFiles\\HTTPERR"));
            case EVTX -> new EvtxReader(source, new EventExportReader(source, r), r).read(in);
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

    /**
     * A zip archive on disk is read through its directory, so a damaged entry costs only itself; when
     * the directory (at the end) is missing, the file was cut off, and its entries are read in order as
     * far as they go.
     */
    private void zipFile(Path file, String source, String server, CollectResult r) throws IOException {
        java.util.zip.ZipFile zf;
        try {
            zf = new java.util.zip.ZipFile(file.toFile(), Archives.ZIP_NAMES);
        } catch (ZipException e) {
            byte[] start;
            try (InputStream in = Files.newInputStream(file)) {
                start = in.readNBytes(4);
            }
            if (start.length == 0) {
                r.problem(new EvidenceProblem(source, "", EvidenceProblem.EMPTY, "the file is empty"));
                return;
            }
            if (start.length < 4 || start[0] != 'P' || start[1] != 'K' || start[2] != 3 || start[3] != 4) {
                r.problem(new EvidenceProblem(source, "byte 0", EvidenceProblem.MALFORMED, "not a zip archive, though named like"
                        + " one (no zip entry header at its start, no zip directory at its end); not read"));
                return;
            }
            r.problem(new EvidenceProblem(source, "end of file", EvidenceProblem.MALFORMED, "the zip archive's directory is missing or"
                    + " damaged (" + e.getMessage() + "), as when the file was cut off; its entries are read in order as far as they go"));
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                zip(source, server, in, r, true);
            }
            return;
        }
        try (zf) {
            int entries = 0;
            java.util.Enumeration<? extends ZipEntry> all = zf.entries();
            while (all.hasMoreElements()) {
                ZipEntry e = all.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                if (++entries > MAX_ZIP_ENTRIES) {
                    tooMany(source, r);
                    break;
                }
                String entrySource = source + "!" + Archives.zipName(e.getName());
                try (InputStream data = zf.getInputStream(e)) {
                    CutOffInput cut = entry(entrySource, server, Archives.zipName(e.getName()), data, r, true);
                    if (cut.damage() != null) {
                        cutOff(entrySource, "this zip entry alone is cut off or damaged here", cut, r);
                    }
                } catch (ZipException x) {
                    r.problem(new EvidenceProblem(entrySource, "", EvidenceProblem.MALFORMED, "this zip entry cannot be read ("
                            + x.getMessage() + "); the other entries are used"));
                }
            }
        }
    }

    /** A zip archive as a stream (inside another archive or a gzip, or a file without its directory: {@code topLevel}). */
    private void zip(String source, String server, InputStream in, CollectResult r, boolean topLevel) throws IOException {
        int entries = 0;
        try (ZipInputStream z = new ZipInputStream(in, Archives.ZIP_NAMES)) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                if (e.isDirectory()) {
                    continue;
                }
                if (++entries > MAX_ZIP_ENTRIES) {
                    tooMany(source, r);
                    break;
                }
                String entrySource = source + "!" + Archives.zipName(e.getName());
                CutOffInput cut = entry(entrySource, server, Archives.zipName(e.getName()), Archives.entryOf(z), r, topLevel);
                if (cut.damage() != null) {
                    cutOff(entrySource, cut.endedEarly() ? "the zip archive ends inside this entry, so any entries after it are lost"
                            : "this zip entry is damaged here, and a stream cannot find the entries after it", cut, r);
                    return;
                }
            }
        } catch (ZipException | java.io.EOFException e) {
            r.problem(new EvidenceProblem(source, "entry " + (entries + 1), EvidenceProblem.MALFORMED,
                    (e instanceof java.io.EOFException ? "the zip archive ends abruptly here (cut off)" : "the zip archive is damaged here ("
                            + e.getMessage() + ")") + "; the entries before it are used"));
        }
    }

    /**
     * Reads one zip entry's data; answers its decompressed bytes, to see whether they broke off. Entries
     * of a zip file that are not logs ({@code topLevel}) are left to the evidence reader, which takes
     * them out of the archive for the other readers (captures, certificates, case files); inside a
     * nested archive they are reported as not read.
     */
    private CutOffInput entry(String entrySource, String server, String entry, InputStream data, CollectResult r, boolean topLevel)
            throws IOException {
        CutOffInput cut = new CutOffInput(data);
        InputStream body = new BufferedInputStream(cut, 1 << 16);
        String lower = entry.toLowerCase(Locale.ROOT);
        CutOffInput inner = null;
        if (lower.endsWith(".gz")) {
            inner = gunzip(entrySource, body, r);
            if (inner == null) {
                return cut;
            }
            body = new BufferedInputStream(inner, 1 << 16);
            lower = lower.substring(0, lower.length() - 3);
        }
        int slash = entry.lastIndexOf('/');
        String folder = slash < 0 ? server : serverFromName(entry.substring(0, slash));
        body.mark(512);
        byte[] head = body.readNBytes(512);
        body.reset();
        if (kind(lower, head) == Kind.NONE) {
            if (!topLevel || inner != null) {
                r.problem(new EvidenceProblem(entrySource, "", EvidenceProblem.UNSUPPORTED, inner != null
                        ? "not a W3C or httperr log, nor an event export, though named like one; not read"
                        : "not a log, inside an archive inside an archive: not read; extract the inner archive and give its files"));
            }
        } else {
            read(entrySource, lower, folder, body, r, null);
        }
        if (inner != null && cut.damage() == null) {
            cutOff(entrySource, "the gzip data is cut off or damaged here", inner, r);
        }
        return cut;
    }

    private static void tooMany(String source, CollectResult r) {
        r.problem(new EvidenceProblem(source, "", EvidenceProblem.UNSUPPORTED, "more than " + MAX_ZIP_ENTRIES
                + " entries; the rest is not read"));
    }

    /**
     * Logs, event exports and event logs, nested archives: read from inside an archive without being
     * taken out, so a zip of gigabytes of logs is never unpacked.
     */
    @Override
    public boolean streamsFromArchive(String name, byte[] head) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".gz")) {
            return lower.matches(".*\\.(log|xml|csv|txt|evtx)\\.gz");
        }
        return kind(lower, head) != Kind.NONE;
    }

    @Override
    public java.util.List<org.exkb.engine.model.EvidenceKind> kinds() {
        return java.util.List.of(org.exkb.engine.model.EvidenceKind.LOGS, org.exkb.engine.model.EvidenceKind.EVENTS);
    }

    /**
     * The server the folders of a file's reported name give: a path's (made absolute), or a URI's
     * ({@code hdfs://nn/logs/CAS01/W3SVC1/u_ex.log}: CAS01), wherever the bytes were read from.
     */
    static String serverOf(String source) {
        if (org.exkb.engine.collect.EvidenceReader.isUri(source)) {
            try {
                String path = new java.net.URI(source).getPath();
                return path == null ? "" : serverFromName(path.substring(0, Math.max(0, path.lastIndexOf('/'))));
            } catch (java.net.URISyntaxException e) {
                return "";
            }
        }
        return serverFromFolder(Path.of(source).toAbsolutePath().getParent());
    }

    static String serverFromFolder(Path dir) {
        return dir == null ? "" : serverFromName(dir.toString().replace('\\', '/'));
    }

    /**
     * The server a folder names: its last part, skipping IIS's own W3SVC1-style and LogFiles folders.
     * A name that can be a Windows computer name (up to 15 letters, digits and hyphens) is upper-cased,
     * as Windows writes it in s-computername: computer names ignore case, and a folder "cas01" must
     * be the same server as the CAS01 in another file's s-computername. A folder named with the
     * computer's DNS name (cas01.contoso.com) is that computer too.
     */
    static String serverFromName(String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            String p = parts[i];
            if (p.isEmpty() || p.matches("(?i)W3SVC\\d*|HTTPERR|LogFiles|logs?|\\.|evidence|samples?")) {
                continue;
            }
            if (p.matches("[A-Za-z0-9-]{1,15}(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}")) {
                p = p.substring(0, p.indexOf('.')); // cas01.contoso.com: the computer's DNS name
            }
            return p.length() <= 15 && p.matches("[A-Za-z0-9-]+") ? p.toUpperCase(Locale.ROOT) : p;
        }
        return "";
    }
}
