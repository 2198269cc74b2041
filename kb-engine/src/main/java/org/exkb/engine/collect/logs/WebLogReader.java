package org.exkb.engine.collect.logs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.model.EvidenceProblem;

/**
 * IIS W3C logs ({@code u_ex*.log}) and HTTP.sys error logs ({@code httperr*.log}): the W3C extended
 * format, where a {@code #Fields:} directive names the columns of the lines after it (any order,
 * any set; it may change mid-file, and header blocks repeat after a restart). Streams the bytes and
 * keeps only aggregates: ActiveSync requests per server, command and status; devices per client
 * address; Ping durations per heartbeat; httperr entries per reason and application pool.
 *
 * <p>A line whose value count does not match the {@code #Fields} in effect is reported and skipped,
 * never shifted; NUL padding (what a crash leaves) is skipped up to the next header; an httperr
 * file without {@code #Fields} is read with the HTTP API's default field list, and the output says so.
 *
 * <p>Speed: lines are read in the bytes they arrived in ({@link WebLogPart}). A large plain file is
 * cut at line ends into one stretch per processor, read on its own thread and joined in order. A
 * stretch after the first starts by assuming the file's first {@code #Fields} header is in effect
 * and no NUL padding is under way; when the stretch before it ends otherwise, it is read again with
 * the right state, so the result is always that of reading the file from start to end (the test
 * WebLogReaderAgreementTest holds it to the first, line-and-String reader).
 */
final class WebLogReader {
    /** HTTP.sys's default error-log fields (HTTP Server API, "Format of the HTTP Server API Error Logs"). */
    static final List<String> HTTPERR_DEFAULT = List.of("date", "time", "c-ip", "c-port", "s-ip", "s-port", "cs-version",
            "cs-method", "cs-uri", "sc-status", "s-siteid", "s-reason", "s-queuename");
    /**
     * The layouts HTTP.sys has written: the original one, then (Windows Server 2016 on, HTTP/2)
     * with {@code streamid} after the URL, then (Windows Server 2022, HTTP/3) also with
     * {@code streamid_ex} and a closing {@code transport}.
     */
    static final List<List<String>> HTTPERR_DEFAULTS = List.of(HTTPERR_DEFAULT,
            List.of("date", "time", "c-ip", "c-port", "s-ip", "s-port", "cs-version", "cs-method", "cs-uri", "streamid",
                    "sc-status", "s-siteid", "s-reason", "s-queuename"),
            List.of("date", "time", "c-ip", "c-port", "s-ip", "s-port", "cs-version", "cs-method", "cs-uri", "streamid",
                    "streamid_ex", "sc-status", "s-siteid", "s-reason", "s-queuename", "transport"));

    /**
     * IIS's default W3C field sets, by the version that introduced them: IIS 6.0 (13 fields), IIS 7.0
     * and 7.5 (time-taken added: 14), IIS 8.5 and 10 (cs(Referer) added: 15). Their counts differ, so a
     * line's value count names at most one; the values must then have the shapes of those fields.
     */
    static final List<String> W3C_IIS6 = List.of("date", "time", "s-ip", "cs-method", "cs-uri-stem", "cs-uri-query", "s-port",
            "cs-username", "c-ip", "cs(User-Agent)", "sc-status", "sc-substatus", "sc-win32-status");
    static final List<String> W3C_IIS75 = List.of("date", "time", "s-ip", "cs-method", "cs-uri-stem", "cs-uri-query", "s-port",
            "cs-username", "c-ip", "cs(User-Agent)", "sc-status", "sc-substatus", "sc-win32-status", "time-taken");
    static final List<String> W3C_IIS10 = List.of("date", "time", "s-ip", "cs-method", "cs-uri-stem", "cs-uri-query", "s-port",
            "cs-username", "c-ip", "cs(User-Agent)", "cs(Referer)", "sc-status", "sc-substatus", "sc-win32-status", "time-taken");

