package org.exkb.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes the server-log samples (knowledge/causes/ID/samples/logs-*, knowledge/samples/logs-*) in the exact formats IIS, HTTP.sys and
 * Windows write, with plenty of healthy noise, and large W3C logs for the benchmark. Deterministic
 * (fixed seeds): rerunning it rewrites the same files.
 *
 * <pre>
 *   LogGenerator samples EVIDENCE_SAMPLES_DIR
 *   LogGenerator big FILE SIZE_MB
 * </pre>
 */
public final class LogGenerator {
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    static final String W3C_FIELDS = "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
            + "sc-status sc-substatus sc-win32-status time-taken";
    static final String W3C_FIELDS_85 = "date time s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
            + "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken";
    static final String[] AGENTS = {"Apple-iPhone4C1/902.206", "Android-Mail/7.11.17", "Apple-iPad3C3/1002.329",
        "MSFT-WP/8.10.14219", "Outlook-iOS-Android/1.0", "TouchDown(MSRPC)/8.1.00056"};

    private LogGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length >= 2 && args[0].equals("samples")) {
            samples(Path.of(args[1]));
        } else if (args.length >= 3 && args[0].equals("big")) {
            big(Path.of(args[1]), Long.parseLong(args[2]));
        } else {
            System.err.println("usage: LogGenerator samples RULE_FOLDER (knowledge) | big FILE SIZE_MB");
            System.exit(2);
        }
    }

    /** A sample folder of the rule folder {@code root}: in its cause's folder, or among the folder's own samples when {@code cause} is null. */
    static Path sample(Path root, String cause, String name) {
        return cause == null ? root.resolve("samples").resolve(name) : root.resolve("causes").resolve(cause).resolve("samples").resolve(name);
    }

    /** One W3C log being written: the header, then lines in time order. */
    static final class W3c {
        final StringBuilder b = new StringBuilder();
        final boolean v85;
        final String server;
        final String ip;
        LocalDateTime t;

        W3c(String server, String ip, boolean v85, LocalDateTime start) {
            this.server = server;
            this.ip = ip;
            this.v85 = v85;
            this.t = start;
            header();
        }

        void header() {
            b.append("#Software: Microsoft Internet Information Services ").append(v85 ? "8.5" : "7.5").append("\r\n");
            b.append("#Version: 1.0\r\n#Date: ").append(DATE.format(t)).append(' ').append(TIME.format(t)).append("\r\n");
            b.append("#Fields: ").append(v85 ? W3C_FIELDS_85 : W3C_FIELDS).append("\r\n");
        }

        void line(String method, String stem, String query, String user, String client, String agent, int status, int sub,
                  int win32, long millis) {
            t = t.plusSeconds(1);
            String q = query.isEmpty() ? "-" : query;
            String u = user.isEmpty() ? "-" : user;
            String a = agent.replace(' ', '+');
            if (v85) {
                b.append(DATE.format(t)).append(' ').append(TIME.format(t)).append(' ').append(server).append(' ').append(ip).append(' ')
                        .append(method).append(' ').append(stem).append(' ').append(q).append(" 443 ").append(u).append(' ')
                        .append(client).append(' ').append(a).append(" - ").append(status).append(' ').append(sub).append(' ')
                        .append(win32).append(" 512 1024 ").append(millis).append("\r\n");
            } else {
                b.append(DATE.format(t)).append(' ').append(TIME.format(t)).append(' ').append(ip).append(' ').append(method).append(' ')
                        .append(stem).append(' ').append(q).append(" 443 ").append(u).append(' ').append(client).append(' ').append(a)
                        .append(' ').append(status).append(' ').append(sub).append(' ').append(win32).append(' ').append(millis).append("\r\n");
            }
        }

        /**
         * An ActiveSync request whose query is the base64 value Windows Phone sends ([MS-ASHTTP]
         * 2.2.1.1.1.1: protocol 14.1, command code, locale, device id and type, the user as a
         * command parameter), with Exchange's {@code &Log=} after it as IIS logs it.
         */
        void easBase64(int commandCode, String user, String device, String client, int status, long millis, String log) {
            java.io.ByteArrayOutputStream v = new java.io.ByteArrayOutputStream();
            byte[] id = device.getBytes(StandardCharsets.US_ASCII);
            byte[] type = "WP".getBytes(StandardCharsets.US_ASCII);
            byte[] u = user.getBytes(StandardCharsets.US_ASCII);
            v.writeBytes(new byte[] {(byte) 141, (byte) commandCode, 0x09, 0x04, (byte) id.length});
            v.writeBytes(id);
            v.writeBytes(new byte[] {0, (byte) type.length});
            v.writeBytes(type);
            v.writeBytes(new byte[] {8, (byte) u.length});
            v.writeBytes(u);
            String q = java.util.Base64.getEncoder().encodeToString(v.toByteArray()) + "&Log=" + log;
            line("POST", "/Microsoft-Server-ActiveSync", q, "contoso\\" + user, client, "MSFT-WP/7.10.8858", status, 0, 0, millis);
        }

        void eas(String cmd, String user, String device, String type, String client, int status, long millis, String log) {
            String q = "User=" + user + "&DeviceId=" + device + "&DeviceType=" + type + "&Cmd=" + cmd + "&Log=" + log;
            line(cmd.equals("Options") ? "OPTIONS" : "POST", "/Microsoft-Server-ActiveSync/default.eas", q, "contoso\\" + user, client,
                    AGENTS[Math.abs(device.hashCode()) % AGENTS.length], status, 0, 0, millis);
        }

        /** Healthy traffic: OWA, EWS, Autodiscover, health probes, and ActiveSync Sync/FolderSync/Ping from many devices. */
        void noise(Random r, int n, int devices, String clientPrefix, int heartbeat) {
            for (int i = 0; i < n; i++) {
                int d = r.nextInt(devices);
                String user = "user" + d;
                String dev = String.format("Appl%08X", d * 2654435761L & 0xffffffffL);
                String client = clientPrefix + (10 + d % 200);
                switch (r.nextInt(10)) {
                    case 0 -> line("GET", "/owa/", "", "contoso\\" + user, client,
                            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36", 200, 0, 0, 31 + r.nextInt(200));
                    case 1 -> line("POST", "/EWS/Exchange.asmx", "", "contoso\\" + user, client, "Microsoft Office/16.0", 200, 0, 0, 15 + r.nextInt(90));
                    case 2 -> line("POST", "/Autodiscover/Autodiscover.xml", "", "", client, "Microsoft Office/16.0", 401, 1, 0, 2);
                    case 3 -> eas("Sync", "HealthMailbox0c1d2e", "HM0001", "AMProbe", "127.0.0.1", 200, 40, "V141_Sst1");
                    case 4 -> eas("Ping", user, dev, "iPhone", client, 200, heartbeat * 1000L - r.nextInt(800), "V141_Hb" + heartbeat + "_Sst3");
                    case 5 -> eas("FolderSync", user, dev, "iPhone", client, 200, 60 + r.nextInt(100), "V141_Sst1");
                    default -> eas("Sync", user, dev, "iPhone", client, 200, 80 + r.nextInt(300), "V141_Sst2_Fet" + r.nextInt(40));
                }
            }
        }
    }

    static void samples(Path root) throws IOException {
        LocalDateTime start = LocalDateTime.of(2026, 11, 20, 7, 0, 0);

        // 1. renegotiation deadlock: mail uploads refused (413) and abandoned by the sync pool, small requests fine
        Path dl = sample(root, "CLIENT_CERT_RENEGOTIATION_DEADLOCK", "logs-renegotiation-deadlock");
        W3c cas = new W3c("CAS01", "10.0.0.21", false, start);
        Random r = new Random(1);
        cas.noise(r, 600, 40, "198.51.100.", 900);
        for (int i = 0; i < 6; i++) {
            cas.eas("SendMail", "user" + i, String.format("Appl%08X", i * 2654435761L & 0xffffffffL), "iPhone", "198.51.100." + (10 + i),
                    413, 120_000, "V141_Sst1_Error:RequestEntityTooLarge");
            cas.noise(r, 40, 40, "198.51.100.", 900);
        }
        write(dl.resolve("CAS01/u_ex261120.log"), cas.b.toString(), StandardCharsets.UTF_8, false);
        StringBuilder he = httperrHeader(start);
        LocalDateTime t = start;
        for (int i = 0; i < 40; i++) {
            t = t.plusSeconds(73);
            he.append(httperr(t, "198.51.100." + (10 + i % 30), "10.0.0.21", "GET", "/owa/", "-", "Timer_ConnectionIdle", "-"));
            if (i % 8 == 0) {
                he.append(httperr(t, "198.51.100." + (10 + i % 6), "10.0.0.21", "POST",
                        "/Microsoft-Server-ActiveSync/default.eas?User=user" + (i % 6) + "&DeviceId=Appl0000&DeviceType=iPhone&Cmd=SendMail",
                        "-", "Connection_Abandoned_By_AppPool", "MSExchangeSyncAppPool"));
            }
        }
        write(dl.resolve("CAS01/httperr1.log"), he.toString(), StandardCharsets.UTF_8, false);
        write(dl.resolve("case.yaml"), "title: iPhones with client certificates cannot send mail with attachments (server logs)\n"
                + "client: iPhone\nanswers:\n  client_cert_auth: \"yes\"\n", StandardCharsets.UTF_8, false);
        write(dl.resolve("expected.yaml"), "description: >\n  Generated by org.exkb.bench.LogGenerator: SendMail answered 413 and abandoned by"
                + " MSExchangeSyncAppPool in httperr, while Sync and FolderSync from the same devices succeed; certificate"
                + " authentication is in use (answer).\nexpect:\n  CLIENT_CERT_RENEGOTIATION_DEADLOCK: likely\nevidence:\n"
                + "  CLIENT_CERT_RENEGOTIATION_DEADLOCK: [line 6, line 605]   # the first abandoned SendMail in httperr1.log, the first 413 in u_ex261120.log\n", StandardCharsets.UTF_8, false);

        // 2. noise only: idle timers, an OWA pool recycle, health probes answered 403, Pings lasting the heartbeat
        Path quiet = sample(root, null, "logs-near-miss-noise");
        W3c q = new W3c("CAS01", "10.0.0.21", true, start);
        r = new Random(2);
        q.noise(r, 900, 60, "198.51.100.", 900);
        for (int i = 0; i < 5; i++) {
            q.eas("Sync", "HealthMailbox0c1d2e", "HM0001", "AMProbe", "127.0.0.1", 403, 12, "V141_Error:UserPrincipalCouldNotBeFound");
        }
        write(quiet.resolve("u_ex261120.log"), q.b.toString(), StandardCharsets.UTF_8, false);
        StringBuilder hq = httperrHeader(start);
        t = start;
        for (int i = 0; i < 60; i++) {
            t = t.plusSeconds(61);
            hq.append(httperr(t, "198.51.100." + (10 + i % 30), "10.0.0.21", "GET", "/owa/", "-", i % 3 == 0 ? "Timer_MinBytesPerSecond" : "Timer_ConnectionIdle", "-"));
        }
        for (int i = 0; i < 4; i++) { // the OWA pool recycled at night
            hq.append(httperr(t.plusSeconds(i), "198.51.100.4" + i, "10.0.0.21", "POST", "/owa/service.svc?action=GetItem", "-",
                    "Connection_Abandoned_By_AppPool", "MSExchangeOWAAppPool"));
        }
        write(quiet.resolve("httperr2.log"), hq.toString(), StandardCharsets.UTF_8, false);
        write(quiet.resolve("expected.yaml"), "healthy: true\ndescription: >\n  Generated: a day of healthy traffic with the usual noise - idle-connection"
                + " timers, an OWA application pool recycle, Exchange health probes answered 403, Pings held for the whole"
                + " 900 s heartbeat.\nexpect:\n  FIREWALL_IDLE_TIMEOUT_BELOW_HEARTBEAT: ruled_out\nabsent: [CLIENT_CERT_RENEGOTIATION_DEADLOCK,"
                + " AD_INHERITANCE_DISABLED, LB_SOURCE_IP_AFFINITY_BEHIND_NAT]\n", StandardCharsets.UTF_8, false);

        // 3. AD inheritance: 403 for two administrators + event 1053 naming them (wevtutil XML, no root element)
        Path ad = sample(root, "AD_INHERITANCE_DISABLED", "logs-ad-inheritance");
        write(ad.resolve("u_ex261120.log"), adminsForbidden(start, 3), StandardCharsets.UTF_8, false);
        StringBuilder ev = new StringBuilder();
        ev.append(event("MSExchange ADAccess", 2080, 4, "CAS02.contoso.com", "Process MSEXCHANGEADTOPOLOGYSERVICE.EXE (PID=1520). Exchange Active Directory Provider has discovered the following servers."));
        for (String admin : ADMINS) {
            ev.append(event1053("CN=" + admin + ",OU=Admins,DC=contoso,DC=com"));
        }
        ev.append(event("MSExchange Common", 4999, 2, "CAS02.contoso.com", "Watson report about to be sent for process id: 4312, with parameters: E12, c-RTL-AMD64"));
        write(ad.resolve("application-events.xml"), ev.toString(), StandardCharsets.UTF_8, false);
        write(ad.resolve("expected.yaml"), "description: >\n  Generated: ActiveSync 403 (UserPrincipalCouldNotBeFound) for adm.bob and adm.carol"
                + " in the W3C log, and MSExchange ActiveSync event 1053 naming both in a wevtutil XML export.\nexpect:\n"
                + "  AD_INHERITANCE_DISABLED: confirmed\n", StandardCharsets.UTF_8, false);

        // 4. near miss: 403s only for health probes, an Event Viewer CSV (UTF-16LE, multi-line descriptions) without 1053
        Path adn = sample(root, "AD_INHERITANCE_DISABLED", "logs-ad-near-miss");
        W3c an = new W3c("CAS02", "10.0.0.22", true, start);
        r = new Random(4);
        an.noise(r, 400, 50, "192.0.2.", 900);
        for (int i = 0; i < 6; i++) {
            an.eas("FolderSync", "HealthMailbox7a8b9c", "HM0002", "AMProbe", "127.0.0.1", 403, 9, "V141_Error:UserPrincipalCouldNotBeFound");
        }
        write(adn.resolve("u_ex261121.log"), an.b.toString(), StandardCharsets.UTF_8, false);
        String csv = "Level,Date and Time,Source,Event ID,Task Category\r\n"
                + "Information,21/11/2026 08:00:01,MSExchange ActiveSync,1008,Requests,\"An exception occurred and was handled by Exchange ActiveSync.\r\n"
                + "This may have been caused by an outdated or corrupted Exchange ActiveSync device partnership.\"\r\n"
                + "Warning,21/11/2026 08:05:12,MSExchange ActiveSync,1040,Configuration,\"The average of the most recent 600 heartbeat intervals used by"
                + " clients is less than or equal to 540.\r\nMake sure that your firewall configuration is set to work correctly with Exchange ActiveSync"
                + " and direct push technology.\"\r\n"
                + "Information,21/11/2026 09:00:00,MSExchangeApplicationLogic,3025,Extension,\"Scenario[ServiceHealth]: \"\"Queued\"\" work item.\"\r\n";
        write(adn.resolve("application.csv"), csv, StandardCharsets.UTF_16LE, true);
        write(adn.resolve("expected.yaml"), "description: >\n  Generated near miss: the only 403s are Exchange's own health probes (left out"
                + " by the reader), and the event export (Event Viewer CSV, UTF-16LE with a BOM, multi-line descriptions) has no"
                + " event 1053.\nabsent: [AD_INHERITANCE_DISABLED]\n", StandardCharsets.UTF_8, false);

        // 4b. near miss: 403s for two administrators, but the only event 1053 is about another user object
        Path ado = sample(root, "AD_INHERITANCE_DISABLED", "logs-ad-near-miss-other-users");
        write(ado.resolve("u_ex261122.log"), adminsForbidden(start, 8), StandardCharsets.UTF_8, false);
        write(ado.resolve("application-events.xml"), event1053("CN=Backup Service,OU=Service Accounts,DC=contoso,DC=com"),
                StandardCharsets.UTF_8, false);
        write(ado.resolve("expected.yaml"), "description: >\n  Generated near miss: ActiveSync 403 for adm.bob and adm.carol, and one"
                + " event 1053, but about another user object (CN=Backup Service). Both are needed for the same users to confirm;"
                + " this stays likely and says which names differ.\nexpect:\n  AD_INHERITANCE_DISABLED: likely\n",
                StandardCharsets.UTF_8, false);

        // 5. load balancer with source-IP affinity: carrier NAT addresses pinned to CAS01; CAS02 idles
        Path lb = sample(root, "LB_SOURCE_IP_AFFINITY_BEHIND_NAT", "logs-lb-affinity");
        byte[][] lbLogs = lbLogs(start, true);
        write(lb.resolve("CAS01/W3SVC1/u_ex261120.log"), new String(lbLogs[0], StandardCharsets.UTF_8), StandardCharsets.UTF_8, false);
        write(lb.resolve("CAS02/W3SVC1/u_ex261120.log"), new String(lbLogs[1], StandardCharsets.UTF_8), StandardCharsets.UTF_8, false);
        write(lb.resolve("expected.yaml"), "description: >\n  Generated: W3C logs of two CAS servers (folders CAS01, CAS02); two carrier"
                + " NAT addresses with 40 devices each always reach CAS01, which carries most ActiveSync requests.\nexpect:\n"
                + "  LB_SOURCE_IP_AFFINITY_BEHIND_NAT: likely\n", StandardCharsets.UTF_8, false);

        // 5a. the same behind a balancer that translates source addresses: c-ip is the balancer, X-Forwarded-For the client
        Path snat = sample(root, "LB_SOURCE_IP_AFFINITY_BEHIND_NAT", "logs-lb-affinity-snat-xff");
        write(snat.resolve("CAS01/W3SVC1/u_ex261120.log"), behindSnat(lbLogs[0], "10.0.0.5"), StandardCharsets.UTF_8, false);
        write(snat.resolve("CAS02/W3SVC1/u_ex261120.log"), behindSnat(lbLogs[1], "10.0.0.5"), StandardCharsets.UTF_8, false);
        write(snat.resolve("expected.yaml"), "description: >\n  Generated: the logs of logs-lb-affinity as a load balancer that"
                + " translates source addresses leaves them: every c-ip is the balancer (10.0.0.5), and IIS logs the client the"
                + " balancer saw in an X-Forwarded-For field, which the reader takes as the client address.\nexpect:\n"
                + "  LB_SOURCE_IP_AFFINITY_BEHIND_NAT: likely\n", StandardCharsets.UTF_8, false);
        // 6. the same, round robin, handed over as one zip of both servers' folders
        Path lbn = sample(root, "LB_SOURCE_IP_AFFINITY_BEHIND_NAT", "logs-lb-near-miss-zip");
        byte[][] rr = lbLogs(start, false);
        Files.createDirectories(lbn);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(lbn.resolve("cas-logs.zip")))) {
            z.putNextEntry(entry("CAS01/u_ex261120.log"));
            z.write(rr[0]);
            z.putNextEntry(entry("CAS02/u_ex261120.log"));
            z.write(rr[1]);
            z.closeEntry();
        }
        write(lbn.resolve("expected.yaml"), "healthy: true\ndescription: >\n  Generated near miss, as a zip of both servers' folders: the same NAT"
                + " addresses reach both servers (no affinity by address) and the load is even.\nexpect:\n"
                + "  LB_SOURCE_IP_AFFINITY_BEHIND_NAT: ruled_out\n", StandardCharsets.UTF_8, false);

        // 7. firewall idle timeout: devices ask for a 900 s heartbeat, every Ping ends at 300 s; gzip-compressed, and a text event export
        Path fw = sample(root, "FIREWALL_IDLE_TIMEOUT_BELOW_HEARTBEAT", "logs-firewall-idle-timeout");
        W3c f = new W3c("CAS01", "10.0.0.21", false, start);
        r = new Random(7);
        f.noise(r, 300, 30, "203.0.113.", 900);
        for (int i = 0; i < 80; i++) {
            int d = i % 30;
            if (d % 6 == 5) { // Windows Phones: the same Pings, in a base64 query value
                f.easBase64(18, "user" + d, String.format("WP%08X", d * 2654435761L & 0xffffffffL), "203.0.113." + (10 + d), 200,
                        300_000 + r.nextInt(600), "V141_Hb900_Sst3");
            } else {
                f.eas("Ping", "user" + d, String.format("Appl%08X", d * 2654435761L & 0xffffffffL), "iPhone", "203.0.113." + (10 + d), 200,
                        300_000 + r.nextInt(600), "V141_Hb900_Sst3");
            }
            if (i % 10 == 0) {
                f.noise(r, 5, 30, "203.0.113.", 300);
            }
        }
        write(fw.resolve("u_ex261120.log.gz"), f.b.toString(), StandardCharsets.UTF_8, false);
        write(fw.resolve("system-events.txt"), "Event[0]:\r\n  Log Name: Application\r\n  Source: MSExchange ActiveSync\r\n"
                + "  Date: 2026-11-20T09:12:44.000\r\n  Event ID: 1040\r\n  Task: Configuration\r\n  Level: Warning\r\n  Opcode: Info\r\n"
                + "  Keyword: Classic\r\n  User: N/A\r\n  User Name: N/A\r\n  Computer: CAS01.contoso.com\r\n  Description: \r\n"
                + "The average of the most recent 600 heartbeat intervals used by clients is less than or equal to 540.\r\n"
                + "Make sure that your firewall configuration is set to work correctly with Exchange ActiveSync and direct push technology.\r\n\r\n"
                + "Event[1]:\r\n  Log Name: Application\r\n  Source: MSExchangeIS\r\n  Date: 2026-11-20T09:30:00.000\r\n  Event ID: 9646\r\n"
                + "  Task: General\r\n  Level: Error\r\n  Computer: CAS01.contoso.com\r\n  Description: \r\n"
                + "Mapi session exceeded the maximum of 32 objects of type \"objtFolder\".\r\n", StandardCharsets.UTF_8, false);
        write(fw.resolve("expected.yaml"), "description: >\n  Generated: devices ask for a 900 s Direct Push heartbeat (Hb900 in Exchange's"
                + " Log= field), but every Ping ends after 300 s - a middlebox's idle timeout; the log is gzip-compressed and a"
                + " wevtutil text export comes with it. A sixth of the Pings come from Windows Phones, whose queries are base64.\nexpect:\n  FIREWALL_IDLE_TIMEOUT_BELOW_HEARTBEAT: likely\n", StandardCharsets.UTF_8, false);
    }

    /** A zip entry with a fixed time, so that rerunning the generator rewrites the same bytes. */
    static ZipEntry entry(String name) {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(LocalDateTime.of(2026, 11, 21, 6, 0));
        return e;
    }

    /**
     * The same W3C log as a balancer that translates source addresses leaves it: every c-ip is the
     * balancer's own address, and the client it saw is in an X-Forwarded-For field (IIS custom
     * logging) at the end of each line.
     */
    static String behindSnat(byte[] log, String balancer) {
        StringBuilder out = new StringBuilder();
        for (String line : new String(log, StandardCharsets.UTF_8).split("\r\n")) {
            if (line.startsWith("#Fields:")) {
                out.append(line).append(" X-Forwarded-For");
            } else if (line.startsWith("#")) {
                out.append(line);
            } else {
                String[] v = line.split(" ");
                String client = v[8]; // c-ip in W3C_FIELDS
                v[8] = balancer;
                out.append(String.join(" ", v)).append(' ').append(client);
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    static byte[][] lbLogs(LocalDateTime start, boolean affinity) {
        W3c one = new W3c("CAS01", "10.0.0.21", false, start);
        W3c two = new W3c("CAS02", "10.0.0.22", false, start);
        Random r = new Random(affinity ? 5 : 6);
        for (int i = 0; i < 1200; i++) {
            int nat = i % 2;
            int d = r.nextInt(40) + nat * 40;
            String dev = String.format("Appl%08X", d * 2654435761L & 0xffffffffL);
            String client = nat == 0 ? "203.0.113.10" : "203.0.113.11";
            W3c to = affinity || r.nextBoolean() ? one : two;
            boolean ping = r.nextInt(4) == 0;
            to.eas(ping ? "Ping" : "Sync", "user" + d, dev, "iPhone", client, 200, ping ? 899_000 + r.nextInt(900) : 200 + r.nextInt(500),
                    ping ? "V141_Hb900_Sst2" : "V141_Sst2");
            if (i % 20 == 0) { // a few devices on their own addresses (home Wi-Fi) spread over both
                (r.nextBoolean() ? one : two).eas("Sync", "home" + i, "Andr" + i, "Android", "192.0.2." + (i % 250), 200, 150, "V141_Sst1");
            }
        }
        two.noise(r, 40, 10, "192.0.2.", 900);
        return new byte[][] {one.b.toString().getBytes(StandardCharsets.UTF_8), two.b.toString().getBytes(StandardCharsets.UTF_8)};
    }

    static StringBuilder httperrHeader(LocalDateTime t) {
        return new StringBuilder("#Software: Microsoft HTTP API 2.0\r\n#Version: 1.0\r\n#Date: " + DATE.format(t) + " " + TIME.format(t)
                + "\r\n#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename\r\n");
    }

    static String httperr(LocalDateTime t, String client, String server, String method, String uri, String status, String reason,
                          String queue) {
        return DATE.format(t) + " " + TIME.format(t) + " " + client + " " + (50000 + Math.abs(uri.hashCode() % 10000)) + " " + server
                + " 443 HTTP/1.1 " + method + " " + uri + " " + status + " 1 " + reason + " " + queue + "\r\n";
    }

    private static final String[] ADMINS = {"adm.bob", "adm.carol"};

    /** A day on CAS02 with FolderSyncs of the two administrators answered 403 among the noise. */
    static String adminsForbidden(LocalDateTime start, long seed) {
        W3c w = new W3c("CAS02", "10.0.0.22", true, start);
        Random r = new Random(seed);
        w.noise(r, 500, 50, "192.0.2.", 900);
        for (String admin : ADMINS) {
            for (int i = 0; i < 4; i++) {
                w.eas("FolderSync", admin, "Appl" + admin.hashCode(), "iPhone", "192.0.2.77", 403, 30,
                        "V141_Error:UserPrincipalCouldNotBeFound");
                w.noise(r, 30, 50, "192.0.2.", 900);
            }
        }
        return w.b.toString();
    }

    /** MSExchange ActiveSync event 1053 about the user object {@code dn}, in Exchange's words. */
    static String event1053(String dn) {
        return event("MSExchange ActiveSync", 1053, 2, "CAS02.contoso.com", "Exchange ActiveSync doesn't have sufficient permissions to create the "
                + "\"" + dn + "\" container under Active Directory user \"Active Directory operation failed on DC01.contoso.com. "
                + "This error is not retriable. Additional information: Access is denied.\". Make sure the user has inherited permission granted to "
                + "domain\\Exchange Servers to allow List, Create child, Delete child of object type \"msExchangeActiveSyncDevices\" and do not deny permissions.");
    }

    static String event(String provider, int id, int level, String computer, String message) {
        return "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='" + provider + "'/>"
                + "<EventID Qualifiers='49152'>" + id + "</EventID><Level>" + level + "</Level><Task>0</Task><Keywords>0x80000000000000</Keywords>"
                + "<TimeCreated SystemTime='2026-11-20T08:41:07.000000000Z'/><EventRecordID>" + (100000 + id) + "</EventRecordID>"
                + "<Channel>Application</Channel><Computer>" + computer + "</Computer><Security/></System><EventData><Data>"
                + message.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;") + "</Data></EventData></Event>\r\n";
    }

    static void write(Path file, String text, Charset cs, boolean bom) throws IOException {
        Files.createDirectories(file.getParent());
        OutputStream raw = Files.newOutputStream(file);
        try (OutputStream o = file.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw) {
            if (bom && cs.equals(StandardCharsets.UTF_16LE)) {
                o.write(new byte[] {(byte) 0xff, (byte) 0xfe});
            }
            o.write(text.getBytes(cs));
        }
    }

    /** A W3C log of about SIZE_MB of ActiveSync-heavy traffic for the benchmark. */
    static void big(Path file, long mb) throws IOException {
        Random r = new Random(42);
        long target = mb * 1024 * 1024;
        long written = 0;
        try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 20)) {
            LocalDateTime t = LocalDateTime.of(2026, 11, 20, 0, 0);
            while (written < target) {
                W3c chunk = new W3c("CAS01", "10.0.0.21", false, t);
                chunk.noise(r, 20_000, 50_000, "198.51.100.", 900);
                t = chunk.t;
                String s = chunk.b.toString();
                w.write(s);
                written += s.length();
            }
        }
        System.out.println(file + ": " + written / (1024 * 1024) + " MB");
    }
}
