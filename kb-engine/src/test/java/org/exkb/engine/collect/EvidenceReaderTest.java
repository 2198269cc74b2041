package org.exkb.engine.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.model.Answer;
import org.exkb.engine.model.DeviceProfile;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.model.SymptomReport;
import org.exkb.engine.testing.TestKnowledge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading evidence paths and case files: everything readable is used, everything else is reported. */
class EvidenceReaderTest {
    @TempDir
    Path dir;

    private final EvidenceReader reader = new EvidenceReader(DiagnosisEngine.defaultCollectors());
    private final CollectContext context = new CollectContext(TestKnowledge.small());

    private CollectResult read(Path... paths) {
        return reader.read(List.of(paths), context);
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void readsACaseFile() throws IOException {
        Path p = write("case.yaml", "symptoms: [\"hr=0x80072f0d\", \"printer jams\"]\nclient: NSP\nanswers: {server_rejects: y}\n");
        CollectResult r = read(p);
        assertEquals(List.of(), r.problems());
        assertEquals(1, r.facts().stream().filter(f -> f instanceof SymptomReport).count());
        assertEquals("nosni", r.facts().stream().filter(f -> f instanceof DeviceProfile).map(f -> ((DeviceProfile) f).id()).findFirst().orElseThrow());
        assertEquals("yes", r.facts().stream().filter(f -> f instanceof Answer).map(f -> ((Answer) f).value()).findFirst().orElseThrow());
        assertEquals(List.of(), r.symptoms().get(1).recognized());
        assertEquals(p.toString(), r.symptoms().get(0).ref().source());
        assertEquals("symptoms[1]", r.symptoms().get(0).ref().locator());
    }

    @Test
    void malformedCaseFileNamesTheLine() throws IOException {
        CollectResult r = read(write("case.yaml", "symptoms:\n  - one\n  bad: [\n"));
        EvidenceProblem p = r.problems().get(0);
        assertEquals(EvidenceProblem.MALFORMED, p.reason());
        assertTrue(p.locator().startsWith("line "), p.toString());
    }

    @Test
    void unknownFieldIsReportedAndTheRestIsUsed() throws IOException {
        CollectResult r = read(write("x.case.yaml", "symptom: oops\nclient: SNI Phone\nanswers: {minutes: lots}\n"));
        assertEquals(List.of("symptom", "answers.minutes"), r.problems().stream().map(EvidenceProblem::locator).toList());
        assertEquals(1, r.facts().size(), "the client is still used");
    }

    @Test
    void caseFileOfTheWrongShape() throws IOException {
        assertEquals(EvidenceProblem.MALFORMED, read(write("case.yaml", "- a list\n")).problems().get(0).reason());
        assertEquals(EvidenceProblem.EMPTY, read(write("case.yaml", "")).problems().get(0).reason());
    }

    @Test
    void missingUnsupportedAndEmptyFilesAreProblemsNotCrashes() throws IOException {
        Path unsupported = write("trace.bin", "\u0001\u0002 not a known format");
        Path empty = write("empty.log", "");
        CollectResult r = read(dir.resolve("absent.pcap"), unsupported, empty);
        assertEquals(List.of(EvidenceProblem.UNREADABLE, EvidenceProblem.UNSUPPORTED, EvidenceProblem.EMPTY),
                r.problems().stream().map(EvidenceProblem::reason).toList());
        assertTrue(r.problems().get(1).detail().contains("case file"), r.problems().get(1).detail());
    }

    @Test
    void folderIsWalkedAndSampleBookkeepingIsListedAsSkipped() throws IOException {
        write("sample/case.yaml", "symptoms: [bad certificate]\n");
        write("sample/expected.yaml", "expect: {}\n");
        write("sample/README.md", "notes\n");
        CollectResult r = read(dir.resolve("sample"));
        assertEquals(List.of(), r.problems());
        assertEquals(3, r.examined().size());
        assertTrue(r.examined().stream().anyMatch(e -> e.contains("expected.yaml: skipped")), r.examined().toString());
    }

    /** What a result says, in a form that compares. */
    private static String said(CollectResult r) {
        return r.facts() + "\n" + r.problems() + "\n" + r.connections() + "\n" + r.examined();
    }

    private Path folderOfLogs() throws IOException {
        String fields = "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status"
                + " sc-substatus sc-win32-status time-taken\r\n";
        for (int k = 0; k < 6; k++) {
            StringBuilder b = new StringBuilder(fields);
            for (int i = 0; i < 2000; i++) {
                b.append("2026-11-20 08:00:00 10.0.0.2").append(k % 2).append(" POST /Microsoft-Server-ActiveSync/default.eas User=u")
                        .append(i % 50).append("&DeviceId=D").append(i % 70).append("&Cmd=").append(i % 3 == 0 ? "Ping" : "Sync")
                        .append("&Log=V141_Hb900 443 - 198.51.100.").append(i % 9).append(" Apple-iPhone/1.0 ").append(i % 11 == 0 ? 403 : 200)
                        .append(" 0 0 ").append(i % 3 == 0 ? 300_000 + i : 100).append("\r\n");
            }
            b.append("2026-11-20 08:00:00 too few values\r\n");
            write("logs/CAS0" + (k % 2 + 1) + "/u_ex26112" + k + ".log", b.toString());
        }
        write("logs/notes.bin", "\u0001\u0002 not evidence");
        Files.copy(org.exkb.engine.testing.Captures.fixture("openssl-lo.pcap"), dir.resolve("logs/trace.pcap"));
        return dir.resolve("logs");
    }

    @Test
    void aFolderOfManyFilesIsReadTogetherAndSaysWhatReadingThemOneByOneSays() throws IOException {
        Path folder = folderOfLogs();
        CollectResult together = read(folder);
        CollectResult oneByOne = new CollectResult();
        try (java.util.stream.Stream<Path> s = Files.walk(folder)) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                oneByOne.addAll(read(f));
            }
        }
        assertEquals(said(oneByOne), said(together));
        assertEquals(7, together.problems().size(), together.problems().toString()); // six short lines, one unknown file
        assertTrue(together.examined().size() >= 7, together.examined().toString());
    }

    /** The facts without their evidence (which names the file and line of each group's first request). */
    private static List<String> withoutEvidence(CollectResult r) {
        return r.facts().stream().map(f -> f.toString().replaceAll(", evidence=\\[.*\\]\\]$", "]")).sorted().toList();
    }

    @Test
    void aLogRolledOverIntoManyFilesSaysWhatTheWholeLogSays() throws IOException {
        // IIS rolls W3C logs over by hour or size and HTTP.sys its error log every few megabytes: the
        // counts, devices per address and errors per reason must be those of the whole day
        String header = "#Software: Microsoft Internet Information Services 10.0\r\n#Fields: date time s-computername cs-method"
                + " cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken\r\n";
        String errHeader = "#Software: Microsoft HTTP API 2.0\r\n#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri"
                + " sc-status s-siteid s-reason s-queuename\r\n";
        List<String> lines = new java.util.ArrayList<>();
        List<String> errs = new java.util.ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            int d = i * 7 % 60;
            String cmd = i % 4 == 0 ? "Ping" : i % 9 == 0 ? "SendMail" : "Sync";
            lines.add("2026-11-20 08:00:00 CAS01 POST /Microsoft-Server-ActiveSync/default.eas User=u" + d + "&DeviceId=D" + d + "&Cmd=" + cmd
                    + "&Log=V141_Hb900 443 - 203.0.113." + d % 3 + " Apple-iPhone/1.0 " + (i % 13 == 0 ? 403 : 200) + " 0 0 "
                    + (cmd.equals("Ping") ? 300_000 + i % 400 : 120));
            if (i % 40 == 0) {
                errs.add("2026-11-20 08:00:00 203.0.113.1 5" + i + " 10.0.0.21 443 HTTP/1.1 POST /Microsoft-Server-ActiveSync/default.eas"
                        + "?Cmd=SendMail&User=u" + d + " - 1 Connection_Abandoned_By_AppPool MSExchangeSyncAppPool");
            }
        }
        write("whole/CAS01/u_ex26112008.log", header + String.join("\r\n", lines) + "\r\n");
        write("whole/CAS01/httperr1.log", errHeader + String.join("\r\n", errs) + "\r\n");
        for (int k = 0; k < 12; k++) { // hourly W3C files, and one error per error file
            write("rolled/CAS01/u_ex261120" + String.format("%02d", k) + ".log", header + String.join("\r\n", lines.subList(k * 100, k * 100 + 100)) + "\r\n");
        }
        for (int k = 0; k < errs.size(); k++) {
            write("rolled/CAS01/httperr" + (k + 1) + ".log", errHeader + errs.get(k) + "\r\n");
        }
        CollectResult whole = read(dir.resolve("whole"));
        CollectResult rolled = read(dir.resolve("rolled"));
        assertEquals(List.of(), rolled.problems());
        assertEquals(withoutEvidence(whole), withoutEvidence(rolled));
        assertTrue(withoutEvidence(rolled).stream().anyMatch(f -> f.startsWith("EasAddress") && f.contains("devices=20")), withoutEvidence(rolled).toString());
        assertTrue(withoutEvidence(rolled).stream().anyMatch(f -> f.startsWith("HttpErrors") && f.contains("count=30")), withoutEvidence(rolled).toString());
        assertTrue(rolled.facts().stream().map(Object::toString).anyMatch(f -> f.contains("u_ex26112000.log line 3")),
                "a group's evidence is its first line in the first file");
    }

    @Test
    void aCancelledReadSaysWhichFilesWereNotRead() throws IOException {
        Path folder = folderOfLogs();
        Thread.currentThread().interrupt(); // as the shell's Ctrl-C does to the reading thread
        CollectResult r;
        try {
            r = read(folder);
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        }
        assertEquals(8, r.problems().size(), r.problems().toString());
        assertTrue(r.problems().stream().allMatch(p -> p.detail().equals("not read: reading was cancelled")), r.problems().toString());
        assertTrue(r.facts().isEmpty());
    }

    @Test
    void aFileGivenTwiceIsReadOnce() throws IOException {
        Path folder = folderOfLogs();
        Path log = folder.resolve("CAS01/u_ex261120.log");
        CollectResult once = read(folder);
        CollectResult twice = read(folder, log, folder.resolve("CAS01/../CAS01/u_ex261120.log"));
        assertEquals(once.facts().toString(), twice.facts().toString());
        assertEquals(2, twice.examined().stream().filter(e -> e.endsWith("given more than once; read once")).count(), twice.examined().toString());
    }

    @Test
    void aZipOfAWholeCaseFolderIsReadLikeTheFolder() throws IOException {
        Path sample = Path.of("../knowledge/causes/NON_SNI_CLIENT_REJECTED/samples/capture-non-sni-reset");
        Path logs = Path.of("../knowledge/causes/LB_SOURCE_IP_AFFINITY_BEHIND_NAT/samples/logs-lb-affinity");
        Path zip = dir.resolve("case.zip");
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            for (Path base : List.of(sample, logs)) {
                try (java.util.stream.Stream<Path> files = Files.walk(base)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        z.putNextEntry(new java.util.zip.ZipEntry(base.getFileName() + "/" + base.relativize(f).toString().replace('\\', '/')));
                        z.write(Files.readAllBytes(f));
                    }
                }
            }
            z.putNextEntry(new java.util.zip.ZipEntry("notes/ticket.docx"));
            z.write(new byte[] {'P', 'K', 3, 4, 1, 2, 3});
        }
        CollectResult fromZip = read(zip);
        CollectResult fromFolders = read(sample, logs);
        assertEquals(List.of(zip + "!notes/ticket.docx"), fromZip.problems().stream().map(EvidenceProblem::source).toList(),
                fromZip.problems().toString());
        assertEquals(EvidenceProblem.UNSUPPORTED, fromZip.problems().get(0).reason());
        assertEquals(fromFolders.facts().size(), fromZip.facts().size(), "the capture, its root and the logs: " + fromZip.examined());
        assertEquals(fromFolders.facts().stream().map(f -> f.getClass().getSimpleName()).sorted().toList(),
                fromZip.facts().stream().map(f -> f.getClass().getSimpleName()).sorted().toList());
        assertTrue(fromZip.examined().stream().anyMatch(e -> e.startsWith(zip + "!capture-non-sni-reset/capture.pcap: pcap, 64 frames")),
                fromZip.examined().toString());
        assertTrue(fromZip.examined().stream().anyMatch(e -> e.startsWith(zip + "!capture-non-sni-reset/trusted-root.pem certificate 1: trusted root")),
                "the root in the archive is read before the capture: " + fromZip.examined());
        assertTrue(fromZip.connections().stream().allMatch(c -> c.toString().contains(zip + "!capture-non-sni-reset/capture.pcap")),
                fromZip.connections().toString());
        try (java.util.stream.Stream<Path> left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("exkb-archive")), "the files taken out are deleted");
        }

        byte[] bytes = Files.readAllBytes(zip); // cut off in the logs, after the capture: no directory at the end
        Path cut = dir.resolve("cut.zip");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length * 9 / 10));
        CollectResult fromCut = read(cut);
        assertTrue(fromCut.problems().get(0).detail().contains("directory is missing"), fromCut.problems().toString());
        assertTrue(fromCut.examined().stream().anyMatch(e -> e.startsWith(cut + "!capture-non-sni-reset/capture.pcap: pcap, 64 frames")),
                "the capture before the cut is read: " + fromCut.examined());
    }

    @Test
    void archivesThisVersionDoesNotOpenAreNamedWithWhatToDo() throws IOException {
        Path seven = dir.resolve("logs.7z");
        Files.write(seven, new byte[] {0x37, 0x7a, (byte) 0xbc, (byte) 0xaf, 0x27, 0x1c, 0, 4});
        Path tgz = dir.resolve("logs.tar.gz");
        Files.write(tgz, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0});
        byte[] tar = new byte[1024];
        System.arraycopy("ustar".getBytes(StandardCharsets.US_ASCII), 0, tar, 257, 5);
        Path plainTar = dir.resolve("bundle.bin");
        Files.write(plainTar, tar);
        CollectResult r = read(seven, tgz, plainTar);
        assertEquals(List.of("a 7-Zip archive", "a tar archive", "a tar archive"),
                r.problems().stream().map(p -> p.detail().substring(0, p.detail().indexOf(','))).toList(), r.problems().toString());
        assertTrue(r.problems().get(0).detail().endsWith("pack the files as .zip"), r.problems().toString());
    }

    @Test
    void emptyFolderIsAProblem() throws IOException {
        Files.createDirectories(dir.resolve("nothing"));
        assertEquals(EvidenceProblem.EMPTY, read(dir.resolve("nothing")).problems().get(0).reason());
    }
}