    /** A W3C layout assumed for lines without a {@code #Fields} header: its name and fields. */
    record Assumed(String name, List<String> fields) {
    }

    /**
     * The IIS default W3C layout that the values of a line without {@code #Fields} fit, or null with
     * {@code why[0]} saying why none does. Each value must have its field's shape (a date, a time, an
     * address, a method, a path, a port, a status).
     */
    static Assumed w3cDefault(List<String> values, String[] why) {
        List<Assumed> fit = new java.util.ArrayList<>();
        for (Assumed a : List.of(new Assumed("IIS 6.0", W3C_IIS6), new Assumed("IIS 7.0/7.5", W3C_IIS75),
                new Assumed("IIS 8.5/10", W3C_IIS10))) {
            if (a.fields().size() == values.size() && shapes(a.fields(), values)) {
                fit.add(a);
            }
        }
        if (fit.size() == 1) {
            return fit.get(0);
        }
        why[0] = fit.isEmpty()
                ? "no #Fields header, and the " + values.size() + " values of the line fit none of IIS's default layouts (13, 14 or 15 fields:"
                + " IIS 6.0, 7.0/7.5, 8.5/10); add the site's #Fields line from the log's start"
                : "no #Fields header, and the line fits more than one default layout; add the site's #Fields line from the log's start";
        return null;
    }

