package org.exkb.engine.collect.logs;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.model.EasAddress;
import org.exkb.engine.model.EasRequests;
import org.exkb.engine.model.EasServerLoad;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.model.EvidenceRef;
import org.exkb.engine.model.HttpErrors;
import org.exkb.engine.model.PingTimes;

/**
 * The first, line-and-String reader of W3C and httperr logs, kept as the reference that the byte-level
 * {@link WebLogReader} must agree with (WebLogReaderAgreementTest). Straightforward and slow (about 84 MB/s).
 *
 * <p>Original description:
 * IIS W3C logs ({@code u_ex*.log}) and HTTP.sys error logs ({@code httperr*.log}): the W3C extended
 * format, where a {@code #Fields:} directive names the columns of the lines after it (any order,
 * any set; it may change mid-file, and header blocks repeat after a restart). Streams line by line
 * and keeps only aggregates: ActiveSync requests per server, command and status; devices per client
 * address; Ping durations per heartbeat; httperr entries per reason and application pool.
 *
 * <p>A line whose value count does not match the {@code #Fields} in effect is reported and skipped,
 * never shifted; NUL padding (what a crash leaves) is skipped up to the next header; an httperr
 * file without {@code #Fields} is read with the HTTP API's default field list, and the output says so.
 */
final class ReferenceWebLogReader {
    static final int MAX_PROBLEM_LINES = 10;
    static final int MAX_KEYS = 100_000;
    static final int MAX_DEVICES_PER_ADDRESS = 5_000;
    static final int MAX_DEVICES = 500_000;

    private final String source;
    private final String folderServer;
    private final boolean httperr;
    private final CollectResult out;
    private String charset = "UTF-8";
    private int badBytes;

    private List<String> fields;
    private final Map<String, Integer> index = new HashMap<>();
    private int fieldsLine;
    private boolean inNul;
    private long lines;
    private long dataLines;
    private long easLines;
    private long probes;
    private long proxied;
    private long skipped;
    private int reported;
    private String firstTime = "";
    private String lastTime = "";
    private final Set<String> servers = new LinkedHashSet<>();

    private final Map<String, Eas> eas = new LinkedHashMap<>();
    private final Map<String, Addr> addresses = new HashMap<>();
    private final Map<String, Load> loads = new LinkedHashMap<>();
    private final Map<String, Ping> pings = new LinkedHashMap<>();
    private final Map<String, Err> errors = new LinkedHashMap<>();

    private static final class Eas {
        long count;
        final Set<String> users = new LinkedHashSet<>();
        final Set<String> devices = new HashSet<>();
        final Map<String, Long> diagnostics = new LinkedHashMap<>();
        EvidenceRef first;
    }

    private static final class Addr {
        long requests;
        final Set<String> devices = new HashSet<>();
        EvidenceRef first;
    }

    private static final class Load {
        long requests;
        final Set<String> devices = new HashSet<>();
        EvidenceRef first;
    }

    private static final class Ping {
        long count;
        final Map<Long, Long> seconds = new HashMap<>();
        EvidenceRef first;
    }

    private static final class Err {
        long count;
        EvidenceRef first;
    }

    ReferenceWebLogReader(String source, String folderServer, boolean httperr, CollectResult out) {
        this.source = source;
        this.folderServer = folderServer;
        this.httperr = httperr;
        this.out = out;
    }

    ReferenceWebLogReader charset(String name) {
        charset = name;
        return this;
    }

