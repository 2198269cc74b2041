package org.exkb.engine.collect.logs;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.exkb.engine.model.EasRequests;

/**
 * One stretch of a W3C or httperr log read at the byte level: lines are found, split on spaces and
 * filtered in the bytes they arrived in; a String is made only for what is kept (a group's first
 * line, a new server or command name) and for the rare lines that need it (directives, non-ASCII
 * bytes, NUL padding, percent-encoded query values). {@link WebLogReader} runs one part per
 * stretch of a large file and joins them; line numbers here count from the part's start.
 */
final class WebLogPart implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** {@link #fieldsLine} of a part that starts under a header read by the part before it. */
    static final long INITIAL = -2;
    static final int MAX_LINE = 1 << 20;
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final byte[] EAS_STEM = "/microsoft-server-activesync".getBytes(StandardCharsets.US_ASCII);
    private static final long[] EAS_STEM_WORDS = words(EAS_STEM);
    /** After the stem, what Exchange's back-end site (2013 on) and CAS-to-CAS proxying log: {@code /Microsoft-Server-ActiveSync/Proxy...}. */
    private static final byte[] PROXY = "/proxy".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEALTH_USER = "healthmailbox".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AM_PROBE = "AMProbe".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MONITOR = "MSEXCHMON".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] PARAMS = {bytes("cmd"), bytes("user"), bytes("deviceid"), bytes("log"), bytes("heartbeatinterval")};
    private static final int CMD = 0;
    private static final int USER = 1;
    private static final int DEVICE = 2;
    private static final int LOG = 3;
    private static final int HEARTBEAT = 4;

    /** The columns a {@code #Fields} directive names, with the positions of those this reader uses. */
    static final class Fields implements java.io.Serializable {
        final List<String> names;
        final int date;
        final int time;
        final int computer;
        final int serverIp;
        final int method;
        final int stem;
        final int query;
        final int uri;
        final int username;
        final int clientIp;
        final int forwarded;
        final int agent;
        final int status;
        final int timeTaken;
        final int reason;
        final int queue;

        Fields(List<String> names) {
            this.names = names;
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                index.putIfAbsent(names.get(i).toLowerCase(Locale.ROOT), i);
            }
            date = index.getOrDefault("date", -1);
            time = index.getOrDefault("time", -1);
            computer = index.getOrDefault("s-computername", -1);
            serverIp = index.getOrDefault("s-ip", -1);
            method = index.getOrDefault("cs-method", -1);
            stem = index.getOrDefault("cs-uri-stem", -1);
            query = index.getOrDefault("cs-uri-query", -1);
            uri = index.getOrDefault("cs-uri", -1);
            username = index.getOrDefault("cs-username", -1);
            clientIp = index.getOrDefault("c-ip", -1);
            forwarded = index.getOrDefault("x-forwarded-for", index.getOrDefault("cs(x-forwarded-for)", -1));
            agent = index.getOrDefault("cs(user-agent)", -1);
            status = index.getOrDefault("sc-status", -1);
            timeTaken = index.getOrDefault("time-taken", -1);
            reason = index.getOrDefault("s-reason", -1);
            queue = index.getOrDefault("s-queuename", -1);
        }

        int size() {
            return names.size();
        }
    }

    /** What a part says about a line, kept with the part's own line number until the parts are joined. */
    record Note(Kind kind, long line, String text, int values, int fields, long fieldsLine) implements java.io.Serializable {
        enum Kind { PROBLEM, SKIP, MISMATCH, BAD_BYTES, DEFAULT_FIELDS }
    }

    /** The first line of a group, with the part's line number. */
    record First(long line, String text) implements java.io.Serializable {
    }

    static final class Eas implements java.io.Serializable {
        final int server;
        final String command;
        final int status;
        long count;
        final List<byte[]> users = new ArrayList<>();
        final ByteKeys.IdSet devices = new ByteKeys.IdSet();
        final Map<String, Long> diagnostics = new java.util.LinkedHashMap<>(); // first seen first: ties go to it
        final First first;

        Eas(int server, String command, int status, First first) {
            this.server = server;
            this.command = command;
            this.status = status;
            this.first = first;
        }
    }

    static final class Addr implements java.io.Serializable {
        final int server;
        final String client;
        long requests;
        final ByteKeys.IdSet devices = new ByteKeys.IdSet();
        final First first;

        Addr(int server, String client, First first) {
            this.server = server;
            this.client = client;
            this.first = first;
        }
    }

    static final class Load implements java.io.Serializable {
        final int server;
        long requests;
        final ByteKeys.IdSet devices = new ByteKeys.IdSet();
        final First first;

        Load(int server, First first) {
            this.server = server;
            this.first = first;
        }
    }

    static final class Ping implements java.io.Serializable {
        final int server;
        final int heartbeat;
        long count;
        final ByteKeys.LongCounts seconds = new ByteKeys.LongCounts();
        final First first;

        Ping(int server, int heartbeat, First first) {
            this.server = server;
            this.heartbeat = heartbeat;
            this.first = first;
        }
    }

    static final class Err implements java.io.Serializable {
        final String server;
        final String reason;
        final String queue;
        final String method;
        final String command;
        long count;
        final First first;

        Err(String server, String reason, String queue, String method, String command, First first) {
            this.server = server;
            this.reason = reason;
            this.queue = queue;
            this.method = method;
            this.command = command;
            this.first = first;
        }
    }

    private final boolean httperr;
    private final String folderServer;
    private final String charset;

    // the state a line is read in; a part after the first starts with what the part before it is expected to end with
    Fields fields;
    long fieldsLine;
    boolean inNul;
    final Fields startFields;
    final boolean startInNul;
    private boolean pendingNul;
    private boolean discarding;

    long lines;
    long dataLines;
    long easLines;
    long probes;
    long proxiedLines;
    long skipped;
    final List<Note> notes = new ArrayList<>();
    int skipNotes;
    private int badNotes;
    String firstTime = "";
    /** Whether a data line is dated on another day than the first (yyyy-mm-dd dates only: a damaged one is not a day). */
    boolean manyDays;
    private final byte[] lastTime = new byte[256];
    private int lastTimeLength = -1;

    final ByteKeys.Interner servers = new ByteKeys.Interner(WebLogReader.MAX_KEYS);
    private final ByteKeys.Interner commands = new ByteKeys.Interner(WebLogReader.MAX_KEYS);
    private final ByteKeys.Interner clients = new ByteKeys.Interner(WebLogReader.MAX_KEYS);
    /** Device ids by the hash of the DeviceId value; the sets below hold these ids. */
    final ByteKeys.HashIds deviceIds = new ByteKeys.HashIds(WebLogReader.MAX_DEVICES);
    /*
     * Beside each device id (one cache line with it), what the device has been counted in so far,
     * so that a line costs one look at the device rather than a set lookup per aggregate: in word a
     * the first 64 ActiveSync groups (bit = group index), in word b the first 32 servers (low bits,
     * bit = server id) and the address (index + 1) it was last offered to (high half). The bits move
     * into the groups' and loads' device sets in settle().
     */
    private boolean settled;
    private final transient ByteKeys.PairIndex easIndex = new ByteKeys.PairIndex();
    private final transient ByteKeys.PairIndex addrIndex = new ByteKeys.PairIndex();
    private final transient ByteKeys.PairIndex pingIndex = new ByteKeys.PairIndex();
    final List<Eas> eas = new ArrayList<>();
    final List<Addr> addresses = new ArrayList<>();
    final List<Load> loads = new ArrayList<>();
    private transient Load[] loadOf = new Load[16];
    final List<Ping> pings = new ArrayList<>();
    final Map<String, Err> errors = new java.util.LinkedHashMap<>();

    // the line being read: its bytes, bounds, and the positions of its spaces (not kept when a settled part travels)
    private transient byte[] a;
    private transient int ls;
    private transient int le;
    private transient int spaces;
    private transient int[] sp;
    private transient int spb;
    private transient int[] ev = new int[0];
    private transient int[] oddSpaces = new int[256];
    private transient byte[] lastServer = new byte[0];
    private transient int lastServerId = -1;
    private transient int folderId = -2;
    private final transient byte[][] pa = new byte[PARAMS.length][];
    private final transient int[] ps = new int[PARAMS.length];
    private final transient int[] pe = new int[PARAMS.length];

    WebLogPart(boolean httperr, String folderServer, String charset, Fields startFields, boolean startInNul) {
        this.httperr = httperr;
        this.folderServer = folderServer;
        this.charset = charset;
        this.fields = startFields;
        this.startFields = startFields;
        this.fieldsLine = startFields == null ? 0 : INITIAL;
        this.inNul = startInNul;
        this.startInNul = startInNul;
    }

    /** The last data line's date and time, or empty. */
    private static boolean sameDay(byte[] time, String first) {
        for (int i = 0; i < 10; i++) {
            if (time[i] != first.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    String lastTime() {
        return lastTimeLength < 0 ? "" : new String(lastTime, 0, lastTimeLength, StandardCharsets.UTF_8);
    }

    /**
     * Reads the complete lines in {@code buf[from, to)} (all of it at the end of the input) and
     * answers where the first incomplete line starts. Lines end at LF, CRLF or a lone CR.
     *
     * <p>Two passes: {@link #events} notes where every byte at or below a space or above 0x7f is,
     * eight bytes at a time; then the lines are walked through those positions. A line whose only
     * such bytes are spaces and its end is read in place, its spaces straight from the positions;
     * any other (a tab, a NUL, a byte above 0x7f) goes through {@link #oddLine}.
     */
    int scan(byte[] buf, int from, int to, boolean end) {
        int s = from;
        if (discarding) {
            s = skipLongLine(buf, from, to, end);
            if (discarding) {
                return s;
            }
        }
        if (ev.length < to - s + 8) {
            ev = new int[to - s + 8];
        }
        int[] ev = this.ev;
        int n = events(buf, s, to, ev);
        int x = 0;
        while (true) {
            int first = x;
            boolean odd = false;
            int e = -1;
            int next = -1;
            for (; x < n; x++) {
                int j = ev[x];
                byte b = buf[j];
                if (b == ' ') {
                    continue;
                }
                if (b == '\n') {
                    e = j;
                    next = j + 1;
                    break;
                }
                if (b == '\r') {
                    if (j + 1 < to) {
                        e = j;
                        next = buf[j + 1] == '\n' ? j + 2 : j + 1;
                        break;
                    }
                    if (!end) {
                        return s; // a CR at the end of what has arrived: wait for the byte after it
                    }
                    e = j;
                    next = j + 1;
                    break;
                }
                odd = true;
            }
            int k = x - first; // the spaces before the end (when the line is not odd)
            if (e < 0) {
                if (!end || s >= to) {
                    return s;
                }
                e = to;
                next = to;
            } else {
                x += next - e; // past the CR and LF events too
            }
            lines++;
            if (odd || pendingNul) {
                oddLine(buf, s, e);
            } else if (e > s) {
                line(buf, s, e, ev, first, k);
            }
            s = next;
        }
    }

    /** Positions of the bytes at or below a space, or above 0x7f, in {@code b[from, to)}; answers how many. */
    static int events(byte[] b, int from, int to, int[] ev) {
        int n = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i);
            // exactly the bytes below 0x21 or with the top bit set: the low seven bits plus 0x5f reach
            // the top bit when they are 0x21 or more, and never carry into the next byte
            long m = (~((x & 0x7f7f7f7f7f7f7f7fL) + 0x5f5f5f5f5f5f5f5fL) | x) & 0x8080808080808080L;
            while (m != 0) {
                ev[n++] = i + lowestMarked(m);
                m &= m - 1;
            }
        }
        for (; i < to; i++) {
            if (b[i] <= ' ') {
                ev[n++] = i;
            }
        }
        return n;
    }

    /**
     * The buffer is full and holds no line end: NUL padding (a crash leaves megabytes of it) is
     * squeezed out and the line kept; anything else that long is not a W3C line, and is skipped to
     * its end. Answers how many bytes remain in the buffer.
     */
    int overlong(byte[] buf, int length) {
        int w = 0;
        for (int i = 0; i < length; i++) {
            if (buf[i] != 0) {
                buf[w++] = buf[i];
            }
        }
        if (w < length) {
            pendingNul = true;
        }
        if (w <= buf.length / 2) {
            return w;
        }
        if (pendingNul && !inNul) {
            nulNote(lines + 1);
        }
        note(new Note(Note.Kind.SKIP, lines + 1, "a line longer than " + (MAX_LINE >> 20) + " MiB (not a W3C log line)", 0, 0, 0));
        skipped++;
        pendingNul = false;
        discarding = true;
        return 0;
    }

    private int skipLongLine(byte[] buf, int from, int to, boolean end) {
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b == '\n' || b == '\r') {
                if (b == '\r' && i + 1 >= to && !end) {
                    return i;
                }
                discarding = false;
                lines++;
                return b == '\r' && i + 1 < to && buf[i + 1] == '\n' ? i + 2 : i + 1;
            }
        }
        if (end) {
            discarding = false;
            lines++;
        }
        return to;
    }

    /** Whether the bytes are valid UTF-8: a literal U+FFFD (EF BF BD) in them is a character, not damage. */
    static boolean validUtf8(byte[] buf, int s, int e) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(buf, s, e - s));
            return true;
        } catch (java.nio.charset.CharacterCodingException x) {
            return false;
        }
    }

    /** A line with NULs or bytes above 0x7f: decoded (bad bytes become U+FFFD), NULs dropped, then read like any other. */
    private void oddLine(byte[] buf, int s, int e) {
        String text = new String(buf, s, e - s, StandardCharsets.UTF_8);
        if (text.indexOf('\0') >= 0 || pendingNul) {
            pendingNul = false;
            text = text.replace("\0", "");
            if (!inNul) {
                nulNote(lines);
                inNul = true;
            }
            if (!text.startsWith("#")) {
                skipped++;
                return;
            }
        }
        text = text.stripTrailing(); // a tab or blanks at the end: not values
        if (text.isEmpty()) {
            return;
        }
        if (text.indexOf('\ufffd') >= 0 && (!charset.equals("UTF-8") || !validUtf8(buf, s, e)) && badNotes++ < WebLogReader.MAX_PROBLEM_LINES) {
            note(new Note(Note.Kind.BAD_BYTES, lines, "bytes that are not valid " + charset
                    + " (the file's encoding is wrong or it is damaged); the line is read with them replaced by U+FFFD", 0, 0, 0));
        }
        byte[] y = text.getBytes(StandardCharsets.UTF_8);
        if (oddSpaces.length < y.length) {
            oddSpaces = new int[y.length];
        }
        int k = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] == ' ') {
                oddSpaces[k++] = i;
            }
        }
        line(y, 0, y.length, oddSpaces, 0, k);
    }

    private void nulNote(long line) {
        note(new Note(Note.Kind.PROBLEM, line, "NUL padding (a crash leaves it); skipped up to the next #Fields header", 0, 0, 0));
    }

    /** A line in {@code buf[s, e)} whose {@code k} spaces are at {@code spaces[base...]}. */
    private void line(byte[] buf, int s, int e, int[] spaces, int base, int k) {
        if (buf[s] == '#') {
            directive(new String(buf, s, e - s, StandardCharsets.UTF_8));
            return;
        }
        if (buf[e - 1] == ' ') { // blanks an editor left at the end: not values
            while (e > s && buf[e - 1] == ' ') {
                e--;
                if (k > 0 && spaces[base + k - 1] == e) {
                    k--;
                }
            }
            if (e == s) {
                return; // a blank line
            }
        }
        if (inNul) {
            skipped++;
            return;
        }
        a = buf;
        ls = s;
        le = e;
        sp = spaces;
        spb = base;
        this.spaces = k;
        data();
    }

    private void directive(String line) {
        if (line.startsWith("#Fields:")) {
            List<String> f = List.of(line.substring(8).strip().split("\\s+"));
            if (f.isEmpty() || f.get(0).isEmpty() || f.stream().anyMatch(x -> !x.matches("[A-Za-z0-9()_.:-]+"))) {
                note(new Note(Note.Kind.PROBLEM, lines, "#Fields header is broken ('" + clip(line) + "'): the lines after it"
                        + " are skipped until the next #Fields header", 0, 0, 0));
                fields = new Fields(List.of());
            } else {
                fields = new Fields(f);
            }
            fieldsLine = lines;
            inNul = false;
        } else if (line.startsWith("#Software:") || line.startsWith("#Version:") || line.startsWith("#Date:")) {
            inNul = false;
        }
    }

    private void skip(String why) {
        skipped++;
        note(new Note(Note.Kind.SKIP, lines, why, 0, 0, 0));
    }

    private void note(Note n) {
        if (n.kind() == Note.Kind.SKIP || n.kind() == Note.Kind.MISMATCH) {
            if (skipNotes++ >= WebLogReader.MAX_PROBLEM_LINES) {
                return;
            }
        }
        notes.add(n);
    }

    private int start(int f) {
        return f == 0 ? ls : sp[spb + f - 1] + 1;
    }

    private int end(int f) {
        return f == spaces ? le : sp[spb + f];
    }

    /** Whether field {@code f} exists and has a value ("-" is W3C's empty value). */
    private boolean has(int f) {
        if (f < 0) {
            return false;
        }
        int s = start(f);
        int n = end(f) - s;
        return n > 1 || n == 1 && a[s] != '-';
    }

    private String text(int f) {
        return has(f) ? new String(a, start(f), end(f) - start(f), StandardCharsets.UTF_8) : "";
    }

    /**
     * Lines before any #Fields header: the HTTP API's default error-log fields, or IIS's default W3C
     * layout where exactly one fits the values (lines copied or grepped out of a log). False when none fits.
     */
    private boolean inferFields() {
        if (httperr) {
            List<String> layout = WebLogReader.httperrDefault(spaces + 1);
            fields = new Fields(layout);
            fieldsLine = 0;
            note(new Note(Note.Kind.DEFAULT_FIELDS, lines, "the HTTP API's default error-log fields (" + String.join(" ", layout) + ")", 0, 0, 0));
        } else {
            // lines copied or grepped out of a log: infer IIS's default layout from the values, where exactly one fits
            List<String> values = new java.util.ArrayList<>(spaces + 1);
            for (int i = 0; i <= spaces; i++) {
                values.add(new String(a, start(i), end(i) - start(i), StandardCharsets.UTF_8));
            }
            String[] why = new String[1];
            WebLogReader.Assumed assumed = WebLogReader.w3cDefault(values, why);
            if (assumed == null) {
                skip(why[0]);
                return false;
            }
            fields = new Fields(assumed.fields());
            fieldsLine = 0;
            note(new Note(Note.Kind.DEFAULT_FIELDS, lines, "the default W3C fields of " + assumed.name() + ", which its values fit ("
                    + String.join(" ", assumed.fields()) + ")", 0, 0, 0));
        }
        return true;
    }

    private void data() {
        if (fields == null && !inferFields()) {
            return;
        }
        Fields f = fields;
        if (f.size() == 0) {
            skipped++;
            return;
        }
        if (spaces + 1 != f.size()) {
            skipped++;
            note(new Note(Note.Kind.MISMATCH, lines, "", spaces + 1, f.size(), fieldsLine));
            return;
        }
        dataLines++;
        if (has(f.date)) {
            int n = copy(f.date, lastTime, 0);
            lastTime[n++] = ' ';
            n = has(f.time) ? copy(f.time, lastTime, n) : n;
            lastTimeLength = n;
            if (firstTime.isEmpty()) {
                firstTime = lastTime();
            } else if (!manyDays && lastTime[4] == '-' && lastTime[7] == '-' && firstTime.length() >= 10
                    && !sameDay(lastTime, firstTime)) {
                manyDays = true;
            }
        }
        int server = server(f);
        int ss;
        int se;
        int qs;
        int qe;
        if (has(f.stem)) {
            ss = start(f.stem);
            se = end(f.stem);
            qs = has(f.query) ? start(f.query) : 0;
            qe = has(f.query) ? end(f.query) : 0;
        } else if (has(f.uri)) { // httperr: cs-uri holds the path and the query
            ss = start(f.uri);
            int ue = end(f.uri);
            int q = indexOf(a, (byte) '?', ss, ue);
            se = q < 0 ? ue : q;
            qs = q < 0 ? 0 : q + 1;
            qe = q < 0 ? 0 : ue;
        } else {
            ss = 0;
            se = 0;
            qs = 0;
            qe = 0;
        }
        if (!httperr && !startsWithIgnoreCase(a, ss, se, EAS_STEM, EAS_STEM_WORDS)) {
            return;
        }
        boolean proxied = !httperr && startsWithIgnoreCase(a, ss + EAS_STEM.length, se, PROXY);
        query(qs, qe);
        if (httperr) {
            httperr(f, server);
            return;
        }
        byte[] ua;
        int us;
        int ue;
        if (pe[USER] > ps[USER]) {
            ua = pa[USER];
            us = ps[USER];
            ue = pe[USER];
        } else {
            ua = a;
            us = has(f.username) ? start(f.username) : 0;
            ue = has(f.username) ? end(f.username) : 0;
        }
        if (startsWithIgnoreCase(ua, us, ue, HEALTH_USER) || has(f.agent) && probeAgent(a, start(f.agent), end(f.agent))) {
            probes++; // Exchange's own health probes: not the users' traffic
            return;
        }
        easLines++;
        if (server < 0) {
            return; // more servers than the reader keeps
        }
        int status = has(f.status) ? parseInt(a, start(f.status), end(f.status)) : 0;
        int command = pa[CMD] == null ? commands.id(a, 0, 0) : commands.id(pa[CMD], ps[CMD], pe[CMD]);
        int ds = pe[DEVICE] > ps[DEVICE] ? deviceIds.slot(ByteKeys.hash(pa[DEVICE], ps[DEVICE], pe[DEVICE])) : -1;
        boolean device = ds >= 0;
        int deviceId = device ? deviceIds.idAt(ds) : -1;
        if (command >= 0) {
            countEas(server, command, status, ua, us, ue, ds, deviceId);
        }
        if (proxied) {
            proxiedLines++; // a front end's request passed on to this back end: its c-ip is the front end, its load counted there
        } else {
            countClient(f, server, ds, deviceId);
        }
        if (pa[CMD] != null && pe[CMD] - ps[CMD] == 4 && startsWithIgnoreCase(pa[CMD], ps[CMD], pe[CMD], PING)) {
            ping(f, server);
        }
    }

    /** One ActiveSync request into its (server, command, status) group: count, users, devices, diagnostics. */
    private void countEas(int server, int command, int status, byte[] ua, int us, int ue, int ds, int deviceId) {
        boolean device = ds >= 0;
        int gi = easIndex.get(server, ((long) command << 32) | (status & 0xffffffffL));
        Eas g = null;
        if (gi >= 0) {
            g = eas.get(gi);
        } else if (eas.size() < WebLogReader.MAX_KEYS) {
            gi = easIndex.put(server, ((long) command << 32) | (status & 0xffffffffL));
            g = new Eas(server, commands.name(command), status, first());
            eas.add(g);
        }
        if (g != null) {
            g.count++;
            if (ue > us && g.users.size() < EasRequests.MAX_USERS) {
                addUser(g.users, ua, us, ue);
            }
            if (device) {
                if (gi < 64) {
                    deviceIds.a(ds, deviceIds.a(ds) | 1L << gi); // into g.devices when the part is settled
                } else if (g.devices.size() < WebLogReader.MAX_DEVICES) {
                    g.devices.add(deviceId);
                }
            }
            if (status >= 400 && pe[LOG] > ps[LOG] && g.diagnostics.size() < 50) {
                String diag = WebLogReader.diagnostic(new String(pa[LOG], ps[LOG], pe[LOG] - ps[LOG], StandardCharsets.UTF_8));
                if (!diag.isEmpty()) {
                    g.diagnostics.merge(diag, 1L, Long::sum);
                }
            }
        }
    }

    /** The client address (or the one a load balancer forwarded) and the server's load, for a request this server answered itself. */
    private void countClient(Fields f, int server, int ds, int deviceId) {
        boolean device = ds >= 0;
        int cs = -1;
        int ce = -1;
        if (has(f.forwarded)) { // behind a load balancer that translates addresses, the client it saw
            long x = WebLogReader.forwardedClient(a, start(f.forwarded), end(f.forwarded));
            if (x >= 0) {
                cs = (int) (x >>> 32);
                ce = (int) x;
            }
        }
        if (cs < 0 && has(f.clientIp)) {
            cs = start(f.clientIp);
            ce = end(f.clientIp);
        }
        if (cs >= 0) {
            int client = clients.id(a, cs, ce);
            if (client >= 0) {
                int ai = addrIndex.get(server, client);
                Addr ad = null;
                if (ai >= 0) {
                    ad = addresses.get(ai);
                } else if (addresses.size() < WebLogReader.MAX_KEYS) {
                    ai = addrIndex.put(server, client);
                    ad = new Addr(server, clients.name(client), first());
                    addresses.add(ad);
                }
                if (ad != null) {
                    ad.requests++;
                    long was = device ? deviceIds.b(ds) : 0;
                    if (device && (int) (was >>> 32) != ai + 1) { // else this device was offered to this address last time
                        deviceIds.b(ds, (long) (ai + 1) << 32 | was & 0xffffffffL);
                        if (ad.devices.size() < WebLogReader.MAX_DEVICES_PER_ADDRESS) {
                            ad.devices.add(deviceId);
                        }
                    }
                }
            }
        }
        if (server >= loadOf.length) {
            loadOf = Arrays.copyOf(loadOf, Math.max(server + 1, loadOf.length * 2));
        }
        Load l = loadOf[server];
        if (l == null) {
            l = new Load(server, first());
            loadOf[server] = l;
            loads.add(l);
        }
        l.requests++;
        if (device) {
            if (server < 32) {
                deviceIds.b(ds, deviceIds.b(ds) | 1L << server); // into l.devices when the part is settled
            } else if (l.devices.size() < WebLogReader.MAX_DEVICES) {
                l.devices.add(deviceId);
            }
        }
    }

    /** Moves the device bits kept per device into the groups' and loads' device sets; once, after the last line. */
    void settle() {
        if (settled) {
            return;
        }
        settled = true;
        deviceIds.forEach((id, groups, b) -> {
            for (long gs = groups; gs != 0; gs &= gs - 1) {
                Eas g = eas.get(Long.numberOfTrailingZeros(gs));
                if (g.devices.size() < WebLogReader.MAX_DEVICES) {
                    g.devices.add(id);
                }
            }
            for (long ss = b & 0xffffffffL; ss != 0; ss &= ss - 1) {
                Load l = loadOf[Long.numberOfTrailingZeros(ss)];
                if (l.devices.size() < WebLogReader.MAX_DEVICES) {
                    l.devices.add(id);
                }
            }
        });
    }

    private void ping(Fields f, int server) {
        int hb = heartbeat();
        long ms = has(f.timeTaken) ? parseLong(a, start(f.timeTaken), end(f.timeTaken)) : -1;
        if (ms < 0) {
            return;
        }
        int pi = pingIndex.get(server, hb);
        Ping p = null;
        if (pi >= 0) {
            p = pings.get(pi);
        } else if (pings.size() < 1000) {
            pingIndex.put(server, hb);
            p = new Ping(server, hb, first());
            pings.add(p);
        }
        if (p != null) {
            p.count++;
            p.seconds.add(Math.round(ms / 1000.0), 1, 10_000);
        }
    }

    private void httperr(Fields f, int server) {
        String reason = text(f.reason);
        if (reason.isEmpty()) {
            return;
        }
        String cmd = pa[CMD] == null ? "" : new String(pa[CMD], ps[CMD], pe[CMD] - ps[CMD], StandardCharsets.UTF_8);
        String name = server < 0 ? "" : servers.name(server);
        String queue = text(f.queue);
        String method = text(f.method);
        String key = name + "\0" + reason + "\0" + queue + "\0" + method + "\0" + cmd;
        Err e = errors.get(key);
        if (e == null && errors.size() < WebLogReader.MAX_KEYS) {
            e = new Err(name, reason, queue, method, cmd, first());
            errors.put(key, e);
        }
        if (e != null) {
            e.count++;
        }
    }

    private First first() {
        return new First(lines, new String(a, ls, le - ls, StandardCharsets.UTF_8));
    }

    /** The server of this line: s-computername, else the folder's name, else s-ip; -1 when too many. */
    private int server(Fields f) {
        int s;
        int e;
        byte[] b = a;
        if (has(f.computer)) {
            s = start(f.computer);
            e = end(f.computer);
        } else if (!folderServer.isEmpty()) {
            if (folderId == -2) {
                folderId = servers.id(folderServer);
            }
            return folderId;
        } else if (has(f.serverIp)) {
            s = start(f.serverIp);
            e = end(f.serverIp);
        } else {
            b = UNNAMED;
            s = 0;
            e = UNNAMED.length;
        }
        if (lastServerId >= 0 && Arrays.equals(lastServer, 0, lastServer.length, b, s, e)) {
            return lastServerId;
        }
        int id = servers.id(b, s, e);
        if (id >= 0) {
            lastServer = servers.key(id);
            lastServerId = id;
        }
        return id;
    }

    private static final byte[] UNNAMED = bytes("(unnamed server)");

    /** The parameters this reader uses from a query string: first value wins, names in any case, values decoded. */
    private void query(int s, int e) {
        pa[CMD] = null;
        pa[USER] = null;
        pa[DEVICE] = null;
        pa[LOG] = null;
        pa[HEARTBEAT] = null;
        pe[USER] = 0;
        ps[USER] = 0;
        pe[DEVICE] = 0;
        ps[DEVICE] = 0;
        pe[LOG] = 0;
        ps[LOG] = 0;
        byte[] a = this.a;
        if (e - s >= 12) {
            EasQuery.Decoded d = EasQuery.base64(a, s, e);
            if (d != null) { // the command, user and device packed in one token; Exchange's &Log= follows it
                decoded(CMD, d.command());
                decoded(USER, d.user());
                decoded(DEVICE, d.deviceId());
            }
        }
        int i = s;
        while (i < e) {
            int eq = i;
            while (eq < e && a[eq] != '=' && a[eq] != '&') { // the name
                eq++;
            }
            if (eq >= e || a[eq] == '&') { // no value: not a parameter
                i = eq + 1;
                continue;
            }
            // the value runs to the next '&'; '%' or '+' in it means it is encoded
            boolean encoded = false;
            int j = eq + 1;
            while (true) {
                j = nextBelowComma(a, j, e);
                if (j >= e || a[j] == '&') {
                    break;
                }
                if (a[j] == '%' || a[j] == '+') {
                    encoded = true;
                }
                j++;
            }
            int n = eq - i;
            if (n > 0) {
                int p = n == 3 ? ((a[i] | 0x20) == 'c' ? CMD : LOG) : n == 4 ? USER : n == 8 ? DEVICE : n == 17 ? HEARTBEAT : -1;
                if (p >= 0 && pa[p] == null && startsWithIgnoreCase(a, i, eq, PARAMS[p])) {
                    value(p, eq + 1, j, encoded);
                }
            }
            i = j + 1;
        }
    }

    /** The first position at or after {@code i} (before {@code e}) of a byte below ',' (0x2c), such as '&', '%', '+'; else {@code e}. */
    private static int nextBelowComma(byte[] b, int i, int e) {
        for (; i + 8 <= e; i += 8) {
            long x = (long) LONGS.get(b, i);
            long m = (x - 0x2c2c2c2c2c2c2c2cL) & ~x & 0x8080808080808080L;
            if (m != 0) {
                return i + lowestMarked(m); // the lowest marked byte is exact
            }
        }
        for (; i < e; i++) {
            if (b[i] < 0x2c && b[i] >= 0) {
                return i;
            }
        }
        return e;
    }

    private void decoded(int p, String value) {
        if (!value.isEmpty()) {
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            pa[p] = v;
            ps[p] = 0;
            pe[p] = v.length;
        }
    }

    private void value(int p, int s, int e, boolean encoded) {
        if (encoded) {
            String v = new String(a, s, e - s, StandardCharsets.UTF_8);
            try {
                v = URLDecoder.decode(v, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException ex) {
                // keep it as logged
            }
            byte[] d = v.getBytes(StandardCharsets.UTF_8);
            pa[p] = d;
            ps[p] = 0;
            pe[p] = d.length;
        } else {
            pa[p] = a;
            ps[p] = s;
            pe[p] = e;
        }
    }

    /** Whether a user agent is one of Exchange's own probes (AMProbe, MSEXCHMON). */
    private static boolean probeAgent(byte[] b, int s, int e) {
        int i = s;
        for (; i + 8 <= e; i += 8) { // words with neither an 'A' nor an 'M' are passed over whole
            long x = (long) LONGS.get(b, i);
            long ya = x ^ 0x4141414141414141L;
            long ym = x ^ 0x4d4d4d4d4d4d4d4dL;
            if ((((ya - 0x0101010101010101L) & ~ya | (ym - 0x0101010101010101L) & ~ym) & 0x8080808080808080L) == 0) {
                continue;
            }
            for (int j = i; j < i + 8; j++) {
                byte c = b[j];
                if (c == 'A' && j + 1 < e && b[j + 1] == 'M' && regionEquals(b, j, e, AM_PROBE)
                        || c == 'M' && j + 1 < e && b[j + 1] == 'S' && regionEquals(b, j, e, MONITOR)) {
                    return true;
                }
            }
        }
        for (; i < e; i++) {
            byte c = b[i];
            if (c == 'A' && i + 1 < e && b[i + 1] == 'M' && regionEquals(b, i, e, AM_PROBE)
                    || c == 'M' && i + 1 < e && b[i + 1] == 'S' && regionEquals(b, i, e, MONITOR)) {
                return true;
            }
        }
        return false;
    }

    private static boolean regionEquals(byte[] b, int at, int e, byte[] x) {
        return e - at >= x.length && Arrays.equals(b, at, at + x.length, x, 0, x.length);
    }

    /** The heartbeat the device asked for: Exchange logs it as {@code Hb<seconds>} in Log=; 0 when absent. */
    private int heartbeat() {
        if (pa[LOG] != null) {
            byte[] b = pa[LOG];
            int t = ps[LOG];
            int end = pe[LOG];
            while (t <= end) {
                int u = indexOf(b, (byte) '_', t, end);
                if (u < 0) {
                    u = end;
                }
                if (u - t >= 3 && u - t <= 7 && b[t] == 'H' && b[t + 1] == 'b' && digits(b, t + 2, u)) {
                    return (int) parseLong(b, t + 2, u);
                }
                t = u + 1;
            }
        }
        if (pa[HEARTBEAT] != null) {
            int n = pe[HEARTBEAT] - ps[HEARTBEAT];
            if (n >= 1 && n <= 5 && digits(pa[HEARTBEAT], ps[HEARTBEAT], pe[HEARTBEAT])) {
                return (int) parseLong(pa[HEARTBEAT], ps[HEARTBEAT], pe[HEARTBEAT]);
            }
        }
        return 0;
    }

    private int copy(int f, byte[] to, int at) {
        int s = start(f);
        int n = Math.min(end(f) - s, to.length / 2 - 1);
        System.arraycopy(a, s, to, at, n);
        return at + n;
    }

    private static void addUser(List<byte[]> users, byte[] b, int s, int e) {
        for (byte[] u : users) {
            if (Arrays.equals(u, 0, u.length, b, s, e)) {
                return;
            }
        }
        users.add(Arrays.copyOfRange(b, s, e));
    }

    static int indexOf(byte[] b, byte x, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The index of the lowest marked byte of a non-zero mask that has only bits 7, 15... 63 set
     * ({@code Long.numberOfTrailingZeros(m) >>> 3} without the call, which C1 does not make an
     * instruction): the lowest bit alone is {@code 1 << 8k + 7}; moved down to {@code 256^k}, it
     * multiplies a constant whose byte {@code 7 - k} is {@code k} into the top byte.
     */
    static int lowestMarked(long m) {
        return (int) ((((m & -m) >>> 7) * 0x0001020304050607L) >>> 56);
    }

    /**
     * {@code lower} (at least 8 bytes) as little-endian words for {@link #startsWithIgnoreCase(byte[], int, int, byte[], long[])}:
     * its whole words, then the word that ends with its last byte; each followed by the mask of its letters' case bit.
     */
    static long[] words(byte[] lower) {
        int n = lower.length;
        if (n < 8) {
            throw new IllegalArgumentException("shorter than a word");
        }
        int count = (n + 7) / 8;
        long[] w = new long[2 * count];
        for (int k = 0; k < count; k++) {
            int at = Math.min(8 * k, n - 8);
            long x = (long) LONGS.get(lower, at);
            long fold = 0;
            for (int j = 0; j < 8; j++) {
                byte c = lower[at + j];
                if (c >= 'a' && c <= 'z') {
                    fold |= 0x20L << 8 * j;
                }
            }
            w[2 * k] = x;
            w[2 * k + 1] = fold;
        }
        return w;
    }

    /**
     * {@link #startsWithIgnoreCase(byte[], int, int, byte[])} eight bytes at a time: a letter of
     * {@code lower} matches either case (its case bit is set before comparing), any other byte only itself.
     */
    static boolean startsWithIgnoreCase(byte[] b, int s, int e, byte[] lower, long[] words) {
        int n = lower.length;
        if (e - s < n) {
            return false;
        }
        for (int k = 0; k < words.length; k += 2) {
            int at = s + Math.min(4 * k, n - 8);
            if (((long) LONGS.get(b, at) | words[k + 1]) != words[k]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code b[s, e)} starts with {@code lower}, letters in any case. */
    static boolean startsWithIgnoreCase(byte[] b, int s, int e, byte[] lower) {
        if (e - s < lower.length) {
            return false;
        }
        for (int i = 0; i < lower.length; i++) {
            int c = b[s + i];
            int t = lower[i];
            if (c != t && (t < 'a' || t > 'z' || (c | 0x20) != t)) {
                return false;
            }
        }
        return true;
    }

    private static boolean digits(byte[] b, int s, int e) {
        if (e <= s) {
            return false;
        }
        for (int i = s; i < e; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }

    /** As {@link Integer#parseInt}, 0 when it would throw. */
    static int parseInt(byte[] b, int s, int e) {
        if (e - s > 0 && e - s <= 9 && digits(b, s, e)) {
            return (int) parseLong(b, s, e);
        }
        try {
            return Integer.parseInt(new String(b, s, e - s, StandardCharsets.UTF_8));
        } catch (NumberFormatException ex) {
            return 0;
        }
    }

    /** As {@link Long#parseLong}, -1 when it would throw. */
    static long parseLong(byte[] b, int s, int e) {
        if (e - s > 0 && e - s <= 18 && digits(b, s, e)) {
            long v = 0;
            for (int i = s; i < e; i++) {
                v = v * 10 + (b[i] - '0');
            }
            return v;
        }
        try {
            return Long.parseLong(new String(b, s, e - s, StandardCharsets.UTF_8));
        } catch (NumberFormatException ex) {
            return -1;
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String clip(String s) {
        return s.length() <= 120 ? s : s.substring(0, 119) + "…";
    }
}
