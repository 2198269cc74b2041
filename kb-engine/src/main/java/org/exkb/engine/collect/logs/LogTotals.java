package org.exkb.engine.collect.logs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.exkb.engine.collect.Partial;
import org.exkb.engine.model.EasAddress;
import org.exkb.engine.model.EasRequests;
import org.exkb.engine.model.EasServerLoad;
import org.exkb.engine.model.EvidenceRef;
import org.exkb.engine.model.HttpErrors;
import org.exkb.engine.model.PingTimes;

/**
 * The aggregates of web logs (W3C and httperr): ActiveSync requests per server, command and status;
 * devices per client address and per server; Ping durations per server and heartbeat; HTTP.sys
 * errors per reason. Made from the stretches of one file ({@link #add}), then merged with those of
 * the other files read with it ({@link #plus}) before they become facts, so that a log rolled over
 * into many files (httperr every megabyte, W3C by hour or by size) says what one file would: the
 * same counts, and devices counted once however many files they appear in. Each group's evidence
 * is its first line in the first file that has it. Serializable: a cluster job (kb-spark) reads files on
 * its executors and merges their totals on the driver.
 */
final class LogTotals implements Partial, java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private static final int MAX_KEYS = WebLogReader.MAX_KEYS;
    private static final int MAX_DEVICES = WebLogReader.MAX_DEVICES;
    private static final int MAX_DEVICES_PER_ADDRESS = WebLogReader.MAX_DEVICES_PER_ADDRESS;
    private static final int MAX_PING_GROUPS = 1000;
    private static final int MAX_SECONDS = 10_000;
    private static final int MAX_DIAGNOSTICS = 50;

    private static final class Eas implements java.io.Serializable {
        final String server;
        final String command;
        final int status;
        long count;
        final List<String> users = new ArrayList<>();
        final ByteKeys.LongSet devices = new ByteKeys.LongSet();
        final Map<String, Long> diagnostics = new LinkedHashMap<>(); // first seen first: ties go to it
        final EvidenceRef first;

        Eas(String server, String command, int status, EvidenceRef first) {
            this.server = server;
            this.command = command;
            this.status = status;
            this.first = first;
        }

        void user(String user) {
            if (users.size() < EasRequests.MAX_USERS && !users.contains(user)) {
                users.add(user);
            }
        }

        void diagnostic(String d, long n) {
            if (diagnostics.size() < MAX_DIAGNOSTICS) { // as the lines are counted: nothing more once 50 are known
                diagnostics.merge(d, n, Long::sum);
            }
        }
    }

    private static final class Counted implements java.io.Serializable {
        final String server;
        final String key;
        long count;
        final ByteKeys.LongSet devices = new ByteKeys.LongSet();
        final ByteKeys.LongCounts seconds = new ByteKeys.LongCounts();
        final EvidenceRef first;

        Counted(String server, String key, EvidenceRef first) {
            this.server = server;
            this.key = key;
            this.first = first;
        }
    }

    /** One httperr group: what it is (from the part that saw it first), its first line, its count. */
    private static final class ErrTotal implements java.io.Serializable {
        final WebLogPart.Err what;
        final EvidenceRef first;
        long count;

        ErrTotal(WebLogPart.Err what, EvidenceRef first) {
            this.what = what;
            this.first = first;
        }
    }

    private final Map<String, Eas> eas = new LinkedHashMap<>();
    private final Map<String, Counted> addresses = new LinkedHashMap<>();
    private final Map<String, Counted> loads = new LinkedHashMap<>();
    private final Map<String, Counted> pings = new LinkedHashMap<>();
    private final Map<String, ErrTotal> errors = new LinkedHashMap<>();
    /** The first and last time stamps of the data ("yyyy-mm-dd hh:mm:ss"; empty when the lines carry none). */
    private String firstTime = "";
    private String lastTime = "";
    /** Whether some of the lines fall on another day than the first and the last do. */
    private boolean manyDays;

    /** The time span of a file's data lines (W3C and httperr write "yyyy-mm-dd hh:mm:ss", UTC). */
    void span(String first, String last) {
        if (!first.isEmpty() && (firstTime.isEmpty() || first.compareTo(firstTime) < 0)) {
            firstTime = first;
        }
        if (!last.isEmpty() && last.compareTo(lastTime) > 0) {
            lastTime = last;
        }
    }

    /** Says that some of the lines fall on another day than the first and last do (a run of another day inside one). */
    void manyDays() {
        manyDays = true;
    }

    @Override
    public String day() {
        if (manyDays || firstTime.length() < 10 || lastTime.length() < 10 || !firstTime.regionMatches(0, lastTime, 0, 10)
                || !firstTime.substring(0, 10).matches("\\d{4}-\\d{2}-\\d{2}")) {
            return "";
        }
        return firstTime.substring(0, 10);
    }

    /** Adds a stretch of the file {@code source} whose first line is line {@code base + 1}. */
    void add(WebLogPart p, String source, long base) {
        for (WebLogPart.Eas g : p.eas) {
            String server = p.servers.name(g.server);
            Eas m = eas(server, g.command, g.status, ref(source, base, g.first));
            if (m != null) {
                m.count += g.count;
                for (byte[] u : g.users) {
                    m.user(new String(u, StandardCharsets.UTF_8));
                }
                addDevices(m.devices, p, g.devices, MAX_DEVICES);
                g.diagnostics.forEach(m::diagnostic);
            }
        }
        for (WebLogPart.Addr a : p.addresses) {
            Counted m = counted(addresses, p.servers.name(a.server), a.client, ref(source, base, a.first), MAX_KEYS);
            if (m != null) {
                m.count += a.requests;
                addDevices(m.devices, p, a.devices, MAX_DEVICES_PER_ADDRESS);
            }
        }
        for (WebLogPart.Load l : p.loads) {
            Counted m = counted(loads, p.servers.name(l.server), "", ref(source, base, l.first), Integer.MAX_VALUE);
            m.count += l.requests;
            addDevices(m.devices, p, l.devices, MAX_DEVICES);
        }
        for (WebLogPart.Ping g : p.pings) {
            Counted m = counted(pings, p.servers.name(g.server), Integer.toString(g.heartbeat), ref(source, base, g.first), MAX_PING_GROUPS);
            if (m != null) {
                m.count += g.count;
                addSeconds(m, g.seconds);
            }
        }
        for (Map.Entry<String, WebLogPart.Err> e : p.errors.entrySet()) {
            ErrTotal t = errors.get(e.getKey());
            if (t == null && errors.size() < MAX_KEYS) {
                t = new ErrTotal(e.getValue(), ref(source, base, e.getValue().first));
                errors.put(e.getKey(), t);
            }
            if (t != null) {
                t.count += e.getValue().count;
            }
        }
    }

    @Override
    public Partial empty() {
        return new LogTotals();
    }

    @Override
    public long weight() {
        long w = 256;
        for (Eas g : eas.values()) {
            w += 256 + g.devices.bytes() + 64L * g.users.size();
        }
        for (Map<String, Counted> m : List.of(addresses, loads, pings)) {
            for (Counted c : m.values()) {
                w += 192 + c.devices.bytes() + c.seconds.bytes();
            }
        }
        return w + 256L * errors.size();
    }

    /** Merges the totals of a file read after this one's into this one (and answers it). */
    @Override
    public Partial plus(Partial later) {
        LogTotals o = (LogTotals) later;
        span(o.firstTime, o.lastTime);
        manyDays |= o.manyDays;
        o.eas.values().forEach(g -> {
            Eas m = eas(g.server, g.command, g.status, g.first);
            if (m != null) {
                m.count += g.count;
                g.users.forEach(m::user);
                addAll(m.devices, g.devices, MAX_DEVICES);
                g.diagnostics.forEach(m::diagnostic);
            }
        });
        merge(addresses, o.addresses, MAX_KEYS, MAX_DEVICES_PER_ADDRESS);
        merge(loads, o.loads, Integer.MAX_VALUE, MAX_DEVICES);
        merge(pings, o.pings, MAX_PING_GROUPS, MAX_DEVICES);
        o.errors.forEach((key, e) -> {
            ErrTotal t = errors.get(key);
            if (t == null && errors.size() < MAX_KEYS) {
                t = new ErrTotal(e.what, e.first);
                errors.put(key, t);
            }
            if (t != null) {
                t.count += e.count;
            }
        });
        return this;
    }

    /** HTTP.sys errors counted. */
    long errorCount() {
        return errors.values().stream().mapToLong(t -> t.count).sum();
    }

    @Override
    public List<Object> facts() {
        List<Object> out = new ArrayList<>();
        for (Eas g : eas.values()) {
            out.add(new EasRequests(g.server, g.command, g.status, g.count, g.users, g.devices.size(), mostCommon(g.diagnostics),
                    List.of(g.first)));
        }
        for (Counted a : addresses.values()) {
            if (a.devices.size() >= 2) { // a single device per address says nothing about NAT or affinity
                out.add(new EasAddress(a.server, a.key, a.devices.size(), a.count, List.of(a.first)));
            }
        }
        for (Counted l : loads.values()) {
            out.add(new EasServerLoad(l.server, l.count, l.devices.size(), List.of(l.first)));
        }
        for (Counted p : pings.values()) {
            out.add(pingTimes(p));
        }
        for (ErrTotal t : errors.values()) {
            WebLogPart.Err x = t.what;
            out.add(new HttpErrors(x.server, x.reason, x.queue, x.method, x.command, t.count, List.of(t.first)));
        }
        return out;
    }

    private Eas eas(String server, String command, int status, EvidenceRef first) {
        String key = server + "\0" + command + "\0" + status;
        Eas m = eas.get(key);
        if (m == null && eas.size() < MAX_KEYS) {
            m = new Eas(server, command, status, first);
            eas.put(key, m);
        }
        return m;
    }

    private static Counted counted(Map<String, Counted> map, String server, String key, EvidenceRef first, int cap) {
        String k = server + "\0" + key;
        Counted m = map.get(k);
        if (m == null && map.size() < cap) {
            m = new Counted(server, key, first);
            map.put(k, m);
        }
        return m;
    }

    private static void merge(Map<String, Counted> into, Map<String, Counted> later, int cap, int deviceCap) {
        later.values().forEach(c -> {
            Counted m = counted(into, c.server, c.key, c.first, cap);
            if (m != null) {
                m.count += c.count;
                addAll(m.devices, c.devices, deviceCap);
                addSeconds(m, c.seconds);
            }
        });
    }

    private static void addSeconds(Counted m, ByteKeys.LongCounts seconds) {
        seconds.forEach((second, n) -> {
            m.seconds.add(second, n, MAX_SECONDS);
            return 0;
        });
    }

    /** Adds a part's device ids, as their hashes, while the set has fewer than {@code cap}. */
    private static void addDevices(ByteKeys.LongSet to, WebLogPart p, ByteKeys.IdSet ids, int cap) {
        ids.forEach(id -> {
            if (to.size() < cap) {
                to.add(p.deviceIds.hash(id));
            }
        });
    }

    private static void addAll(ByteKeys.LongSet to, ByteKeys.LongSet from, int cap) {
        from.forEach(h -> {
            if (to.size() < cap) {
                to.add(h);
            }
        });
    }

    /** The most common key; of equally common ones, the first seen. */
    static String mostCommon(Map<String, Long> counts) {
        String best = "";
        long most = 0;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (e.getValue() > most) {
                most = e.getValue();
                best = e.getKey();
            }
        }
        return best;
    }

    /** How long the Pings of one server and heartbeat lasted: the most common duration (with its neighbours), and how many lasted the heartbeat. */
    private static PingTimes pingTimes(Counted p) {
        int hb = Integer.parseInt(p.key);
        long[] best = {0, 0}; // the mode and how many lasted it (give or take a second)
        p.seconds.forEach((second, n) -> {
            long near = n + p.seconds.get(second - 1) + p.seconds.get(second + 1);
            if (near > best[1] || near == best[1] && second < best[0]) {
                best[1] = near;
                best[0] = second;
            }
            return 0;
        });
        long[] atHeartbeat = {0};
        if (hb > 0) {
            p.seconds.forEach((second, n) -> {
                if (Math.abs(second - hb) <= Math.max(2, hb * 0.05)) {
                    atHeartbeat[0] += n;
                }
                return 0;
            });
        }
        return new PingTimes(p.server, hb, p.count, best[0], best[1], atHeartbeat[0], List.of(p.first));
    }

    private static EvidenceRef ref(String source, long base, WebLogPart.First first) {
        return new EvidenceRef(source, "line " + (base + first.line()), first.text());
    }
}
