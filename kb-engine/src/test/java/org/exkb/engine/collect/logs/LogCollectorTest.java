package org.exkb.engine.collect.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.exkb.engine.collect.CollectContext;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.model.EasAddress;
import org.exkb.engine.model.EasRequests;
import org.exkb.engine.model.EasServerLoad;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.model.HttpErrors;
import org.exkb.engine.model.PingTimes;
import org.exkb.engine.model.WindowsEvent;
import org.exkb.engine.testing.TestKnowledge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Server logs and event exports, well-formed and damaged: what is readable is used, the rest is reported with its line. */
class LogCollectorTest {
    @TempDir
    Path dir;

    static final String FIELDS = "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken";

    static String eas(String cmd, String user, String device, int status, long ms, String log) {
        return "2026-11-20 08:00:00 10.0.0.21 POST /Microsoft-Server-ActiveSync/default.eas User=" + user + "&DeviceId=" + device
                + "&DeviceType=iPhone&Cmd=" + cmd + "&Log=" + log + " 443 contoso\\" + user + " 198.51.100.7 Apple-iPhone4C1/902.206 "
                + status + " 0 0 " + ms;
    }

    CollectResult collect(String name, byte[] content) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.write(f, content);
        LogCollector c = new LogCollector();
        byte[] head = java.util.Arrays.copyOf(content, Math.min(512, content.length)); // as EvidenceReader
        assertTrue(c.accepts(f, head), name + " must be accepted");
        return c.collect(f, new CollectContext(TestKnowledge.small()));
    }

    CollectResult collect(String name, String text) throws IOException {
        return collect(name, text.getBytes(StandardCharsets.UTF_8));
    }

    static <T> List<T> facts(CollectResult r, Class<T> t) {
        return r.facts().stream().filter(t::isInstance).map(t::cast).toList();
    }

    @Test
    void anXmlFileWithoutEventsIsNotAnEventExport() throws IOException {
        CollectResult r = collect("keyring.xml", "<?xml version=\"1.0\"?>\n<keyring version=\"1\">\n  <key id=\"a1\" name=\"p &lt; q\"/>\n</keyring>\n");
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertEquals(EvidenceProblem.UNSUPPORTED, r.problems().get(0).reason());
        assertTrue(r.problems().get(0).detail().contains("<keyring>"), r.problems().get(0).detail());
        assertTrue(r.examined().stream().noneMatch(e -> e.contains("Windows event export")), r.examined().toString());
        // the near miss: an export with one event is still one
        CollectResult one = collect("app.xml", "<Events><Event><System><Provider Name=\"MSExchange ActiveSync\"/><EventID>1053</EventID>"
                + "<Computer>CAS01</Computer></System><EventData><Data>x</Data></EventData></Event></Events>");
        assertEquals(java.util.List.of(), one.problems());
        assertTrue(one.examined().stream().anyMatch(e -> e.contains("1 events")), one.examined().toString());
    }

    @Test
    void w3cFieldsInAnyOrderHeaderChangesMidFileAndPingHeartbeats() throws IOException {
        String text = "#Software: Microsoft Internet Information Services 7.5\r\n#Version: 1.0\r\n" + FIELDS + "\r\n"
                + eas("Sync", "alice", "D1", 200, 120, "V141_Sst1") + "\r\n"
                + eas("Ping", "alice", "D1", 200, 899_500, "V141_Hb900_Sst3") + "\r\n"
                + "#Fields: time date sc-status cs-uri-stem cs-uri-query s-computername c-ip time-taken\r\n"
                + "08:00:01 2026-11-20 403 /Microsoft-Server-ActiveSync/default.eas User=bob&DeviceId=D2&Cmd=FolderSync&Log=V141_Error:UserPrincipalCouldNotBeFound CAS09 198.51.100.8 31\r\n";
        CollectResult r = collect("CAS01/u_ex261120.log", text);
        assertEquals(List.of(), r.problems());
        List<EasRequests> eas = facts(r, EasRequests.class);
        EasRequests forbidden = eas.stream().filter(e -> e.status() == 403).findFirst().orElseThrow();
        assertEquals("CAS09", forbidden.server(), "s-computername wins over the folder name");
        assertEquals(List.of("bob"), forbidden.users());
        assertEquals("UserPrincipalCouldNotBeFound", forbidden.diagnostic());
        assertEquals("CAS01", eas.stream().filter(e -> e.command().equals("Sync")).findFirst().orElseThrow().server(), "folder name");
        PingTimes p = facts(r, PingTimes.class).get(0);
        assertEquals(900, p.heartbeatSeconds());
        assertEquals(1, p.atHeartbeat());
        assertEquals("line 7", forbidden.evidence().get(0).locator());
    }

    @Test
    void aBackEndsProxiedRequestsCountAsRequestsButNotPerClientAddressOrServer() throws IOException {
        // Exchange 2013 on: the back-end site logs what a front end passed on, with the front end as c-ip
        StringBuilder text = new StringBuilder(FIELDS).append("\r\n");
        for (int d = 0; d < 12; d++) {
            text.append(eas("Sync", "u" + d, "D" + d, 200, 120, "V141").replace("/default.eas", "/Proxy/default.eas")
                    .replace("198.51.100.7", "10.0.0.22")).append("\r\n");
        }
        text.append(eas("Sync", "u0", "D0", 200, 120, "V141")).append("\r\n");
        CollectResult r = collect("CAS02/W3SVC2/u_ex261120.log", text.toString());
        assertEquals(13, facts(r, EasRequests.class).get(0).count(), "still ActiveSync requests");
        assertTrue(facts(r, EasAddress.class).isEmpty(), "the front end's address is no NAT address: " + r.facts());
        assertEquals(1, facts(r, EasServerLoad.class).get(0).requests(), "the load is the front end's");
        assertTrue(r.examined().stream().anyMatch(e -> e.contains("12 of them passed on by a front end (/Proxy)")), r.examined().toString());
    }

    @Test
    void aFolderNamedLikeAComputerIsThatComputerInAnyCase() throws IOException {
        String log = FIELDS + "\r\n" + eas("Sync", "alice", "D1", 200, 120, "V141") + "\r\n";
        assertEquals("CAS01", facts(collect("cas01/W3SVC1/u_ex261120.log", log), EasRequests.class).get(0).server(),
                "the CAS01 that s-computername would say");
        assertEquals("logs-from-the-site-in-berlin", facts(collect("logs-from-the-site-in-berlin/u_ex261120.log", log),
                EasRequests.class).get(0).server(), "not a computer name: as it is");
        assertEquals("CAS02", facts(collect("cas02.contoso.com/W3SVC1/u_ex261120.log", log), EasRequests.class).get(0).server(),
                "a computer's DNS name");
        assertEquals("logs.2026-11-20", facts(collect("logs.2026-11-20/u_ex261120.log", log), EasRequests.class).get(0).server(),
                "a dotted name that is not a host's: as it is");
    }

    @Test
    void aLineThatDoesNotFitItsFieldsIsReportedAndSkippedNeverShifted() throws IOException {
        String text = FIELDS + "\n" + eas("Sync", "alice", "D1", 200, 120, "x") + "\n"
                + "2026-11-20 08:00:00 10.0.0.21 POST /Microsoft-Server-ActiveSync/default.eas Cmd=Sync 443 - 198.51.100.7 403 0 0 5\n"
                + eas("Sync", "carol", "D3", 200, 120, "x") + "\n";
        CollectResult r = collect("u_ex1.log", text);
        assertEquals(1, r.problems().size());
        EvidenceProblem p = r.problems().get(0);
        assertEquals("line 3", p.locator());
        assertTrue(p.detail().contains("13 values for the 14 fields of the #Fields header on line 1"), p.detail());
        assertTrue(facts(r, EasRequests.class).stream().noneMatch(e -> e.status() == 403), "never read with shifted columns");
        assertEquals(2, facts(r, EasRequests.class).get(0).count());
    }

    @Test
    void blanksAnEditorLeftAtTheEndOfALineAreNotValues() throws IOException {
        String text = FIELDS + "\r\n" + eas("Sync", "alice", "D1", 200, 120, "x") + "  \r\n" + "   \r\n"
                + eas("Sync", "bob", "D2", 200, 120, "x") + "\t\r\n" + eas("Sync", "carol", "D3", 200, 120, "x") + "\r\n";
        CollectResult r = collect("u_ex7.log", text);
        assertEquals(List.of(), r.problems());
        assertEquals(3, facts(r, EasRequests.class).stream().mapToLong(EasRequests::count).sum());
    }

    @Test
    void nulPaddingAfterACrashIsSkippedUntilTheNextHeader() throws IOException {
        String text = FIELDS + "\n" + eas("Sync", "alice", "D1", 200, 120, "x") + "\n"
                + "\0\0\0\0\0\0\0\0\0\0\0\0\n\0\0\0\0\n"
                + "#Software: Microsoft Internet Information Services 7.5\n" + FIELDS + "\n" + eas("Sync", "bob", "D2", 200, 120, "x") + "\n";
        CollectResult r = collect("u_ex2.log", text);
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertEquals("line 3", r.problems().get(0).locator());
        assertTrue(r.problems().get(0).detail().startsWith("NUL padding"));
        assertEquals(2, facts(r, EasRequests.class).get(0).count());
    }

    @Test
    void httperrWithoutFieldsUsesTheHttpApiDefaultAndSaysSo() throws IOException {
        String text = "2026-11-20 08:00:00 198.51.100.7 50123 10.0.0.21 443 HTTP/1.1 POST "
                + "/Microsoft-Server-ActiveSync/default.eas?Cmd=SendMail&User=a - 1 Connection_Abandoned_By_AppPool MSExchangeSyncAppPool\n";
        CollectResult r = collect("CAS01/httperr7.log", text);
        assertEquals(List.of(), r.problems());
        assertTrue(r.examined().stream().anyMatch(e -> e.contains("no #Fields header") && e.contains("default error-log fields")));
        HttpErrors e = facts(r, HttpErrors.class).get(0);
        assertEquals("Connection_Abandoned_By_AppPool", e.reason());
        assertTrue(e.syncPool());
        assertEquals("SendMail", e.command());
        assertEquals("CAS01", e.server());
    }

    @Test
    void invalidBytesAreReportedWithTheirLine() throws IOException {
        byte[] good = (FIELDS + "\n" + eas("Sync", "alice", "D1", 200, 120, "x") + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] bad = eas("Sync", "b\u00e9b", "D2", 200, 120, "x").getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[good.length + bad.length];
        System.arraycopy(good, 0, all, 0, good.length);
        System.arraycopy(bad, 0, all, good.length, bad.length);
        CollectResult r = collect("u_ex3.log", all);
        assertEquals("line 3", r.problems().get(0).locator());
        assertTrue(r.problems().get(0).detail().contains("not valid UTF-8"));
        assertEquals(2, facts(r, EasRequests.class).get(0).count(), "the line is still used");
    }

    @Test
    void w3cLinesWithoutTheirFieldsHeaderAreReadWithTheIisDefaultLayoutTheyFit() throws IOException {
        // lines grepped out of u_ex logs of IIS 10 (15 default fields, cs(Referer) included) and of IIS 7.5 (14)
        String iis10 = "2026-11-20 08:00:00 10.0.0.5 POST /Microsoft-Server-ActiveSync/default.eas "
                + "User=alice&DeviceId=D1&DeviceType=iPhone&Cmd=Sync 443 CONTOSO\\alice 198.51.100.7 Apple-iPhone9C1/1402.100 - 200 0 0 120\n"
                + "2026-11-20 08:00:05 10.0.0.5 POST /Microsoft-Server-ActiveSync/default.eas "
                + "User=bob&DeviceId=D2&DeviceType=iPhone&Cmd=Ping 443 CONTOSO\\bob 198.51.100.8 Apple-iPhone9C1/1402.100 - 200 0 0 900000\n";
        CollectResult r = collect("CAS01/u_ex261120.log", iis10);
        assertEquals(List.of(), r.problems());
        assertTrue(r.examined().stream().anyMatch(e -> e.contains("no #Fields header") && e.contains("IIS 8.5/10")), r.examined().toString());
        assertEquals(2, facts(r, EasRequests.class).stream().mapToLong(EasRequests::count).sum());
        String iis75 = "2026-11-20 08:00:00 10.0.0.5 POST /Microsoft-Server-ActiveSync/default.eas "
                + "User=alice&DeviceId=D1&DeviceType=iPhone&Cmd=Sync 443 CONTOSO\\alice 198.51.100.7 Apple-iPhone9C1/1402.100 200 0 0 120\n";
        CollectResult r75 = collect("CAS01/u_ex261121.log", iis75);
        assertEquals(List.of(), r75.problems());
        assertTrue(r75.examined().stream().anyMatch(e -> e.contains("IIS 7.0/7.5")), r75.examined().toString());
        // the near miss: 15 values whose shapes are not IIS's (a user name where the port should be) are refused, with why
        String odd = "2026-11-20 08:00:00 10.0.0.5 POST /x q alice 443 198.51.100.7 UA - 200 0 0 120\n";
        CollectResult bad = collect("CAS01/u_ex261122.log", odd);
        assertEquals(1, bad.problems().size(), bad.problems().toString());
        assertTrue(bad.problems().get(0).detail().contains("fit none of IIS's default layouts"), bad.problems().get(0).detail());
    }

    @Test
    void aLiteralReplacementCharacterInValidUtf8IsNotDamage() throws IOException {
        // U+FFFD written as the three valid bytes EF BF BD (a user name someone's tool already mangled)
        String text = FIELDS + "\n" + eas("Sync", "b\ufffdb", "D2", 200, 120, "x") + "\n";
        CollectResult r = collect("u_ex4.log", text);
        assertEquals(List.of(), r.problems());
        assertEquals(1, facts(r, EasRequests.class).get(0).count());
    }

    @Test
    void gzipAndZipAreReadDirectly() throws IOException {
        String text = FIELDS + "\n" + eas("Sync", "alice", "D1", 200, 120, "x") + "\n";
        Path gz = dir.resolve("CAS05/u_ex4.log.gz");
        Files.createDirectories(gz.getParent());
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
        LogCollector c = new LogCollector();
        assertTrue(c.accepts(gz, Files.readAllBytes(gz)));
        CollectResult r = c.collect(gz, new CollectContext(TestKnowledge.small()));
        assertEquals("CAS05", facts(r, EasRequests.class).get(0).server());

        Path zip = dir.resolve("logs.zip");
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new java.util.zip.ZipEntry("CAS07/W3SVC1/u_ex5.log"));
            z.write(text.getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new java.util.zip.ZipEntry("CAS07/readme.docx"));
            z.write(new byte[] {1, 2, 3});
        }
        CollectResult zr = c.collect(zip, new CollectContext(TestKnowledge.small()));
        assertEquals("CAS07", facts(zr, EasRequests.class).get(0).server());
        assertEquals(List.of(), zr.problems(), "entries that are not logs are the evidence reader's (EvidenceReaderTest)");

        byte[] damaged = Files.readAllBytes(zip);
        CollectResult dr = collect("damaged.zip", java.util.Arrays.copyOf(damaged, damaged.length / 2));
        assertTrue(dr.problems().stream().anyMatch(p -> p.detail().contains("damaged") || p.reason().equals(EvidenceProblem.UNREADABLE)),
                dr.problems().toString());
    }

    /** A log of {@code n} ActiveSync lines, each about 200 bytes, so that its compressed form is long enough to cut. */
    static byte[] manyLines(int n) {
        StringBuilder b = new StringBuilder("#Software: Microsoft Internet Information Services 8.5\r\n#Version: 1.0\r\n" + FIELDS + "\r\n");
        java.util.Random rnd = new java.util.Random(5);
        for (int i = 0; i < n; i++) {
            b.append(eas("Sync", "u" + i, Long.toHexString(rnd.nextLong()), 200, 100 + i, "V141")).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] data) throws IOException {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        try (OutputStream g = new GZIPOutputStream(o)) {
            g.write(data);
        }
        return o.toByteArray();
    }

    @Test
    void aGzipCutOffKeepsEveryLineBeforeTheCutAndSaysWhere() throws IOException {
        byte[] gz = gzip(manyLines(20_000));
        CollectResult r = collect("CAS01/u_ex9.log.gz", java.util.Arrays.copyOf(gz, gz.length / 2));
        long used = facts(r, EasRequests.class).stream().mapToLong(EasRequests::count).sum();
        assertTrue(used > 5_000 && used < 20_000, "the lines before the cut are used: " + used);
        EvidenceProblem cut = r.problems().get(r.problems().size() - 1);
        assertTrue(cut.locator().matches("after [0-9,]+ decompressed bytes"), cut.toString());
        assertTrue(cut.detail().startsWith("the gzip data is cut off or damaged here"), cut.toString());

        CollectResult header = collect("CAS01/u_ex8.log.gz", java.util.Arrays.copyOf(gz, 6));
        assertEquals("byte 0", header.problems().get(0).locator());
        assertTrue(header.problems().get(0).detail().contains("gzip header is cut off"), header.problems().toString());
    }

    /** A zip of three servers' logs; the offset where the second entry's compressed data starts is put in {@code second[0]}. */
    static byte[] threeServers(long[] second) throws IOException {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(o)) {
            for (String server : List.of("CAS01", "CAS02", "CAS03")) {
                z.putNextEntry(new java.util.zip.ZipEntry(server + "/W3SVC1/u_ex1.log"));
                z.flush();
                if (server.equals("CAS02")) {
                    second[0] = o.size() + 30 + (server + "/W3SVC1/u_ex1.log").length(); // local header written on the first write
                }
                z.write(manyLines(2_000));
            }
        }
        return o.toByteArray();
    }

    @Test
    void aDamagedZipEntryCostsOnlyItselfAndACutOffZipKeepsItsEntriesBeforeTheCut() throws IOException {
        long[] second = new long[1];
        byte[] zip = threeServers(second);
        byte[] damaged = zip.clone();
        for (int i = 0; i < 40; i++) {
            damaged[(int) second[0] + 200 + i] ^= 0x5a;
        }
        CollectResult r = collect("damaged.zip", damaged);
        List<String> servers = facts(r, EasServerLoad.class).stream().map(EasServerLoad::server).sorted().toList();
        assertTrue(servers.contains("CAS01") && servers.contains("CAS03"), "the entries around the damaged one are used: " + servers);
        assertTrue(r.problems().stream().anyMatch(p -> p.source().endsWith("damaged.zip!CAS02/W3SVC1/u_ex1.log")
                && p.detail().contains("damaged")), r.problems().toString());

        CollectResult cut = collect("cut.zip", java.util.Arrays.copyOf(zip, (int) second[0] + 2_000));
        assertEquals(List.of("CAS01", "CAS02"), facts(cut, EasServerLoad.class).stream().map(EasServerLoad::server).sorted().toList(),
                "the first entry whole and the second up to the cut");
        assertTrue(cut.problems().get(0).detail().contains("directory is missing"), cut.problems().toString());
        assertTrue(cut.problems().stream().anyMatch(p -> p.source().endsWith("cut.zip!CAS02/W3SVC1/u_ex1.log")
                && p.locator().startsWith("after ") && p.detail().contains("ends inside this entry")), cut.problems().toString());
    }

    @Test
    void zipEntryNamesInCodePage437OrUnflaggedUtf8AreRead() throws IOException {
        for (String written : List.of("Z\u00dcRICH01", new String("Z\u00dcRICH02".getBytes(StandardCharsets.UTF_8), org.exkb.engine.collect.Archives.ZIP_NAMES))) {
            java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
            try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(o, org.exkb.engine.collect.Archives.ZIP_NAMES)) { // no UTF-8 flag
                z.putNextEntry(new java.util.zip.ZipEntry(written + "/u_ex1.log"));
                z.write(manyLines(3));
            }
            CollectResult r = collect("names.zip", o.toByteArray());
            assertEquals(List.of(), r.problems());
            String server = facts(r, EasServerLoad.class).get(0).server();
            assertTrue(server.equals("Z\u00dcRICH01") || server.equals("Z\u00dcRICH02"), server);
            // the same archive inside another is read as a stream, with the same names
            java.io.ByteArrayOutputStream outer = new java.io.ByteArrayOutputStream();
            try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(outer)) {
                z.putNextEntry(new java.util.zip.ZipEntry("names.zip"));
                z.write(o.toByteArray());
            }
            CollectResult nested = collect("outer.zip", outer.toByteArray());
            assertEquals(server, facts(nested, EasServerLoad.class).get(0).server());
        }
    }

    @Test
    void anEvtxWithoutRecordsSaysSo() throws IOException {
        byte[] evtx = new byte[4096]; // a file header alone, checksum right, no chunk: nothing Windows logged
        System.arraycopy("ElfFile\0".getBytes(StandardCharsets.US_ASCII), 0, evtx, 0, 8);
        evtx[32] = (byte) 128;
        evtx[36] = 1;
        evtx[38] = 3;
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(evtx, 0, 120);
        java.nio.ByteBuffer.wrap(evtx, 124, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
        CollectResult r = collect("Application.evtx", evtx);
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertEquals(EvidenceProblem.EMPTY, r.problems().get(0).reason());
        assertTrue(r.problems().get(0).detail().contains("no event records"), r.problems().get(0).detail());
        assertTrue(r.facts().isEmpty());
    }

    static final String EVENT = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='MSExchange ActiveSync'/>"
            + "<EventID Qualifiers='49152'>1053</EventID><Computer>CAS02</Computer></System><EventData><Data>cannot create the \"CN=adm.bob,OU=Admins,DC=contoso,DC=com\" container</Data></EventData></Event>\n";

    @Test
    void wevtutilXmlWithoutRootAndSaveAsXmlWithRoot() throws IOException {
        CollectResult r = collect("events.xml", EVENT + EVENT);
        WindowsEvent e = facts(r, WindowsEvent.class).get(0);
        assertEquals(2, e.count());
        assertEquals(1053, e.eventId());
        assertEquals(List.of("adm.bob"), e.names());
        CollectResult saved = collect("saved.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Events>" + EVENT + "</Events>");
        assertEquals(1, facts(saved, WindowsEvent.class).get(0).count());
        assertEquals(List.of(), saved.problems());
    }

    @Test
    void xmlCutOffMidEventKeepsTheCompleteOnes() throws IOException {
        String text = EVENT + EVENT + EVENT.substring(0, 120);
        CollectResult r = collect("cut.xml", text);
        assertEquals(2, facts(r, WindowsEvent.class).get(0).count());
        EvidenceProblem p = r.problems().get(0);
        assertTrue(p.locator().startsWith("line 3"), p.locator());
        assertTrue(p.detail().startsWith("XML cut off or broken after 2 complete events"), p.detail());
    }

    @Test
    void xmlNeverResolvesExternalEntities() throws IOException {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET");
        String text = "<?xml version=\"1.0\"?>\n<!DOCTYPE Event [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>\n"
                + EVENT.replace("cannot create", "&x; cannot create");
        CollectResult r = collect("xxe.xml", text);
        assertFalse(r.facts().toString().contains("TOP-SECRET"));
        assertFalse(r.problems().toString().contains("TOP-SECRET"));
    }

    @Test
    void eventViewerCsvInUtf16WithMultiLineDescriptionsAndAnUnterminatedQuote() throws IOException {
        String csv = "Level,Date and Time,Source,Event ID,Task Category\r\n"
                + "Error,20/11/2026 08:00:00,MSExchange ActiveSync,1053,Requests,\"cannot create the \"\"CN=adm.carol,OU=Admins\"\" container\r\nsecond line\"\r\n"
                + "Information,20/11/2026 08:01:00,MSExchangeIS,9646,General,\"fine\"\r\n"
                + "Warning,20/11/2026 08:02:00,MSExchange ActiveSync,1040,Configuration,\"never closed\r\nmore\r\n";
        byte[] body = csv.getBytes(StandardCharsets.UTF_16LE);
        byte[] withBom = new byte[body.length + 2];
        withBom[0] = (byte) 0xff;
        withBom[1] = (byte) 0xfe;
        System.arraycopy(body, 0, withBom, 2, body.length);
        CollectResult r = collect("application.csv", withBom);
        List<WindowsEvent> ev = facts(r, WindowsEvent.class);
        assertEquals(2, ev.size(), ev.toString());
        assertEquals(List.of("adm.carol"), ev.get(0).names());
        assertEquals("line 5", r.problems().get(0).locator());
        assertTrue(r.problems().get(0).detail().contains("never closed"));
    }

    @Test
    void eventViewerCsvFromAGermanOrFrenchWindowsIsReadByColumnAndSaysSo() throws IOException {
        String de = "Ebene,Datum und Uhrzeit,Quelle,Ereignis-ID,Aufgabenkategorie\r\n"
                + "Fehler,20.11.2026 08:00:00,MSExchange ActiveSync,1053,Anforderungen,\"Der Container \"\"CN=adm.erik,OU=Admins\"\" ...\"\r\n";
        CollectResult r = collect("anwendung.csv", de);
        assertEquals(List.of("adm.erik"), facts(r, WindowsEvent.class).get(0).names(), r.toString());
        assertTrue(r.examined().stream().anyMatch(e -> e.contains("CSV header 'Ebene,Datum und Uhrzeit,Quelle,Ereignis-ID,Aufgabenkategorie'")),
                r.examined().toString());
        String fr = "Niveau,Date et heure,Source,ID de l’événement,Catégorie de la tâche\r\n"
                + "Erreur,20/11/2026 08:00:00,MSExchange ActiveSync,1053,Demandes,\"CN=adm.fanny,OU=Admins\"\r\n";
        assertEquals(List.of("adm.fanny"), facts(collect("application-fr.csv", fr), WindowsEvent.class).get(0).names());
        // a CSV that is not an event export is not taken for one
        assertFalse(new LogCollector().accepts(dir.resolve("inventory.csv"), "name,serial,owner,site\r\nx,1,y,z\r\n".getBytes(StandardCharsets.UTF_8)));
        assertFalse(new LogCollector().accepts(dir.resolve("numbers.csv"), "a1,b2,c3,d4,e5\r\n".getBytes(StandardCharsets.UTF_8)));
        assertFalse(new LogCollector().accepts(dir.resolve("mailboxes.csv"),
                "Name,Alias,Database,Server,Office\r\nAlice,alice,DB01,CAS01,Berlin\r\n".getBytes(StandardCharsets.UTF_8)),
                "five plain names, but the fourth column of the first row is no event id");
    }

    @Test
    void eventViewerTabDelimitedTextQuotedOrNotAndInAnotherLanguage() throws IOException {
        String txt = "Level\tDate and Time\tSource\tEvent ID\tTask Category\r\n"
                + "Error\t20/11/2026 08:00:00\tMSExchange ActiveSync\t1053\tRequests\t\"cannot create the \"\"CN=adm.carol,OU=Admins\"\" container\r\nsecond line\"\r\n"
                + "Error\t20/11/2026 08:01:00\tMSExchange ActiveSync\t1053\tRequests\tcannot create the container\r\n"
                + "\r\n"
                + "for CN=adm.dave,OU=Admins\r\n"
                + "Information\t20/11/2026 08:02:00\tMSExchangeIS\t9646\tGeneral\tfine\r\n";
        CollectResult r = collect("application.txt", txt);
        assertEquals(List.of(), r.problems());
        assertEquals(List.of(), collect("twice.txt", txt + txt).problems(), "a header repeated by an appended export");
        List<WindowsEvent> ev = facts(r, WindowsEvent.class);
        WindowsEvent eas = ev.stream().filter(e -> e.eventId() == 1053).findFirst().orElseThrow();
        assertEquals(2, eas.count(), ev.toString());
        assertEquals(List.of("adm.carol", "adm.dave"), eas.names(), "the description's lines after the row are its own");
        assertEquals(2, ev.size(), ev.toString());

        String de = "Ebene\tDatum und Uhrzeit\tQuelle\tEreignis-ID\tAufgabenkategorie\r\n"
                + "Fehler\t20.11.2026 08:00:00\tMSExchange ActiveSync\t1053\tAnforderungen\tDer Container CN=adm.erik,OU=Admins ...\r\n";
        CollectResult g = collect("anwendung.txt", de);
        assertEquals(List.of("adm.erik"), facts(g, WindowsEvent.class).get(0).names(), g.problems().toString());
        assertTrue(g.examined().stream().anyMatch(e -> e.contains("tab-delimited header")), g.examined().toString());
    }

    @Test
    void powershellExportsOfEventsAreReadByColumnName() throws IOException {
        String winEvent = "#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n"
                + "\"Message\",\"Id\",\"Version\",\"Level\",\"ProviderName\",\"LogName\",\"MachineName\",\"TimeCreated\"\r\n"
                + "\"Exchange ActiveSync cannot create the container for \"\"CN=adm.gina,OU=Admins\"\"\r\nsecond line\",\"1053\",\"0\",\"2\","
                + "\"MSExchange ActiveSync\",\"Application\",\"CAS04.contoso.com\",\"20.11.2026 08:00:00\"\r\n"
                + "\"fine\",\"9646\",\"0\",\"4\",\"MSExchangeIS\",\"Application\",\"CAS04.contoso.com\",\"20.11.2026 08:01:00\"\r\n";
        CollectResult r = collect("events.csv", winEvent + winEvent); // two exports appended: the second header is not an event
        assertEquals(List.of(), r.problems());
        List<WindowsEvent> ev = facts(r, WindowsEvent.class);
        assertEquals(2, ev.size(), ev.toString());
        assertEquals(2, ev.get(0).count());
        assertEquals(1053, ev.get(0).eventId());
        assertEquals("MSExchange ActiveSync", ev.get(0).source());
        assertEquals("CAS04.contoso.com", ev.get(0).computer());
        assertEquals(List.of("adm.gina"), ev.get(0).names());
        assertTrue(r.examined().stream().anyMatch(e -> e.contains("PowerShell export")), r.examined().toString());

        String eventLog = "\"EventID\",\"MachineName\",\"Data\",\"Index\",\"Category\",\"EntryType\",\"Message\",\"Source\",\"InstanceId\"\r\n"
                + "\"1053\",\"CAS05\",\"System.Byte[]\",\"7\",\"Requests\",\"Error\",\"... CN=adm.hugo,OU=Admins ...\",\"MSExchange ActiveSync\",\"3221226525\"\r\n";
        List<WindowsEvent> el = facts(collect("eventlog.csv", eventLog), WindowsEvent.class);
        assertEquals(1053, el.get(0).eventId(), "EventID, not the InstanceId");
        assertEquals(List.of("adm.hugo"), el.get(0).names());
        assertFalse(new LogCollector().accepts(dir.resolve("users.csv"), "\"Name\",\"Id\",\"Source\"\r\n\"a\",\"1\",\"b\"\r\n"
                .getBytes(StandardCharsets.UTF_8)), "no Message column: not events");
    }

    @Test
    void anIisLogInTheIisOrNcsaFormatIsNamedWithHowToGetW3c() throws IOException {
        String iis = "198.51.100.7, contoso\\alice, 11/20/2026, 8:00:00, W3SVC1, CAS01, 10.0.0.21, 120, 400, 500, 200, 0, POST,"
                + " /Microsoft-Server-ActiveSync/default.eas, User=alice&DeviceId=D1&Cmd=Sync,\r\n";
        for (String name : List.of("u_in261120.log", "iis-export.log")) {
            CollectResult r = collect(name, iis);
            assertEquals(1, r.problems().size(), r.problems().toString());
            assertEquals(EvidenceProblem.UNSUPPORTED, r.problems().get(0).reason());
            assertTrue(r.problems().get(0).detail().contains("set the site's log format to W3C"), r.problems().toString());
        }
    }

    @Test
    void anExchangeServerLogIsNamedAndNotMistakenForABrokenW3cLog() throws IOException {
        String text = "#Software: Microsoft Exchange Server\r\n#Version: 15.01.2507.000\r\n#Log-type: HttpProxy Logs\r\n"
                + "#Date: 2026-11-20T08:00:00.000Z\r\n#Fields: DateTime,RequestId,MajorVersion,Protocol,UrlStem,HttpStatus\r\n"
                + "2026-11-20T08:00:01.123Z,abc,15,Eas,/Microsoft-Server-ActiveSync/default.eas,200\r\n";
        CollectResult r = collect("HttpProxy_2026112008-1.LOG", text);
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertEquals(EvidenceProblem.UNSUPPORTED, r.problems().get(0).reason());
        assertTrue(r.problems().get(0).detail().startsWith("an Exchange server log (HttpProxy Logs, comma-separated"), r.problems().toString());
        assertTrue(r.problems().get(0).detail().contains("u_ex*.log"));
    }

    @Test
    void wevtutilText() throws IOException {
        String text = "Event[0]:\r\n  Log Name: Application\r\n  Source: MSExchange ActiveSync\r\n  Event ID: 1053\r\n  Computer: CAS02\r\n"
                + "  Description: \r\ncannot create the \"CN=adm.dave,OU=Admins\" container\r\n\r\nEvent[1]:\r\n  Source: MSExchangeIS\r\n"
                + "  Event ID: x12\r\n  Description: \r\nbad id\r\n";
        CollectResult r = collect("events.txt", text);
        WindowsEvent e = facts(r, WindowsEvent.class).get(0);
        assertEquals(List.of("adm.dave"), e.names());
        assertEquals("CAS02", e.computer());
        assertEquals("line 9", r.problems().get(0).locator());
        assertTrue(r.problems().get(0).detail().contains("'x12' is not a number"));
    }

    @Test
    void wevtutilTextFromAWindowsInAnotherLanguageIsReadByPosition() throws IOException {
        String text = "Ereignis[0]:\r\n  Protokollname: Application\r\n  Quelle: MSExchange ActiveSync\r\n  Datum: 2026-11-20T08:00:00.000\r\n"
                + "  Ereignis-ID: 1053\r\n  Aufgabe: Anforderungen\r\n  Ebene: Fehler\r\n  Opcode: Info\r\n  Schl\u00fcsselwort: Klassisch\r\n"
                + "  Benutzer: N/A\r\n  Benutzername: N/A\r\n  Computer: CAS03.contoso.com\r\n  Beschreibung: \r\n"
                + "Der Container \"CN=adm.erik,OU=Admins\" kann nicht erstellt werden.\r\n  Hinweis: nichts\r\n\r\n"
                + "Ereignis[1]:\r\n  Protokollname: Application\r\n  Quelle: MSExchangeIS\r\n  Datum: 2026-11-20T08:01:00.000\r\n"
                + "  Ereignis-ID: 9646\r\n";
        CollectResult r = collect("ereignisse.txt", text);
        List<WindowsEvent> ev = facts(r, WindowsEvent.class);
        assertEquals(2, ev.size(), ev + " " + r.problems());
        assertEquals(1053, ev.get(0).eventId());
        assertEquals("MSExchange ActiveSync", ev.get(0).source());
        assertEquals(List.of("adm.erik"), ev.get(0).names());
        assertEquals("CAS03.contoso.com", ev.get(0).computer());
        assertEquals(9646, ev.get(1).eventId());
        assertTrue(r.examined().stream().anyMatch(e -> e.contains("not in English ('Protokollname' for Log Name)")), r.examined().toString());
    }
}