    private static boolean shapes(List<String> fields, List<String> values) {
        for (int i = 0; i < fields.size(); i++) {
            String v = values.get(i);
            boolean ok = switch (fields.get(i)) {
                case "date" -> v.matches("\\d{4}-\\d{2}-\\d{2}");
                case "time" -> v.matches("\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?");
                case "s-ip", "c-ip" -> v.matches("[0-9a-fA-F.:%]+") && (v.contains(".") || v.contains(":"));
                case "cs-method" -> v.matches("[A-Z_-]{2,32}");
                case "cs-uri-stem" -> v.startsWith("/") || v.equals("*");
                case "s-port" -> v.matches("\\d{1,5}");
                case "sc-status" -> v.matches("\\d{3}");
                case "sc-substatus", "sc-win32-status", "time-taken" -> v.matches("\\d+");
                default -> true;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** For an httperr file without {@code #Fields}: the default layout with as many fields as the first line has values (else the original). */
    static List<String> httperrDefault(int values) {
        for (List<String> d : HTTPERR_DEFAULTS) {
            if (d.size() == values) {
                return d;
            }
        }
        return HTTPERR_DEFAULT;
    }
    static final int MAX_PROBLEM_LINES = 10;
    static final int MAX_KEYS = 100_000;
    static final int MAX_DEVICES_PER_ADDRESS = 5_000;
    static final int MAX_DEVICES = 500_000;
    /** Files smaller than two of these are read on one thread. */
    static final long MIN_PART = 16L << 20;

    private final String source;
    private final String folderServer;
    private final boolean httperr;
    private final CollectResult out;
    private String charset = "UTF-8";
    private int threads = Math.min(16, Runtime.getRuntime().availableProcessors());
    private long minPart = MIN_PART;
    private final AtomicBoolean cancel = new AtomicBoolean();

    /** Where bytes come from: an InputStream's read, or a stretch of a file. */
    private interface Source {
        int read(byte[] b, int off, int len) throws IOException;
    }

    WebLogReader(String source, String folderServer, boolean httperr, CollectResult out) {
        this.source = source;
        this.folderServer = folderServer;
        this.httperr = httperr;
        this.out = out;
    }

    WebLogReader charset(String name) {
        charset = name;
        return this;
    }

    /** How many threads a large file may be read on, and the smallest stretch worth one (tests use tiny ones). */
    WebLogReader parallel(int threads, long minPart) {
        this.threads = threads;
        this.minPart = minPart;
        return this;
    }

    /** UTF-8 bytes (a byte-order mark is skipped), on this thread. */
    void read(InputStream in) throws IOException {
        WebLogPart p = part(null, false);
        pump(in::read, p, true, WebLogPart.MAX_LINE);
        finish(List.of(p));
    }

    /** Text a decoder made (UTF-16 logs): its lines, encoded as UTF-8 again for the same byte-level reading. */
    void read(BufferedReader in) throws IOException {
        WebLogPart p = part(null, false);
        String line;
        while ((line = in.readLine()) != null) {
            byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
            p.scan(b, 0, b.length, false);
        }
        finish(List.of(p));
    }

    /** A plain UTF-8 file; a large one in stretches on several threads. */
    void read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            read(LogStretches.of(ch));
        }
    }

    /**
     * A plain UTF-8 file read at positions: a large one in stretches on several threads, and one
     * that holds several days in a part per day (see {@link #dayCuts}), each day's aggregates a
     * partial of their own.
     */
    void read(LogStretches.Positioned file) throws IOException {
        long size = file.size();
        List<Long> days = dayCuts(file, size);
        boolean split = !httperr && size >= 2 * minPart && threads >= 2;
        WebLogPart.Fields guess = split || !days.isEmpty() ? firstFields(file, size) : null;
        List<Long> bounds = withCuts(split && guess != null ? bounds(file, size, (int) Math.min(threads, size / minPart))
                : List.of(0L, size), days);
        int n = bounds.size() - 1;
        if (n == 1) {
            finish(List.of(stretch(file, 0, size, null, false)));
            return;
        }
        // the parts are read on the reader's threads, at most a window of them ahead of the join, and
        // joined here in file order as they come, each dropped once added: memory holds a few parts, not a month's
        List<Long> at = bounds;
        WebLogPart[] read = new WebLogPart[n];
        Throwable[] failed = new Throwable[1]; // what stopped a reader thread: said here, never waited on forever
        int[] state = {0, 0}; // the next part to read, the parts joined (guarded by read)
        int window = 2 * Math.max(1, threads);
        Runnable work = () -> {
            while (true) {
                int i;
                synchronized (read) {
                    while (state[0] < n && state[0] >= state[1] + window && !cancel.get()) {
                        try {
                            read.wait();
                        } catch (InterruptedException e) {
                            cancel.set(true);
                        }
                    }
                    if (state[0] >= n || cancel.get()) {
                        return;
                    }
                    i = state[0]++;
                }
                try {
                    WebLogPart p = stretch(file, at.get(i), at.get(i + 1), i == 0 ? null : guess, false);
                    synchronized (read) {
                        read[i] = p;
                        read.notifyAll();
                    }
                } catch (IOException | RuntimeException | Error e) {
                    synchronized (read) {
                        failed[0] = failed[0] == null ? e : failed[0];
                        cancel.set(true);
                        read.notifyAll();
                    }
                    return;
                }
            }
        };
        List<Thread> workers = new ArrayList<>();
        for (int k = 0; k < Math.max(1, Math.min(threads, n)); k++) {
            Thread t = new Thread(work, "log-reader-" + k);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
        Join j = new Join();
        try {
            for (int k = 0; k < n; k++) {
                WebLogPart p;
                synchronized (read) {
                    while (read[k] == null && failed[0] == null && !cancel.get()) {
                        read.wait();
                    }
                    if (failed[0] instanceof IOException e) {
                        throw e;
                    }
                    if (failed[0] instanceof RuntimeException e) {
                        throw e;
                    }
                    if (failed[0] instanceof Error e) {
                        throw e;
                    }
                    if (read[k] == null) {
                        throw new InterruptedIOException("reading " + source + " was cancelled");
                    }
                    p = read[k];
                    read[k] = null;
                }
                j.addRead(file, at.get(k), at.get(k + 1), p, days.contains(at.get(k)));
                synchronized (read) {
                    state[1] = k + 1;
                    read.notifyAll();
                }
            }
        } catch (InterruptedException e) {
            cancel.set(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("reading " + source + " was cancelled");
        } finally {
            synchronized (read) {
                if (state[1] < n) {
                    cancel.set(true);
                }
                read.notifyAll();
            }
            join(workers);
        }
        j.done();
    }

    /**
     * Whether a part read on a guess (the {@code #Fields} of the file's start, no NUL padding under
     * way) started in the state the part before it ended in; where not, it is read again from that
     * state, so the result is always that of reading the file from its start.
     */
    static boolean startsRight(WebLogPart.Fields endFields, boolean endNul, WebLogPart p) {
        return endFields != null && p.startFields != null && p.startFields.names.equals(endFields.names) && endNul == p.startInNul;
    }

    /** The bounds with the cuts added (sorted, each once). */
    static List<Long> withCuts(List<Long> bounds, List<Long> cuts) {
        if (cuts.isEmpty()) {
            return bounds;
        }
        java.util.TreeSet<Long> all = new java.util.TreeSet<>(bounds);
        long size = bounds.get(bounds.size() - 1);
        cuts.stream().filter(c -> c > 0 && c < size).forEach(all::add);
        return List.copyOf(all);
    }

    /** A data line's start and its date (yyyy-mm-dd). */
    record Dated(long at, String date) {
    }

    /** The bytes read at a time when looking for the days of a file. */
    private static final int PROBE = 1 << 14;
    /** Days told apart within one file at most (a year and a month, as the day-by-day view). */
    static final int MAX_DAY_CUTS = 400;

    /**
     * Where the days of a file begin: the start of the first line of each day after the first. IIS
     * and HTTP.sys write lines in time order, so the days are found by bisection on the dates of
     * the lines (a few small reads a day; a file of one day costs two). The stretches between these
     * cuts are read as parts of their own and give a partial each, so that a log rolled over weekly,
     * monthly or by size still shows in the day-by-day view. Where lines are out of order a cut can
     * fall elsewhere: the parts are still joined exactly as the file reads from its start, and a part
     * whose lines span two days stays out of the day-by-day view only.
     */
    static List<Long> dayCuts(LogStretches.Positioned file, long size) throws IOException {
        List<Long> cuts = new ArrayList<>();
        Dated first = dated(file, 0, size, true);
        Dated last = dated(file, Math.max(0, size - PROBE), size, false);
        for (long back = 2L * PROBE; last == null && back <= (1 << 20) && back - PROBE < size; back *= 2) {
            last = dated(file, Math.max(0, size - back), size, false);
        }
        if (first != null && last != null && first.at() < last.at() && !first.date().equals(last.date())) {
            bisect(file, first, last, cuts);
        }
        return cuts;
    }

    /** Adds the cuts between two dated lines of different days, in order. */
    private static void bisect(LogStretches.Positioned file, Dated lo, Dated hi, List<Long> cuts) throws IOException {
        if (cuts.size() >= MAX_DAY_CUTS) {
            return;
        }
        if (hi.at() - lo.at() > PROBE) {
            Dated mid = dated(file, lo.at() + (hi.at() - lo.at()) / 2, hi.at(), true);
            if (mid != null && mid.at() > lo.at() && mid.at() < hi.at()) {
                if (!mid.date().equals(lo.date())) {
                    bisect(file, lo, mid, cuts);
                }
                if (!mid.date().equals(hi.date())) {
                    bisect(file, mid, hi, cuts);
                }
                return;
            }
            cuts.add(hi.at()); // no dated line between them (a long run of damage): the day begins at the latest here
            return;
        }
        byte[] b = new byte[(int) (hi.at() - lo.at())];
        int n = LogStretches.readFully(file, lo.at(), b);
        String day = lo.date();
        for (int s = 0; s < n; ) {
            int e = lineEnd(b, s, n);
            String d = date(b, s, e);
            if (d != null && !d.equals(day)) {
                cuts.add(lo.at() + s);
                day = d;
            }
            s = e + 1;
        }
        if (!hi.date().equals(day)) {
            cuts.add(hi.at());
        }
    }

    /**
     * The first (or, with {@code first} false, the last) data line with a date that starts at or
     * after {@code from} and before {@code to} (a line that starts before {@code from} is not one),
     * looked for in at most 1 MiB; null when there is none.
     */
    static Dated dated(LogStretches.Positioned file, long from, long to, boolean first) throws IOException {
        long pos = from == 0 ? 0 : from - 1; // from the byte before: whether a line starts at from
        boolean inLine = from > 0;            // the bytes up to the first line end belong to a line begun before
        long limit = Math.min(to, pos + (1 << 20));
        byte[] w = new byte[PROBE];
        Dated found = null;
        while (pos < limit) {
            int n = LogStretches.readFully(file, pos, w, (int) Math.min(w.length, limit - pos));
            if (n <= 0) {
                break;
            }
            int s = 0;
            if (inLine) {
                s = lineStartAfter(w, 0, n);
                if (s < 0) {
                    pos += n;
                    continue;
                }
                inLine = false;
            }
            int done = s;
            while (s < n) {
                int e = lineEnd(w, s, n);
                if (e == n && pos + n < limit) {
                    break; // the line goes on in the next window
                }
                if (pos + s >= to) {
                    return found;
                }
                String d = date(w, s, e);
                if (d != null) {
                    found = new Dated(pos + s, d);
                    if (first) {
                        return found;
                    }
                }
                s = e + 1;
                done = Math.min(s, n);
            }
            if (done == 0) { // a line longer than the window: not a W3C line; on to the next
                inLine = true;
                done = n;
            }
            pos += done;
        }
        return found;
    }

    /** Where the line starting at {@code s} ends (its CR or LF), or {@code n}. */
    private static int lineEnd(byte[] b, int s, int n) {
        for (int i = s; i < n; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                return i;
            }
        }
        return n;
    }

    /** The first line start after a line end at or after {@code from}, or -1. */
    private static int lineStartAfter(byte[] b, int from, int n) {
        for (int i = from; i < n; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    /** The date of a data line {@code b[s, e)}: its first value shaped yyyy-mm-dd; null for a directive, an empty line or none. */
    private static String date(byte[] b, int s, int e) {
        if (s >= e || b[s] == '#') {
            return null;
        }
        for (int t = s; t < e; ) {
            int u = t;
            while (u < e && b[u] != ' ') {
                u++;
            }
            if (u - t == 10 && digits(b, t, 4) && b[t + 4] == '-' && digits(b, t + 5, 2) && b[t + 7] == '-' && digits(b, t + 8, 2)) {
                return new String(b, t, 10, StandardCharsets.US_ASCII);
            }
            t = u + 1;
        }
        return null;
    }

    private static boolean digits(byte[] b, int at, int n) {
        for (int i = at; i < at + n; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * The stretch {@code [from, to)} of a file, read from the state given (the file's start when
     * {@code from} is 0: a byte-order mark is skipped there).
     */
    WebLogPart stretch(LogStretches.Positioned file, long from, long to, WebLogPart.Fields fields, boolean inNul) throws IOException {
        WebLogPart p = part(fields, inNul);
        pump(range(file, from, to), p, from == 0, buffer(to - from));
        return p;
    }

    private WebLogPart part(WebLogPart.Fields fields, boolean inNul) {
        return new WebLogPart(httperr, folderServer, charset, fields, inNul);
    }

    private void join(List<Thread> workers) throws InterruptedIOException {
        boolean interrupted = false;
        for (Thread t : workers) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                    cancel.set(true);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("reading " + source + " was cancelled");
        }
    }

    /**
     * The buffer for a stretch of {@code length} bytes: the whole stretch when it is smaller than
     * the longest line read (a folder of many small logs must not cost a megabyte apiece), else that.
     */
    private static int buffer(long length) {
        return (int) Math.min(WebLogPart.MAX_LINE, Math.max(4096, length + 1));
    }

    /** Feeds a part with everything its source has, a buffer of {@code size} bytes at a time (all of a line must fit unless it is longer than MAX_LINE). */
    private void pump(Source in, WebLogPart p, boolean bom, int size) throws IOException {
        byte[] buf = new byte[size];
        int len = 0;
        boolean end = false;
        boolean start = bom;
        while (!end) {
            if (cancel.get() || Thread.currentThread().isInterrupted()) {
                cancel.set(true);
                throw new InterruptedIOException("reading " + source + " was cancelled");
            }
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                end = true;
            } else {
                len += n;
            }
            if (start) {
                if (len < 3 && !end) {
                    continue;
                }
                start = false;
                if (len >= 3 && buf[0] == (byte) 0xef && buf[1] == (byte) 0xbb && buf[2] == (byte) 0xbf) {
                    System.arraycopy(buf, 3, buf, 0, len - 3);
                    len -= 3;
                }
            }
            int used = p.scan(buf, 0, len, end);
            if (used == 0 && len == buf.length) {
                len = p.overlong(buf, len);
                continue;
            }
            System.arraycopy(buf, used, buf, 0, len - used);
            len -= used;
        }
    }

    private static Source range(LogStretches.Positioned file, long from, long to) {
        long[] at = {from};
        return (b, off, len) -> {
            if (at[0] >= to) {
                return -1;
            }
            int n = file.read(at[0], b, off, (int) Math.min(len, to - at[0]));
            if (n > 0) {
                at[0] += n;
            }
            return n;
        };
    }

    /** Where the stretches start: near equal cuts, each moved to just after the next line feed. */
    static List<Long> bounds(LogStretches.Positioned file, long size, int n) throws IOException {
        List<Long> b = new ArrayList<>();
        b.add(0L);
        byte[] window = new byte[1 << 16];
        for (int k = 1; k < n; k++) {
            long at = Math.max(size * k / n, b.get(b.size() - 1));
            long cut = -1;
            while (cut < 0 && at < size) {
                int got = file.read(at, window, 0, (int) Math.min(window.length, size - at));
                if (got <= 0) {
                    break;
                }
                int i = WebLogPart.indexOf(window, (byte) '\n', 0, got);
                if (i >= 0) {
                    cut = at + i + 1;
                }
                at += got;
            }
            if (cut < 0 || cut >= size) {
                break;
            }
            if (cut > b.get(b.size() - 1)) {
                b.add(cut);
            }
        }
        b.add(size);
        return b;
    }

    /** The file's first {@code #Fields} header, if the start of the file has a valid one. */
    static WebLogPart.Fields firstFields(LogStretches.Positioned file, long size) throws IOException {
        byte[] head = new byte[(int) Math.min(size, WebLogPart.MAX_LINE)];
        int n = LogStretches.readFully(file, 0, head);
        String text = new String(head, 0, Math.max(n, 0), StandardCharsets.UTF_8);
        for (String line : text.split("\r\n|\r|\n")) {
            String l = line.startsWith("\ufeff") ? line.substring(1) : line;
            if (l.startsWith("#Fields:")) {
                List<String> f = List.of(l.substring(8).strip().split("\\s+"));
                boolean ok = !f.get(0).isEmpty() && f.stream().allMatch(x -> x.matches("[A-Za-z0-9()_.:-]+"));
                return ok ? new WebLogPart.Fields(f) : null;
            }
        }
        return null;
    }

    /**
     * Joins the parts in file order: problems and what was examined now, the aggregates as
     * {@link LogTotals} partials (one per day where the parts fall on single days) that become facts
     * together with the other files' (see {@link org.exkb.engine.collect.Partial}).
     */
    void finish(List<WebLogPart> parts) {
        Join j = new Join();
        parts.forEach(p -> j.add(p, false));
        j.done();
    }

    /** A join of this file's parts. */
    Join join() {
        return new Join();
    }

    /** The join of a file's parts, one after the other in file order (a part can be dropped once added). */
    final class Join {
        private final List<LogTotals> days = new ArrayList<>(); // a partial per day where the parts fall on single days
        private LogTotals totals;
        /** The state the last part added ended in: the next one read on a guess must start in it. */
        private WebLogPart.Fields endFields;
        private boolean endNul;
        private final Set<String> servers = new LinkedHashSet<>();
        private long base;
        private long fieldsLine;
        private int skipShown;
        private int badShown;
        private long lines;
        private long dataLines;
        private long easLines;
        private long probes;
        private long proxied;
        private long skipped;
        private String firstTime = "";
        private String lastTime = "";

        /**
         * Adds the next part; {@code dayStarts} when it begins where a day begins ({@link #dayCuts}):
         * the parts from one day cut to the next make one partial, whatever other cuts (threads,
         * stretches) fall between them, so the partials are the same however the file is read.
         */
        /**
         * Adds the part of the file's bytes {@code [from, to)} that was read on a guess; where the
         * guess was wrong ({@link #startsRight}) it is read again here from the state the part before
         * it ended in.
         */
        void addRead(LogStretches.Positioned file, long from, long to, WebLogPart p, boolean dayStarts) throws IOException {
            add(totals != null && !startsRight(endFields, endNul, p) ? stretch(file, from, to, endFields, endNul) : p, dayStarts);
        }

        void add(WebLogPart p, boolean dayStarts) {
            endFields = p.fields;
            endNul = p.inNul;
            p.settle();
            for (WebLogPart.Note n : p.notes) {
                String at = "line " + (base + n.line());
                switch (n.kind()) {
                    case PROBLEM -> problem(at, n.text());
                    case BAD_BYTES -> {
                        if (badShown++ < MAX_PROBLEM_LINES) {
                            problem(at, n.text());
                        }
                    }
                    case SKIP, MISMATCH -> {
                        if (skipShown < MAX_PROBLEM_LINES) {
                            skipShown++;
                            String why = n.text();
                            if (n.kind() == WebLogPart.Note.Kind.MISMATCH) {
                                long fl = n.fieldsLine() == WebLogPart.INITIAL ? fieldsLine : n.fieldsLine() == 0 ? 0 : base + n.fieldsLine();
                                why = n.values() + " values for the " + n.fields() + " fields of "
                                        + (fl == 0 ? "the default field list" : "the #Fields header on line " + fl);
                            }
                            problem(at, why + "; line skipped");
                        }
                    }
                    case DEFAULT_FIELDS -> out.examined(source + ": no #Fields header before line " + (base + n.line())
                            + "; read with " + n.text());
                    default -> throw new IllegalStateException(n.kind().name());
                }
            }
            fieldsLine = p.fieldsLine == WebLogPart.INITIAL ? fieldsLine : p.fieldsLine == 0 ? 0 : base + p.fieldsLine;
            for (int i = 0; i < p.servers.size() && servers.size() < 100; i++) {
                servers.add(p.servers.name(i));
            }
            if (totals == null || dayStarts) {
                totals = new LogTotals();
                days.add(totals);
            }
            totals.add(p, source, base);
            totals.span(p.firstTime, p.lastTime());
            if (p.manyDays) {
                totals.manyDays();
            }
            lines += p.lines;
            dataLines += p.dataLines;
            easLines += p.easLines;
            probes += p.probes;
            proxied += p.proxiedLines;
            skipped += p.skipped;
            if (firstTime.isEmpty()) {
                firstTime = p.firstTime;
            }
            if (!p.lastTime().isEmpty()) {
                lastTime = p.lastTime();
            }
            base += p.lines;
        }

        void done() {
            days.forEach(out::partial);
            if (skipped > skipShown && skipShown >= MAX_PROBLEM_LINES) {
                out.problem(new EvidenceProblem(source, "", EvidenceProblem.MALFORMED, skipped + " lines skipped in all ("
                        + MAX_PROBLEM_LINES + " shown)"));
            }
            long errorTotal = days.stream().mapToLong(LogTotals::errorCount).sum();
            java.util.Map<String, Long> counts = new java.util.LinkedHashMap<>();
            counts.put("lines", (long) lines);
            counts.put("entries", (long) dataLines);
            counts.put(httperr ? "errors" : "activesync_requests", httperr ? errorTotal : (long) easLines);
            counts.put("lines_skipped", (long) skipped);
            out.read(new org.exkb.engine.model.ReadSummary(source, org.exkb.engine.model.EvidenceKind.LOGS,
                    httperr ? "HTTP.sys error log" : "IIS W3C log", counts));
            out.examined(source + ": " + (httperr ? "HTTP.sys error log" : "IIS W3C log") + ", server " + String.join(", ", servers)
                    + (servers.isEmpty() ? "(none)" : "") + ", " + lines + " lines, " + dataLines + " entries"
                    + (httperr ? ", " + errorTotal + " errors"
                    : ", " + easLines + " ActiveSync requests" + (probes == 0 ? "" : " (+" + probes + " health probes left out)")
                    + (proxied == 0 ? "" : "; " + proxied + " of them passed on by a front end (/Proxy), not counted per client address or server"))
                    + (skipped == 0 ? "" : ", " + skipped + " lines skipped") + (firstTime.isEmpty() ? "" : ", " + firstTime + " to " + lastTime + " UTC"));
        }
    }

    private void problem(String at, String detail) {
        out.problem(new EvidenceProblem(source, at, EvidenceProblem.MALFORMED, detail));
    }

    /**
     * The client address in an X-Forwarded-For value {@code b[s, e)}, as {@code start << 32 | end},
     * or -1 when it holds none. The last entry is the address the nearest proxy (the load balancer)
     * saw, the one it balances on; IIS writes the header's spaces as '+'. A port is dropped
     * ({@code 198.51.100.7:50123}, {@code [2001:db8::7]:443}); anything but an address ("unknown",
     * an obfuscated name) is not one.
     */
    static long forwardedClient(byte[] b, int s, int e) {
        int from = s;
        for (int i = e - 1; i >= s; i--) {
            if (b[i] == ',') {
                from = i + 1;
                break;
            }
        }
        while (from < e && (b[from] == '+' || b[from] == ' ')) {
            from++;
        }
        int to = e;
        while (to > from && (b[to - 1] == '+' || b[to - 1] == ' ')) {
            to--;
        }
        if (from < to && b[from] == '[') { // [IPv6]:port
            int close = WebLogPart.indexOf(b, (byte) ']', from, to);
            if (close < 0) {
                return -1;
            }
            from++;
            to = close;
        } else {
            int colon = WebLogPart.indexOf(b, (byte) ':', from, to);
            if (colon >= 0 && WebLogPart.indexOf(b, (byte) ':', colon + 1, to) < 0) { // IPv4:port
                to = colon;
            }
        }
        if (to - from < 2 || to - from > 45) {
            return -1;
        }
        boolean dot = false;
        boolean colon = false;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            dot |= c == '.';
            colon |= c == ':';
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.' || c == ':')) {
                return -1;
            }
        }
        if (!colon) { // IPv4: digits and dots only ("cafe.be" is a name)
            for (int i = from; i < to; i++) {
                if (b[i] > '9') {
                    return -1;
                }
            }
        }
        return dot || colon ? (long) from << 32 | to : -1;
    }

    /** The error token Exchange writes in Log= (e.g. {@code Error:UserPrincipalCouldNotBeFound}), or empty. */
    static String diagnostic(String log) {
        for (String t : log.split("_")) {
            if (t.startsWith("Error:") || t.startsWith("Error=")) {
                return t.substring(6);
            }
        }
        int i = log.indexOf("Error:");
        return i < 0 ? "" : log.substring(i + 6).split("[_&]", 2)[0];
    }
}
