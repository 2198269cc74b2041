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

    @Test
    void emptyFolderIsAProblem() throws IOException {
        Files.createDirectories(dir.resolve("nothing"));
        assertEquals(EvidenceProblem.EMPTY, read(dir.resolve("nothing")).problems().get(0).reason());
    }
}