    void read(BufferedReader in) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            lines++;
            if (line.indexOf('\0') >= 0) {
                String rest = line.replace("\0", "");
                if (!inNul) {
                    problem(lines, EvidenceProblem.MALFORMED, "NUL padding (a crash leaves it); skipped up to the next #Fields header");
                    inNul = true;
                }
                if (!rest.startsWith("#")) {
                    skipped++;
                    continue;
                }
                line = rest; // a header written right after the padding
            }
            line = line.stripTrailing(); // blanks an editor left: not values
            if (line.isEmpty()) {
                continue;
            }
            if (line.indexOf('\ufffd') >= 0 && badBytes++ < MAX_PROBLEM_LINES) {
                problem(lines, EvidenceProblem.MALFORMED, "bytes that are not valid " + charset
                        + " (the file's encoding is wrong or it is damaged); the line is read with them replaced by U+FFFD");
            }
            if (line.charAt(0) == '#') {
                directive(line);
                continue;
            }
            if (inNul) {
                skipped++;
                continue;
            }
            data(line);
        }
        finish();
    }

    private void directive(String line) {
        if (line.startsWith("#Fields:")) {
            List<String> f = List.of(line.substring(8).strip().split("\\s+"));
            if (f.isEmpty() || f.get(0).isEmpty() || f.stream().anyMatch(x -> !x.matches("[A-Za-z0-9()_.:-]+"))) {
                problem(lines, EvidenceProblem.MALFORMED, "#Fields header is broken ('" + clip(line) + "'): the lines after it"
                        + " are skipped until the next #Fields header");
                fields = List.of();
            } else {
                fields = f;
            }
            indexFields();
            fieldsLine = (int) lines;
            inNul = false;
        } else if (line.startsWith("#Software:") || line.startsWith("#Version:") || line.startsWith("#Date:")) {
            inNul = false;
        }
    }

    private void data(String line) {
        if (fields == null) {
            if (httperr) {
                fields = WebLogReader.httperrDefault(split(line).length);
                indexFields();
                fieldsLine = 0;
                out.examined(source + ": no #Fields header before line " + lines + "; read with the HTTP API's default error-log fields ("
                        + String.join(" ", fields) + ")");
            } else {
                String[] why = new String[1];
                WebLogReader.Assumed assumed = WebLogReader.w3cDefault(List.of(split(line)), why);
                if (assumed == null) {
                    skip(why[0]);
                    return;
                }
                fields = assumed.fields();
                indexFields();
                fieldsLine = 0;
                out.examined(source + ": no #Fields header before line " + lines + "; read with the default W3C fields of " + assumed.name()
                        + ", which its values fit (" + String.join(" ", fields) + ")");
            }
        }
        if (fields.isEmpty()) {
            skipped++;
            return;
        }
        String[] v = split(line);
        if (v.length != fields.size()) {
            skip(v.length + " values for the " + fields.size() + " fields of " + (fieldsLine == 0 ? "the default field list"
                    : "the #Fields header on line " + fieldsLine));
            return;
        }
        dataLines++;
        String date = get(v, "date");
        String time = get(v, "time");
        if (!date.isEmpty()) {
            String t = date + " " + time;
            if (firstTime.isEmpty()) {
                firstTime = t;
            }
            lastTime = t;
        }
        String server = get(v, "s-computername");
        if (server.isEmpty()) {
            server = folderServer.isEmpty() ? get(v, "s-ip") : folderServer;
        }
        if (server.isEmpty()) {
            server = "(unnamed server)";
        }
        if (servers.size() < 100) {
            servers.add(server);
        }
        String stem = get(v, "cs-uri-stem");
        String query = get(v, "cs-uri-query");
        if (stem.isEmpty()) { // httperr: cs-uri holds the path and the query
            String uri = get(v, "cs-uri");
            int q = uri.indexOf('?');
            stem = q < 0 ? uri : uri.substring(0, q);
            query = q < 0 ? "" : uri.substring(q + 1);
        }
        Map<String, String> params = query(query);
        String cmd = params.getOrDefault("cmd", "");
        if (httperr) {
            String reason = get(v, "s-reason");
            if (!reason.isEmpty()) {
                String key = server + "|" + reason + "|" + get(v, "s-queuename") + "|" + get(v, "cs-method") + "|" + cmd;
                Err e = errors.get(key);
                if (e == null && errors.size() < MAX_KEYS) {
                    e = new Err();
                    e.first = ref(line);
                    errors.put(key, e);
                }
                if (e != null) {
                    e.count++;
                }
            }
            return;
        }
        if (!stem.toLowerCase(Locale.ROOT).startsWith("/microsoft-server-activesync")) {
            return;
        }
        String user = params.getOrDefault("user", "");
        if (user.isEmpty()) {
            user = get(v, "cs-username");
        }
        String agent = get(v, "cs(user-agent)").replace('+', ' ');
        if (user.toLowerCase(Locale.ROOT).startsWith("healthmailbox") || agent.contains("AMProbe") || agent.contains("MSEXCHMON")) {
            probes++; // Exchange's own health probes: not the users' traffic
            return;
        }
        easLines++;
        int status = parseInt(get(v, "sc-status"));
        String device = params.getOrDefault("deviceid", "");
        String log = params.getOrDefault("log", "");
        String key = server + "|" + cmd + "|" + status;
        Eas g = eas.get(key);
        if (g == null && eas.size() < MAX_KEYS) {
            g = new Eas();
            g.first = ref(line);
            eas.put(key, g);
        }
        if (g != null) {
            g.count++;
            if (!user.isEmpty() && g.users.size() < EasRequests.MAX_USERS) {
                g.users.add(user);
            }
            if (!device.isEmpty() && g.devices.size() < MAX_DEVICES) {
                g.devices.add(device);
            }
            String diag = diagnostic(log);
            if (!diag.isEmpty() && status >= 400 && g.diagnostics.size() < 50) {
                g.diagnostics.merge(diag, 1L, Long::sum);
            }
        }
        if (stem.toLowerCase(Locale.ROOT).startsWith("/microsoft-server-activesync/proxy")) {
            proxied++;
        } else {
            String client = get(v, "c-ip");
            String xff = index.containsKey("x-forwarded-for") ? get(v, "x-forwarded-for") : get(v, "cs(x-forwarded-for)");
            if (!xff.isEmpty()) {
                byte[] xb = xff.getBytes(StandardCharsets.UTF_8);
                long x = WebLogReader.forwardedClient(xb, 0, xb.length);
                if (x >= 0) {
                    client = new String(xb, (int) (x >>> 32), (int) x - (int) (x >>> 32), StandardCharsets.UTF_8);
                }
            }
            if (!client.isEmpty()) {
                String ak = server + "|" + client;
                Addr a = addresses.get(ak);
                if (a == null && addresses.size() < MAX_KEYS) {
                    a = new Addr();
                    a.first = ref(line);
                    addresses.put(ak, a);
                }
                if (a != null) {
                    a.requests++;
                    if (!device.isEmpty() && a.devices.size() < MAX_DEVICES_PER_ADDRESS) {
                        a.devices.add(device);
                    }
                }
            }
            Load l = loads.computeIfAbsent(server, s -> new Load());
            if (l.first == null) {
                l.first = ref(line);
            }
            l.requests++;
            if (!device.isEmpty() && l.devices.size() < MAX_DEVICES) {
                l.devices.add(device);
            }
        }
        if (cmd.equalsIgnoreCase("Ping")) {
            int hb = heartbeat(log, params);
            long ms = parseLong(get(v, "time-taken"));
            if (ms >= 0) {
                String pk = server + "|" + hb;
                Ping p = pings.get(pk);
                if (p == null && pings.size() < 1000) {
                    p = new Ping();
                    p.first = ref(line);
                    pings.put(pk, p);
                }
                if (p != null) {
                    p.count++;
                    if (p.seconds.size() < 10_000) {
                        p.seconds.merge(Math.round(ms / 1000.0), 1L, Long::sum);
                    }
                }
            }
        }
    }

    private void finish() {
        for (Map.Entry<String, Eas> e : eas.entrySet()) {
            String[] k = e.getKey().split("\\|", -1);
            Eas g = e.getValue();
            String diag = LogTotals.mostCommon(g.diagnostics); // was: HashMap order on ties
            out.fact(new EasRequests(k[0], k[1], parseInt(k[2]), g.count, new ArrayList<>(g.users), g.devices.size(), diag,
                    List.of(g.first)));
        }
        for (Map.Entry<String, Addr> e : addresses.entrySet()) {
            Addr a = e.getValue();
            if (a.devices.size() >= 2) { // a single device per address says nothing about NAT or affinity
                String[] k = e.getKey().split("\\|", 2);
                out.fact(new EasAddress(k[0], k[1], a.devices.size(), a.requests, List.of(a.first)));
            }
        }
        for (Map.Entry<String, Load> e : loads.entrySet()) {
            out.fact(new EasServerLoad(e.getKey(), e.getValue().requests, e.getValue().devices.size(), List.of(e.getValue().first)));
        }
        for (Map.Entry<String, Ping> e : pings.entrySet()) {
            String[] k = e.getKey().split("\\|", 2);
            int hb = parseInt(k[1]);
            Ping p = e.getValue();
            long mode = 0;
            long atMode = 0;
            for (Map.Entry<Long, Long> s : p.seconds.entrySet()) {
                long near = s.getValue() + p.seconds.getOrDefault(s.getKey() - 1, 0L) + p.seconds.getOrDefault(s.getKey() + 1, 0L);
                if (near > atMode || near == atMode && s.getKey() < mode) {
                    atMode = near;
                    mode = s.getKey();
                }
            }
            long atHb = 0;
            if (hb > 0) {
                for (Map.Entry<Long, Long> s : p.seconds.entrySet()) {
                    if (Math.abs(s.getKey() - hb) <= Math.max(2, hb * 0.05)) {
                        atHb += s.getValue();
                    }
                }
            }
            out.fact(new PingTimes(k[0], hb, p.count, mode, atMode, atHb, List.of(p.first)));
        }
        for (Map.Entry<String, Err> e : errors.entrySet()) {
            String[] k = e.getKey().split("\\|", -1);
            out.fact(new HttpErrors(k[0], k[1], k[2], k[3], k[4], e.getValue().count, List.of(e.getValue().first)));
        }
        if (skipped > reported && reported >= MAX_PROBLEM_LINES) {
            out.problem(new EvidenceProblem(source, "", EvidenceProblem.MALFORMED, skipped + " lines skipped in all ("
                    + MAX_PROBLEM_LINES + " shown)"));
        }
        out.examined(source + ": " + (httperr ? "HTTP.sys error log" : "IIS W3C log") + ", server " + String.join(", ", servers)
                + (servers.isEmpty() ? "(none)" : "") + ", " + lines + " lines, " + dataLines + " entries"
                + (httperr ? ", " + errors.values().stream().mapToLong(x -> x.count).sum() + " errors"
                : ", " + easLines + " ActiveSync requests" + (probes == 0 ? "" : " (+" + probes + " health probes left out)")
                + (proxied == 0 ? "" : "; " + proxied + " of them passed on by a front end (/Proxy), not counted per client address or server"))
                + (skipped == 0 ? "" : ", " + skipped + " lines skipped") + (firstTime.isEmpty() ? "" : ", " + firstTime + " to " + lastTime + " UTC"));
    }

    private void skip(String why) {
        skipped++;
        if (reported < MAX_PROBLEM_LINES) {
            reported++;
            problem(lines, EvidenceProblem.MALFORMED, why + "; line skipped");
        }
    }

    private void problem(long line, org.exkb.engine.model.EvidenceProblem.Reason reason, String detail) {
        out.problem(new EvidenceProblem(source, "line " + line, reason, detail));
    }

    private EvidenceRef ref(String line) {
        return new EvidenceRef(source, "line " + lines, line);
    }

    private void indexFields() {
        index.clear();
        for (int i = 0; i < fields.size(); i++) {
            index.putIfAbsent(fields.get(i).toLowerCase(Locale.ROOT), i);
        }
    }

    private String get(String[] v, String field) {
        Integer i = index.get(field);
        if (i == null) {
            return "";
        }
        String x = v[i];
        return x.length() == 1 && x.charAt(0) == '-' ? "" : x;
    }

    /** Splits on single spaces (W3C never has empty fields: absent values are "-"). */
    private static String[] split(String line) {
        int n = 1;
        for (int i = line.indexOf(' '); i >= 0; i = line.indexOf(' ', i + 1)) {
            n++;
        }
        String[] out = new String[n];
        int at = 0;
        int k = 0;
        for (int i = line.indexOf(' '); i >= 0; i = line.indexOf(' ', i + 1)) {
            out[k++] = line.substring(at, i);
            at = i + 1;
        }
        out[k] = line.substring(at);
        return out;
    }

    /** The query string as lower-case names to decoded values (first value wins). */
    static Map<String, String> query(String q) {
        Map<String, String> m = new HashMap<>();
        if (q.isEmpty()) {
            return m;
        }
        byte[] qb = q.getBytes(StandardCharsets.UTF_8);
        EasQuery.Decoded d = EasQuery.base64(qb, 0, qb.length);
        if (d != null) {
            m.put("cmd", d.command());
            if (!d.user().isEmpty()) {
                m.put("user", d.user());
            }
            m.put("deviceid", d.deviceId());
        }
        for (String part : q.split("&")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = part.substring(0, eq).toLowerCase(Locale.ROOT);
            String value = part.substring(eq + 1);
            if (value.indexOf('%') >= 0 || value.indexOf('+') >= 0) {
                try {
                    value = URLDecoder.decode(value, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    // keep it as logged
                }
            }
            m.putIfAbsent(name, value);
        }
        return m;
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

    /** The heartbeat the device asked for: Exchange logs it as {@code Hb<seconds>} in Log=; 0 when absent. */
    static int heartbeat(String log, Map<String, String> params) {
        for (String t : log.split("_")) {
            if (t.matches("Hb\\d{1,5}")) {
                return Integer.parseInt(t.substring(2));
            }
        }
        String hb = params.getOrDefault("heartbeatinterval", "");
        return hb.matches("\\d{1,5}") ? Integer.parseInt(hb) : 0;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String clip(String s) {
        return s.length() <= 120 ? s : s.substring(0, 119) + "…";
    }
}
