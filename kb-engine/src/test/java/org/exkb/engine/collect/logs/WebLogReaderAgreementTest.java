package org.exkb.engine.collect.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.model.EasAddress;
import org.exkb.engine.model.EasRequests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The byte-level {@link WebLogReader} must say exactly what the first, line-and-String reader
 * ({@link ReferenceWebLogReader}) says - facts, problems with their lines, and the summary - on
 * generated logs with every feature the format has (header changes mid-file, repeated header
 * blocks, NUL padding, broken headers, wrong value counts, non-ASCII and invalid bytes, CRLF, LF
 * and lone CR, percent-encoding, health probes, httperr without #Fields) and on thousands of
 * randomly damaged copies; read sequentially, from a stream, and in stretches on several threads.
 */
class WebLogReaderAgreementTest {
    @TempDir
    Path dir;

    static final String[] FIELD_SETS = {
        "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken",
        "date time s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status"
            + " sc-substatus sc-win32-status sc-bytes cs-bytes time-taken",
        "time date c-ip cs-uri-query sc-status cs-uri-stem cs-username time-taken cs(User-Agent)",
        "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus"
            + " sc-win32-status time-taken X-Forwarded-For",
    };
    static final String[] FORWARDED = {"203.0.113.%d", "192.0.2.1,+203.0.113.%d", "203.0.113.%d:51234", "unknown", "-", "[2001:db8::%d]:443"};
    static final String[] COMMANDS = {"Sync", "Ping", "FolderSync", "SendMail", "Options", "GetItemEstimate", ""};
    static final String[] AGENTS = {"Apple-iPhone4C1/902.206", "Android-Mail/7.11.17", "MSEXCHMON/15.0", "AMProbe/Local", "-"};

    /** A W3C log with all the shapes real ones take, deterministic for a seed. */
    static byte[] w3c(long seed, int lines) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder();
        if (r.nextBoolean()) {
            b.append('\ufeff');
        }
        String nl = r.nextInt(5) == 0 ? "\n" : "\r\n";
        String fields = FIELD_SETS[r.nextInt(FIELD_SETS.length)];
        header(b, fields, nl);
        for (int i = 0; i < lines; i++) {
            int what = r.nextInt(200);
            if (what == 0) { // a restart: a new header block, perhaps with other fields
                fields = FIELD_SETS[r.nextInt(FIELD_SETS.length)];
                header(b, fields, nl);
            } else if (what == 1) { // a crash: NUL padding, then the header IIS writes after the restart
                b.append("\0".repeat(1 + r.nextInt(3000)));
                if (r.nextBoolean()) {
                    b.append(nl);
                }
                header(b, fields, nl);
            } else if (what == 2) {
                b.append("#Fields: date time ??? broken").append(nl);
                if (r.nextBoolean()) {
                    header(b, fields, nl);
                }
            } else if (what == 3) {
                b.append(nl); // an empty line
            } else if (what == 4) {
                b.append("2026-11-20 08:00:00 too few values").append(nl);
            } else if (what == 5) {
                b.append(r.nextBoolean() ? "\r" : "\n");
            } else if (what == 6) { // a line that went through an editor: trailing blanks; or blanks alone
                b.append(r.nextBoolean() ? line(r, fields, i) : "").append(new String[] {" ", "  ", "\t", " \t "}[r.nextInt(4)]).append(nl);
            } else {
                b.append(line(r, fields, i)).append(nl);
            }
        }
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        if (seed % 3 == 0) { // invalid bytes here and there
            for (int i = 0; i < 5; i++) {
                bytes[r.nextInt(bytes.length)] = (byte) (0x80 + r.nextInt(0x80));
            }
        }
        return bytes;
    }

    static void header(StringBuilder b, String fields, String nl) {
        b.append("#Software: Microsoft Internet Information Services 10.0").append(nl).append("#Version: 1.0").append(nl)
                .append("#Date: 2026-11-20 00:00:00").append(nl).append("#Fields: ").append(fields).append(nl);
    }

    static String line(Random r, String fields, int i) {
        int device = r.nextInt(60);
        String user = r.nextInt(30) == 0 ? "HealthMailbox0c1d2e" : r.nextInt(40) == 0 ? "j%C3%BCrgen" : "user" + device % 25;
        String cmd = COMMANDS[r.nextInt(COMMANDS.length)];
        boolean eas = r.nextInt(10) < 7;
        int status = new int[] {200, 200, 200, 403, 413, 500, 401}[r.nextInt(7)];
        String log = cmd.equals("Ping") ? "V141_Hb" + (r.nextBoolean() ? 900 : 480) + "_Sst3"
                : status >= 400 ? "V141_Error:" + (r.nextBoolean() ? "UserPrincipalCouldNotBeFound" : "RequestEntityTooLarge") : "V141_Sst2";
        String query = eas ? (r.nextInt(8) == 0 ? "cmd=" + cmd + "&user=" + user : "User=" + user + "&DeviceId=Appl" + device + "&DeviceType=iPhone"
                + (cmd.isEmpty() ? "" : "&Cmd=" + cmd) + "&Log=" + log + (r.nextInt(6) == 0 ? "&HeartbeatInterval=900" : "")
                + (r.nextInt(10) == 0 ? "&User=second" : "") + (r.nextInt(12) == 0 ? "&DeviceId=Appl+%2Bx" + device : ""))
                : r.nextBoolean() ? "-" : "a=1&b";
        int code = java.util.Arrays.asList(EasQuery.COMMANDS).indexOf(cmd);
        if (eas && code >= 0 && r.nextInt(10) == 0) { // a base64 query value (Windows Phone), Exchange's Log= after it
            query = EasQueryTest.encode(141, code, ("WP" + device).getBytes(StandardCharsets.US_ASCII), new byte[0], "WP",
                    r.nextBoolean() ? "wpuser" + device % 25 : "") + (r.nextBoolean() ? "&Log=" + log : "");
        }
        String stem = eas ? (r.nextBoolean() ? "/Microsoft-Server-ActiveSync/default.eas" : "/microsoft-server-activesync/Proxy")
                : r.nextBoolean() ? "/owa/" : "/EWS/Exchange.asmx";
        long taken = cmd.equals("Ping") ? (r.nextBoolean() ? 899_000 + r.nextInt(1500) : 300_000 + r.nextInt(800)) : r.nextInt(500);
        String client = "198.51.100." + (10 + device % 7);
        String time = String.format("%02d:%02d:%02d", i / 3600 % 24, i / 60 % 60, i % 60);
        StringBuilder b = new StringBuilder();
        for (String f : fields.split(" ")) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(switch (f) {
                case "date" -> "2026-11-20";
                case "time" -> time;
                case "s-computername" -> r.nextInt(50) == 0 ? "-" : "CAS0" + (1 + r.nextInt(2));
                case "s-ip" -> "10.0.0.21";
                case "cs-method" -> "POST";
                case "cs-uri-stem" -> stem;
                case "cs-uri-query" -> query;
                case "s-port" -> "443";
                case "cs-username" -> r.nextInt(5) == 0 ? "-" : "contoso\\" + user;
                case "c-ip" -> client;
                case "cs(User-Agent)" -> AGENTS[r.nextInt(AGENTS.length)].replace(' ', '+');
                case "sc-status" -> Integer.toString(status);
                case "time-taken" -> Long.toString(taken);
                case "X-Forwarded-For" -> String.format(FORWARDED[r.nextInt(FORWARDED.length)], device % 5); // c-ip is then the balancer's
                default -> r.nextBoolean() ? "0" : "-";
            });
        }
        return b.toString();
    }

    static byte[] httperr(long seed, boolean withFields) {
        return httperr(seed, withFields, 0);
    }

    /** An httperr log in one of HTTP.sys's layouts ({@link WebLogReader#HTTPERR_DEFAULTS}: 0 original, 1 with streamid, 2 also streamid_ex and transport). */
    static byte[] httperr(long seed, boolean withFields, int layout) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder("#Software: Microsoft HTTP API 2.0\r\n#Version: 1.0\r\n#Date: 2026-11-20 00:00:00\r\n");
        if (withFields) {
            b.append("#Fields: ").append(String.join(" ", WebLogReader.HTTPERR_DEFAULTS.get(layout))).append("\r\n");
        }
        String stream = layout == 0 ? "" : layout == 1 ? " -" : " - -";
        String transport = layout == 2 ? " -" : "";
        for (int i = 0; i < 300; i++) {
            boolean eas = r.nextInt(3) == 0;
            b.append("2026-11-20 01:00:").append(String.format("%02d", i % 60)).append(" 198.51.100.").append(10 + r.nextInt(5))
                    .append(" 5000").append(r.nextInt(10)).append(" 10.0.0.21 443 HTTP/1.1 ").append(eas ? "POST " : "GET ")
                    .append(eas ? "/Microsoft-Server-ActiveSync/default.eas?User=u" + r.nextInt(4) + "&Cmd=" + (r.nextBoolean() ? "SendMail" : "Sync")
                            : "/owa/").append(stream).append(r.nextInt(4) == 0 ? " 400 - " : " - 1 ")
                    .append(eas ? "Connection_Abandoned_By_AppPool MSExchangeSyncAppPool" : r.nextBoolean() ? "Timer_ConnectionIdle -" : "- -")
                    .append(transport).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** What a reader said, in a form that compares: facts in a fixed order, problems and examined in theirs. */
    static String said(CollectResult r) {
        List<String> facts = new ArrayList<>();
        for (Object f : r.facts()) {
            facts.add(f instanceof EasAddress ? "addr " + f : f.toString());
        }
        facts.sort(Comparator.naturalOrder());
        return String.join("\n", facts) + "\n--\n" + r.problems().stream().map(Object::toString).reduce("", (x, y) -> x + y + "\n")
                + "--\n" + String.join("\n", r.examined());
    }

    String reference(byte[] log, boolean httperr) throws IOException {
        CollectResult r = new CollectResult();
        new ReferenceWebLogReader("u_ex.log", "FOLDER", httperr, r).charset("UTF-8")
                .read(LogText.reader(new ByteArrayInputStream(log), StandardCharsets.UTF_8));
        return said(r);
    }

    String fromStream(byte[] log, boolean httperr) throws IOException {
        CollectResult r = new CollectResult();
        new WebLogReader("u_ex.log", "FOLDER", httperr, r).read(new ByteArrayInputStream(log));
        return said(r);
    }

    String inStretches(byte[] log, boolean httperr, int threads) throws IOException {
        return fromFile(log, httperr, threads)[1];
    }

    /** Read from a file on {@code threads} threads (stretches of about a {@code threads + 1}th): its partials day by day, and what it said. */
    String[] fromFile(byte[] log, boolean httperr, int threads) throws IOException {
        Path f = dir.resolve("u_ex.log");
        Files.write(f, log);
        CollectResult r = new CollectResult();
        new WebLogReader("u_ex.log", "FOLDER", httperr, r).parallel(threads, Math.max(1, log.length / (threads + 1)))
                .read(f);
        return new String[] {perDay(r), said(r)};
    }

    /** The partials a reader gave, in order: the day of each and its facts (left in the result). */
    static String perDay(CollectResult r) {
        List<org.exkb.engine.collect.Partial> partials = r.takePartials();
        StringBuilder b = new StringBuilder();
        for (org.exkb.engine.collect.Partial p : partials) {
            b.append("partial of day '").append(p.day()).append("'\n");
            p.facts().stream().map(x -> x instanceof EasAddress ? "addr " + x : x.toString()).sorted().forEach(x -> b.append(x).append('\n'));
            r.partial(p);
        }
        return b.toString();
    }

    /**
     * Read as a cluster reads it ({@link LogStretches}): planned, each stretch read alone (last first)
     * and sent through Java serialization, joined where they meet; null when the file is not cut.
     * With {@code lost}, that stretch never comes back (its task failed): the join reads it itself.
     */
    String[] apart(byte[] log, int stretches, int lost) throws IOException {
        Path f = Files.createDirectories(dir.resolve("FOLDER")).resolve("u_ex261120.log");
        Files.write(f, log);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f)) {
            LogStretches.Positioned file = LogStretches.of(ch);
            LogStretches.Plan plan = LogStretches.plan(f.toString(), file, Math.max(1, log.length / (stretches + 1)), stretches);
            if (plan == null) {
                return null;
            }
            assertTrue(plan.stretches() >= stretches, "stretches planned: " + plan.stretches());
            List<LogStretches.Stretch> read = new ArrayList<>();
            for (int k = plan.stretches() - 1; k >= 0; k--) {
                if (k != lost) {
                    read.add(travel(LogStretches.read(plan, k, file)));
                }
            }
            CollectResult r = LogStretches.join(plan, read, file);
            return new String[] {perDay(r).replace(f.toString(), "u_ex.log"), said(r).replace(f.toString(), "u_ex.log")};
        }
    }

    static LogStretches.Stretch travel(LogStretches.Stretch s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(b)) {
            o.writeObject(s);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
            return (LogStretches.Stretch) in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Equal, or a failure that shows only the lines that differ. */
    static void same(String expected, String actual, String what) {
        if (expected.equals(actual)) {
            return;
        }
        List<String> e = List.of(expected.split("\n", -1));
        List<String> a = List.of(actual.split("\n", -1));
        StringBuilder b = new StringBuilder(what + " differs from the reference:\n");
        e.stream().filter(x -> !a.contains(x)).limit(5).forEach(x -> b.append("  only in the reference: ").append(x).append('\n'));
        a.stream().filter(x -> !e.contains(x)).limit(5).forEach(x -> b.append("  only in the new reader: ").append(x).append('\n'));
        if (e.size() != a.size() || b.indexOf("only in") < 0) {
            b.append("  (").append(e.size()).append(" lines against ").append(a.size()).append(", same lines in another order?)");
        }
        org.junit.jupiter.api.Assertions.fail(b.toString());
    }

    void agree(byte[] log, boolean httperr, String what) throws IOException {
        String expected = reference(log, httperr);
        same(expected, fromStream(log, httperr), what + ", read from a stream");
        String[] one = fromFile(log, httperr, 1);
        same(expected, one[1], what + ", read from its file on one thread");
        for (int threads : new int[] {3, 7}) {
            String[] t = fromFile(log, httperr, threads);
            same(expected, t[1], what + ", read in " + threads + " stretches");
            same(one[0], t[0], what + ", the partials of each day read in " + threads + " stretches");
        }
        if (!httperr) {
            String[] apart = apart(log, 5, -1);
            assertTrue(apart != null, what + ": a W3C log with a #Fields header at its start is cut");
            same(expected, apart[1], what + ", read in 5 stretches apart, each serialized");
            same(one[0], apart[0], what + ", the partials of each day read in 5 stretches apart");
            String[] lost = apart(log, 5, log.length % 5);
            same(expected, lost[1], what + ", read in 5 stretches apart, one of them lost on the way");
            same(one[0], lost[0], what + ", the partials of each day, one stretch lost on the way");
        }
    }

    @Test
    void generatedLogsGiveTheSameFactsProblemsAndSummary() throws IOException {
        for (long seed = 0; seed < 40; seed++) {
            agree(w3c(seed, 2000), false, "seed " + seed);
        }
    }

    /** A generated log whose data lines move through {@code days} days (from 2026-11-20), as one rolled over weekly or monthly. */
    static byte[] days(long seed, int lines, int days) {
        String text = new String(w3c(seed, lines), StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?<!#Date: )2026-11-20").matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, String.format("2026-11-%02d", 20 + (int) ((long) m.start() * days / text.length())));
        }
        m.appendTail(b);
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Where each new day begins, read line by line: the first data line with a new date (its first value shaped yyyy-mm-dd). */
    static List<Long> naiveDayCuts(byte[] log) {
        List<Long> cuts = new ArrayList<>();
        String day = null;
        int s = 0;
        while (s < log.length) {
            int e = s;
            while (e < log.length && log[e] != '\n' && log[e] != '\r') {
                e++;
            }
            String line = new String(log, s, e - s, StandardCharsets.ISO_8859_1);
            if (!line.startsWith("#")) {
                for (String v : line.split(" ")) {
                    if (v.matches("\\d{4}-\\d{2}-\\d{2}")) {
                        if (day != null && !v.equals(day)) {
                            cuts.add((long) s);
                        }
                        day = v;
                        break;
                    }
                }
            }
            s = e + 1;
        }
        return cuts;
    }

    /**
     * A log of several days is read in a part per day, each giving a partial of its day; merged, they
     * say what the reference says of the whole file, however the file is read.
     */
    @Test
    void aLogOfSeveralDaysGivesAPartialPerDayAndTheSameWhole() throws IOException {
        for (long seed = 0; seed < 12; seed++) {
            int n = 1 + (int) (seed % 6);
            byte[] log = days(seed, 3000, n);
            Path f = dir.resolve("u_ex2611.log");
            Files.write(f, log);
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f)) {
                assertEquals(naiveDayCuts(log), WebLogReader.dayCuts(LogStretches.of(ch), log.length), "seed " + seed + ": where the days begin");
            }
            agree(log, false, "seed " + seed + " over " + n + " days");
            CollectResult r = new CollectResult();
            new WebLogReader("u_ex2611.log", "FOLDER", false, r).read(f);
            List<String> days = r.takePartials().stream().map(org.exkb.engine.collect.Partial::day).toList();
            List<String> expected = new ArrayList<>();
            for (int d = 0; d < n; d++) {
                expected.add(String.format("2026-11-%02d", 20 + d));
            }
            assertEquals(expected, days, "seed " + seed + ": a partial per day");
        }
        // days out of order (the file's halves swapped, as after a clock set back): the cuts fall where
        // the bisection finds them, and the partials are still the same however the file is read
        for (long seed = 20; seed < 26; seed++) {
            byte[] log = days(seed, 3000, 4);
            int mid = log.length / 2;
            while (mid < log.length && log[mid - 1] != '\n') {
                mid++;
            }
            String text = new String(log, StandardCharsets.ISO_8859_1);
            int fields = text.indexOf('\n', text.indexOf("#Fields:")) + 1; // the file still starts with its header
            java.io.ByteArrayOutputStream swapped = new java.io.ByteArrayOutputStream();
            swapped.write(log, 0, fields);
            swapped.write(log, mid, log.length - mid);
            swapped.write(log, fields, mid - fields);
            agree(swapped.toByteArray(), false, "seed " + seed + " with its days out of order");
        }
        // a short run of another day inside a day (the bisection does not see it): that day's part spans
        // two days and stays out of the day view, the same way on any number of threads and apart
        for (long seed = 30; seed < 36; seed++) {
            Random r = new Random(seed);
            StringBuilder b = new StringBuilder();
            header(b, FIELD_SETS[0], "\r\n");
            for (int i = 0; i < 3000; i++) {
                String day = i >= 1500 ? "2026-11-21" : i >= 600 && i < 630 ? "2026-11-25" : "2026-11-20";
                b.append(line(r, FIELD_SETS[0], i).replace("2026-11-20", day)).append("\r\n");
            }
            byte[] log = b.toString().getBytes(StandardCharsets.UTF_8);
            agree(log, false, "seed " + seed + " with a run of another day inside a day");
            String[] one = fromFile(log, false, 1);
            List<String> partials = one[0].lines().filter(l -> l.startsWith("partial")).toList();
            assertTrue(partials.contains("partial of day ''") && partials.contains("partial of day '2026-11-21'")
                    && !partials.contains("partial of day '2026-11-20'"), "the part with both days is in no day: " + partials);
        }
    }

    @Test
    void theGeneratedLogsExerciseWhatTheyClaim() throws IOException {
        CollectResult r = new CollectResult();
        new WebLogReader("u_ex.log", "FOLDER", false, r).read(new ByteArrayInputStream(w3c(3, 20_000)));
        String all = said(r);
        assertTrue(all.contains("NUL padding"), "NUL padding");
        assertTrue(all.contains("#Fields header is broken"), "broken header");
        assertTrue(all.contains("values for the"), "value counts");
        assertTrue(all.contains("not valid UTF-8"), "invalid bytes");
        assertTrue(all.contains("health probes left out"), "health probes");
        assertTrue(all.contains("passed on by a front end (/Proxy)"), "back-end requests");
        assertTrue(r.facts().stream().anyMatch(f -> f instanceof EasRequests e && e.users().contains("jürgen")), "percent-encoded user");
        assertTrue(r.facts().stream().anyMatch(f -> f instanceof EasAddress), "addresses with several devices");
        assertTrue(r.facts().stream().anyMatch(f -> f instanceof EasAddress a && a.address().startsWith("203.0.113.")),
                "client addresses from X-Forwarded-For");
        assertTrue(r.facts().stream().anyMatch(f -> f instanceof EasAddress a && a.address().startsWith("2001:db8::")), "IPv6 in brackets");
        assertTrue(r.facts().stream().anyMatch(f -> f instanceof EasRequests e && e.users().stream().anyMatch(u -> u.startsWith("wpuser"))
                && !e.command().isEmpty()), "base64 query values: command and user decoded");
    }

    @Test
    void damagedCopiesGiveTheSameAsTheReference() throws IOException {
        byte[] palette = {' ', '\n', '\r', 0, (byte) 0xc3, (byte) 0xff, '#', '-', '&', '=', '%', '+', 'x', '9', '?'};
        Random r = new Random(7);
        byte[] base = w3c(11, 600);
        for (int i = 0; i < 1500; i++) {
            byte[] log = base.clone();
            int changes = 1 + r.nextInt(8);
            for (int c = 0; c < changes; c++) {
                log[r.nextInt(log.length)] = palette[r.nextInt(palette.length)];
            }
            if (r.nextInt(5) == 0) { // cut anywhere
                log = java.util.Arrays.copyOf(log, r.nextInt(log.length));
            }
            String expected = reference(log, false);
            same(expected, fromStream(log, false), "damaged copy " + i);
            if (i % 10 == 0) {
                same(expected, inStretches(log, false, 4), "damaged copy " + i + " in stretches");
                String[] apart = apart(log, 4, -1);
                if (apart != null) {
                    same(expected, apart[1], "damaged copy " + i + " in stretches apart");
                }
            }
        }
    }

    /**
     * More ActiveSync groups (server, command, status) than the 64 whose devices are kept as bits
     * beside each device, more servers than the 32 kept so, and devices that move between addresses
     * and back: the counts of distinct devices must still be those of the reference.
     */
    @Test
    void manyGroupsServersAndMovingDevices() throws IOException {
        Random r = new Random(17);
        StringBuilder b = new StringBuilder();
        String fields = FIELD_SETS[1];
        header(b, fields, "\r\n");
        for (int i = 0; i < 6000; i++) {
            int device = r.nextInt(300);
            String server = "CAS" + (i < 3000 ? r.nextInt(3) : r.nextInt(40));
            String client = "198.51.100." + (device % 9 + (r.nextInt(4) == 0 ? r.nextInt(3) : 0));
            String query = "User=user" + device % 50 + "&DeviceId=Dev" + device + "&Cmd=Cmd" + r.nextInt(30) + "&Log=V141";
            int status = new int[] {200, 403, 500}[r.nextInt(3)];
            String line = "2026-11-20 00:00:00 " + server + " 10.0.0.21 POST /Microsoft-Server-ActiveSync/default.eas " + query
                    + " 443 contoso\\user" + device % 50 + " " + client + " Apple-iPhone/1.0 - " + status + " 0 0 10 20 " + r.nextInt(500);
            assertEquals(fields.split(" ").length, line.split(" ").length, line);
            b.append(line).append("\r\n");
        }
        byte[] log = b.toString().getBytes(StandardCharsets.UTF_8);
        String expected = reference(log, false);
        assertTrue(expected.contains("server=CAS39"), "40 servers");
        assertTrue(expected.chars().filter(c -> c == '\n').count() > 40 * 30, "many groups");
        agree(log, false, "90 groups on 40 servers");
    }

    @Test
    void httperrWithAndWithoutFields() throws IOException {
        agree(httperr(1, true), true, "httperr with #Fields");
        agree(httperr(2, false), true, "httperr without #Fields");
        for (int layout = 1; layout <= 2; layout++) {
            agree(httperr(3, true, layout), true, "httperr layout " + layout + " with #Fields");
            agree(httperr(4, false, layout), true, "httperr layout " + layout + " without #Fields");
            // without a header, the layout is the one with as many fields as the lines have values: nothing is skipped
            String s = fromStream(httperr(4, false, layout), true);
            assertTrue(s.contains("reason=Connection_Abandoned_By_AppPool"), s);
            assertTrue(s.contains(layout == 1 ? "cs-uri streamid sc-status" : "streamid_ex sc-status") && !s.contains("skipped"), s);
        }
    }

    @Test
    void utf16LogsAreReadThroughTheirDecoder() throws IOException {
        byte[] utf8 = w3c(5, 500);
        String text = new String(utf8, StandardCharsets.UTF_8);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0xff);
        b.write(0xfe);
        byte[] utf16 = text.replace("\ufeff", "").getBytes(StandardCharsets.UTF_16LE);
        int mid = utf16.length / 2 & ~1;
        b.write(utf16, 0, mid);
        b.write(new byte[] {0, (byte) 0xd8}); // a lone high surrogate: not valid UTF-16
        b.write(utf16, mid, utf16.length - mid);
        byte[] log = b.toByteArray();
        CollectResult ref = new CollectResult();
        new ReferenceWebLogReader("u_ex.log", "FOLDER", false, ref).charset("UTF-16LE")
                .read(LogText.reader(new ByteArrayInputStream(log), StandardCharsets.UTF_16LE));
        CollectResult now = new CollectResult();
        new WebLogReader("u_ex.log", "FOLDER", false, now).charset("UTF-16LE")
                .read(LogText.reader(new ByteArrayInputStream(log), StandardCharsets.UTF_16LE));
        same(said(ref), said(now), "UTF-16LE");
        assertTrue(said(now).contains("not valid UTF-16LE"), said(now));
    }

    @Test
    void aStretchThatStartsUnderAnotherHeaderIsReadAgainWithIt() throws IOException {
        // the first stretch changes the fields; the second cannot know it until the first is done
        StringBuilder b = new StringBuilder();
        header(b, FIELD_SETS[0], "\r\n");
        Random r = new Random(3);
        for (int i = 0; i < 200; i++) {
            b.append(line(r, FIELD_SETS[0], i)).append("\r\n");
        }
        header(b, FIELD_SETS[2], "\r\n");
        for (int i = 0; i < 2000; i++) {
            b.append(line(r, FIELD_SETS[2], i)).append("\r\n");
        }
        byte[] log = b.toString().getBytes(StandardCharsets.UTF_8);
        String expected = reference(log, false);
        assertTrue(expected.contains("ActiveSync requests"), expected);
        same(expected, inStretches(log, false, 4), "fields changed in the first stretch");
        // and a stretch that starts inside NUL padding
        byte[] padded = (new String(log, StandardCharsets.UTF_8).substring(0, 20_000) + "\0".repeat(60_000) + "\r\n"
                + new String(log, StandardCharsets.UTF_8).substring(20_000)).getBytes(StandardCharsets.UTF_8);
        same(reference(padded, false), inStretches(padded, false, 5), "a stretch starting in NUL padding");
    }

    @Test
    void aLineLongerThanTheBufferIsReportedAndTheRestRead() throws IOException {
        byte[] head = w3c(1, 50);
        byte[] tail = w3c(2, 50);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(head);
        b.write("x".repeat(WebLogPart.MAX_LINE + 10).getBytes(StandardCharsets.US_ASCII));
        b.write('\n');
        b.write(tail);
        CollectResult r = new CollectResult();
        new WebLogReader("u_ex.log", "FOLDER", false, r).read(new ByteArrayInputStream(b.toByteArray()));
        long headLines = new String(head, StandardCharsets.UTF_8).split("\r\n|\r|\n", -1).length;
        assertTrue(r.problems().stream().anyMatch(p -> p.detail().startsWith("a line longer than 1 MiB")
                && p.locator().equals("line " + headLines)), r.problems().toString());
        CollectResult tailOnly = new CollectResult();
        new WebLogReader("u_ex.log", "FOLDER", false, tailOnly).read(new ByteArrayInputStream(tail));
        long tailEas = tailOnly.facts().stream().filter(f -> f instanceof EasRequests).mapToLong(f -> ((EasRequests) f).count()).sum();
        long allEas = r.facts().stream().filter(f -> f instanceof EasRequests).mapToLong(f -> ((EasRequests) f).count()).sum();
        assertTrue(allEas > tailEas, "the lines after the long one are read too");
    }
}
