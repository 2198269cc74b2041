package org.exkb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.exkb.engine.api.Case;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.kit.RuleKit;
import org.exkb.engine.model.Level;
import org.exkb.shell.GuidedShell;
import org.exkb.shell.Shells;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authoring guide's worked example, done for real (docs/AUTHORING.md, docs/examples/android-2.3-email):
 * a device added as data makes NON_SNI_CLIENT_REJECTED fire for it; a new root cause with rule,
 * document and samples checks clean and tests green; broken folders give file:line messages and a
 * non-zero exit while the built-in knowledge keeps working; the catalogue renders.
 */
class RuleKitTest {
    static final Path EXAMPLE = Path.of("../docs/examples/android-2.3-email");

    record Run(int status, String out, String err) {
    }

    static Run kb(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(rc, out.toString(), err.toString());
    }

    static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return to;
    }

    @Test
    void aDeviceAddedAsDataIsDiagnosedWithTheBuiltInRules(@TempDir Path tmp) throws IOException {
        // step 1 of the guide: a folder with only devices.yaml
        Path dir = Files.createDirectories(tmp.resolve("android"));
        Files.copy(EXAMPLE.resolve("devices.yaml"), dir.resolve("devices.yaml"));
        String[] diagnose = {"diagnose", "--rules", dir.toString(), "--symptom", "Connection to Microsoft Exchange is unavailable",
            "--client", "Android 2.3 Email", "--answer", "handshake_without_sni=fails", "--format", "json"};
        Run r = kb(diagnose);
        assertEquals(0, r.status(), r.err());
        JsonNode d = new ObjectMapper().readTree(r.out());
        assertEquals("Android 2.3 Email", d.path("client").asText());
        assertEquals("NON_SNI_CLIENT_REJECTED", d.at("/findings/0/id").asText());
        assertEquals("confirmed", d.at("/findings/0/status").asText());

        // near miss: without the folder the device is unknown, and nothing says it lacks SNI
        Run without = kb("diagnose", "--symptom", "Connection to Microsoft Exchange is unavailable", "--client", "Android 2.3 Email");
        assertEquals(2, without.status(), "an unknown near-miss name is a usage error with 'did you mean'");
        assertTrue(without.err().contains("not in the device catalogue"), without.err());
    }

    @Test
    void theWorkedExampleChecksCleanAndItsSamplesPassWithFullCoverage() {
        Run check = kb("rules", "check", EXAMPLE.toString());
        assertEquals(0, check.status(), check.out() + check.err());
        assertTrue(check.out().contains("ok: 1 folder(s) checked, 0 warning(s)"), check.out());

        Run test = kb("rules", "test", EXAMPLE.toString());
        assertEquals(0, test.status(), test.out() + test.err());
        for (String s : List.of("android-no-sni", "android-no-sni-near-miss", "tls10-refused", "tls10-near-miss-accepted",
                "tls10-near-miss-tls12")) {
            assertTrue(test.out().contains("PASS " + (s.startsWith("tls10") ? "causes/TLS10_ONLY_CLIENT_REFUSED/samples/" : "samples/") + s), test.out());
        }
        assertTrue(test.out().contains("coverage: 11 of 11 rule(s) fired"), test.out());
    }

    @Test
    void theNewRootCauseIsLiveInDiagnoseTheShellAndTheEmbeddingApi() throws IOException {
        Run r = kb("diagnose", "--rules", EXAMPLE.toString(), "--symptom", "Unable to open connection to server",
                "--client", "Gingerbread Email", "--answer", "terminator_accepts_tls10=no", "--format", "json");
        assertEquals(0, r.status(), r.err());
        JsonNode d = new ObjectMapper().readTree(r.out());
        assertEquals("TLS10_ONLY_CLIENT_REFUSED", d.at("/findings/0/id").asText());
        assertEquals("confirmed", d.at("/findings/0/status").asText());
        assertEquals("ANDROID_CANNOT_OPEN_CONNECTION", d.at("/symptoms/0/recognized/0").asText(), "the folder's new wording");
        assertTrue(d.at("/findings/0/fix").size() >= 2);

        DiagnosisEngine engine = RuleKit.engine(getClass().getClassLoader(), List.of(EXAMPLE));
        Diagnosis e = engine.diagnose(Case.builder().symptom("Unable to open connection to server").client("Android 2.3 Email")
                .answer("terminator_accepts_tls10", "yes").build());
        assertEquals(Level.RULED_OUT, e.finding("TLS10_ONLY_CLIENT_REFUSED").orElseThrow().status());

        StringWriter text = new StringWriter();
        try (GuidedShell shell = new GuidedShell(RuleFolders.supplier(List.of(EXAMPLE), new PrintWriter(text)),
                Shells.plainUi(new PrintWriter(text, true)))) {
            shell.runScript(new BufferedReader(new StringReader("Unable to open connection to server\nAndroid 2.3 Email\n")));
        }
        assertTrue(text.toString().contains("TLS10_ONLY_CLIENT_REFUSED possible"), text.toString());
        assertTrue(text.toString().lines().anyMatch(l -> l.strip().startsWith("decides ") && l.contains("TLS10_ONLY_CLIENT_REFUSED")),
                "the shell asks what decides the new cause:\n" + text);
    }

    @Test
    void theCheckFindsWhatWouldNeverFireAndSaysWhatWasMeant(@TempDir Path tmp) throws IOException {
        Path dir = copy(EXAMPLE, tmp.resolve("near"));
        Path drl = dir.resolve("causes/TLS10_ONLY_CLIENT_REFUSED/diagnosis.drl");
        Files.writeString(drl, Files.readString(drl).replaceFirst("Indication\\(name == \"TLS10_REFUSED\"\\)", "Indication(name == \"TLS10_REFUSD\")")
                .replaceFirst("\\bClientTrait\\(", "ClientTrat("));
        Path answers = dir.resolve("causes/TLS10_ONLY_CLIENT_REFUSED/answers.drl");
        Files.writeString(answers, Files.readString(answers).replaceFirst("value == \"tls1_0\"", "value == \"tls1.0\""));
        Files.writeString(dir.resolve("devices.yaml"), Files.readString(dir.resolve("devices.yaml")).replaceFirst("\n  ", "\n\t"));
        Run check = kb("rules", "check", dir.toString());
        assertEquals(RulesCommand.EXIT_FAILED, check.status(), check.out());
        String out = check.out();
        assertTrue(out.contains("matches Indication TLS10_REFUSD, which no rule produces (built in or in this folder); did you mean"
                + " TLS10_REFUSED?"), out);
        assertTrue(out.contains("tests the answer 'tls1.0' to client_max_tls, which is not one of its values [tls1_0, tls1_2, unknown]"), out);
        assertTrue(out.matches("(?s).*diagnosis\\.drl:\\d+:\\d+: .*ClientTrat.*; did you mean ClientTrait\\?.*"),
                "a misspelt type: its line and column, and what was meant:\n" + out);
        assertFalse(out.contains("cannot be resolved to a variable"), "follow-on errors are not listed one by one:\n" + out);
        assertTrue(out.matches("(?s).*devices\\.yaml:\\d+:1: a tab in the indentation: YAML indents with spaces only.*"), out);
    }

    @Test
    void aBrokenFolderGivesEveryErrorAsFileLineAndIsRefusedWhole(@TempDir Path tmp) throws IOException {
        Path dir = copy(EXAMPLE, tmp.resolve("broken"));
        // a syntax error in one file, an unknown type in a second, bad YAML in a third, a missing document
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/broken.drl"), """
                package org.exkb.rules.broken;
                import org.exkb.engine.model.*;

                rule "policy: half written"
                when
                    $i : Indication(name == "X"
                then
                end
                """);
        Files.writeString(dir.resolve("rules/typo.drl"), """
                package org.exkb.rules.typo;
                import org.exkb.engine.model.*;

                rule "policy: unknown fact"
                when
                    $i : Indicaton(name == "X")
                then
                end
                """);
        Files.writeString(dir.resolve("questions.yaml"), "questions:\n  - id: q\n    type: colour\n    text: What?\n");
        Files.delete(dir.resolve("causes/TLS10_ONLY_CLIENT_REFUSED/cause.yaml"));

        Run check = kb("rules", "check", dir.toString());
        assertEquals(RulesCommand.EXIT_FAILED, check.status(), check.out());
        String out = check.out();
        assertTrue(out.matches("(?s).*broken[/\\\\]rules[/\\\\]broken\\.drl:\\d+(:\\d+)?: .*"), out);
        assertTrue(out.matches("(?s).*broken[/\\\\]rules[/\\\\]typo\\.drl:6(:\\d+)?: .*Indicaton.*"), "the unknown type, at its line:\n" + out);
        assertTrue(out.matches("(?s).*broken[/\\\\]questions\\.yaml:\\d+:\\d+: .*colour.*"), out);
        assertTrue(out.contains("causes/TLS10_ONLY_CLIENT_REFUSED: the cause folder has no cause.yaml"), out);

        // refused as a whole at run time; the built-in knowledge keeps working, and the exit says so
        Run d = kb("diagnose", "--rules", dir.toString(), "--symptom", "bad username or password", "--client", "Outlook for Mac 2011",
                "--answer", "handshake_without_sni=fails");
        assertEquals(Main.EXIT_EVIDENCE_PROBLEMS, d.status());
        assertTrue(d.err().contains("refused"), d.err());
        assertTrue(d.err().contains("typo.drl"), d.err());
        assertTrue(d.out().contains("CONFIRMED  NON_SNI_CLIENT_REJECTED"), d.out());
        assertFalse(d.out().matches("(?s).*(CONFIRMED|LIKELY|POSSIBLE|RULED OUT) +TLS10_ONLY_CLIENT_REFUSED.*"), "no finding of the refused folder");
        assertTrue(d.out().contains("rules_refused: this rule folder is refused and not used"), "the report says it too:\n" + d.out());
        Run json = kb("diagnose", "--rules", dir.toString(), "--symptom", "bad username or password", "--format", "json");
        com.fasterxml.jackson.databind.JsonNode problems = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out())
                .path("evidence_problems");
        assertTrue(java.util.stream.StreamSupport.stream(problems.spliterator(), false).anyMatch(p -> p.path("reason").asText()
                .equals("rules_refused") && p.path("source").asText().endsWith("typo.drl")), "an embedder reads it in the JSON: " + problems);

        RuleKit.RuleFolderException ex = assertThrows(RuleKit.RuleFolderException.class,
                () -> RuleKit.engine(getClass().getClassLoader(), List.of(dir)));
        assertTrue(ex.getMessage().contains("typo.drl"), ex.getMessage());

        Run test = kb("rules", "test", dir.toString());
        assertEquals(RulesCommand.EXIT_FAILED, test.status());
        assertTrue(test.out().contains("not tested: the folder is refused"), test.out());
    }

    @Test
    void catalogueRulesAreEnforced(@TempDir Path tmp) throws IOException {
        Path dir = copy(EXAMPLE, tmp.resolve("rules"));
        Path file = dir.resolve("causes/TLS10_ONLY_CLIENT_REFUSED/diagnosis.drl");
        String drl = Files.readString(file);
        // a diagnosis rule on a raw fact, a rule named after an uncatalogued id, a clash with a built-in id
        Files.writeString(file, drl + """

                rule "TLS10_ONLY_CLIENT_REFUSED: straight from the handshake"
                when
                    $h : TlsHandshake(outcome == "alert")
                then
                    insertLogical(new Support("TLS10_ONLY_CLIENT_REFUSED", Level.POSSIBLE, "x", Evidence.of($h)));
                end

                rule "SOMETHING_NEW: not catalogued"
                when
                    $i : Indication(name == "X")
                then
                    insertLogical(new Support("SOMETHING_NEW", Level.POSSIBLE, "x", Evidence.of($i)));
                end
                """);
        Files.writeString(dir.resolve("catalog.yaml"), "entries:\n  - TLS10_ONLY_CLIENT_REFUSED\n  - NON_SNI_CLIENT_REJECTED\n");
        Run check = kb("rules", "check", dir.toString());
        assertEquals(RulesCommand.EXIT_FAILED, check.status(), check.out());
        String out = check.out();
        int rawLine = (int) (drl.lines().count() + 4);
        assertTrue(out.contains("diagnosis.drl:" + rawLine + ": diagnosis rule \"TLS10_ONLY_CLIENT_REFUSED: straight from the handshake\" matches the raw fact TlsHandshake"), out);
        assertTrue(out.contains("is named after SOMETHING_NEW, which is not in the catalogue"), out);
        assertTrue(out.contains("catalog.yaml:3: NON_SNI_CLIENT_REJECTED is already in the knowledge base"), out);
    }

    @Test
    void aRootCauseIsOneCompleteFolder(@TempDir Path tmp) throws IOException {
        Path dir = copy(EXAMPLE, tmp.resolve("causes"));
        Path cause = dir.resolve("causes/TLS10_ONLY_CLIENT_REFUSED");
        // its near misses removed, a sample filed under it that says nothing about it
        for (String s : List.of("tls10-near-miss-accepted", "tls10-near-miss-tls12")) {
            try (Stream<Path> files = Files.walk(cause.resolve("samples/" + s))) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(cause.resolve("samples/filed-here"));
        Files.writeString(cause.resolve("samples/filed-here/case.yaml"), "symptoms: [\"bad username or password\"]\n");
        Files.writeString(cause.resolve("samples/filed-here/expected.yaml"), "expect: {}\n");
        // a question no rule reads, without the agent's text; an evidence request a rule reads; a symptom code nobody defines
        Files.writeString(cause.resolve("questions.yaml"), Files.readString(cause.resolve("questions.yaml")) + """
                  - id: nobody_reads_this
                    type: yes_no
                    text: Is it?
                """);
        Files.writeString(cause.resolve("answers.drl"), Files.readString(cause.resolve("answers.drl")) + """

                rule "answer: read an evidence request"
                when
                    $a : Answer(questionId == "probe_server")
                    $s : SymptomReport(code == "NOT_A_CODE")
                then
                    insertLogical(new Indication("NOBODY_MATCHES_THIS", Evidence.of($a)));
                end
                """);
        // a second cause folder without its document
        Files.createDirectories(dir.resolve("causes/HALF_DONE"));
        Files.writeString(dir.resolve("causes/HALF_DONE/diagnosis.drl"), "package org.exkb.rules.examples;\n");

        Run check = kb("rules", "check", dir.toString());
        assertEquals(RulesCommand.EXIT_FAILED, check.status(), check.out());
        String out = check.out();
        assertTrue(out.contains("TLS10_ONLY_CLIENT_REFUSED has no near miss: a sample that must not fire it"), out);
        assertTrue(out.contains("filed-here/expected.yaml:1: a sample of TLS10_ONLY_CLIENT_REFUSED (filed in its folder) that says nothing"), out);
        assertTrue(out.matches("(?s).*questions\\.yaml:\\d+: no rule reads the answer to nobody_reads_this.*"), out);
        assertTrue(out.matches("(?s).*questions\\.yaml:\\d+: warning: nobody_reads_this has no 'agent' text.*"), out);
        assertTrue(out.matches("(?s).*answers\\.drl:\\d+: reads the answer to probe_server, a request for evidence.*"), out);
        assertTrue(out.matches("(?s).*answers\\.drl:\\d+: matches the symptom code NOT_A_CODE, which no symptoms.yaml defines.*"), out);
        assertTrue(out.matches("(?s).*answers\\.drl:\\d+: warning: Indication NOBODY_MATCHES_THIS is produced but no rule here matches it.*"), out);
        assertTrue(out.contains("causes/HALF_DONE: the cause folder has no cause.yaml"), out);
        assertTrue(out.contains("HALF_DONE has no rule that inserts Support"), out);

        // near miss: with a catalog.yaml, a cause folder it does not list is named
        Path listed = copy(EXAMPLE, tmp.resolve("listed"));
        Files.writeString(listed.resolve("catalog.yaml"), "entries: []\n");
        Run c2 = kb("rules", "check", listed.toString());
        assertTrue(c2.out().contains("the cause folder TLS10_ONLY_CLIENT_REFUSED is not listed in catalog.yaml"), c2.out());
    }

    @Test
    void theBuiltInKnowledgeIsARuleFolderCheckedAndTestedByTheSameKit() {
        Path builtIn = Path.of("../knowledge");
        Run check = kb("rules", "check", builtIn.toString());
        assertEquals(0, check.status(), check.out());
        assertTrue(check.out().contains("ok: 1 folder(s) checked, 0 warning(s)"), check.out());

        Run test = kb("rules", "test", builtIn.toString());
        assertEquals(0, test.status(), test.out());
        assertTrue(test.out().contains("testing ../knowledge as the built-in knowledge (compiled from this folder now)"), test.out());
        assertTrue(test.out().contains("PASS causes/NON_SNI_CLIENT_REJECTED/samples/non-sni-outlook-mac  {NON_SNI_CLIENT_REJECTED=confirmed}"),
                test.out());
        assertTrue(test.out().matches("(?s).*ok: \\d+ sample\\(s\\) passed.*"), test.out());

        // given as an addition it is refused with the reason, and the built-in knowledge keeps working
        Run d = kb("diagnose", "--rules", builtIn.toString(), "--symptom", "bad username or password");
        assertEquals(Main.EXIT_EVIDENCE_PROBLEMS, d.status(), d.out() + d.err());
        assertTrue(d.err().contains("this is the built-in knowledge itself"), d.err());
    }

    @Test
    void theShellReloadsEditedRulesAndRefusesABrokenEdit(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("kit"));
        StringWriter text = new StringWriter();
        PrintWriter w = new PrintWriter(text, true);
        try (GuidedShell shell = new GuidedShell(RuleFolders.supplier(List.of(dir), w), Shells.plainUi(w))) {
            shell.runScript(new BufferedReader(new StringReader("Unable to open connection to server\nunknown\n")));
            assertFalse(text.toString().contains("ANDROID_CANNOT_OPEN_CONNECTION"));
            // the engineer adds the new wording and its rule, then reloads
            Files.copy(EXAMPLE.resolve("symptoms.yaml"), dir.resolve("symptoms.yaml"));
            Files.createDirectories(dir.resolve("rules"));
            Files.writeString(dir.resolve("rules/s.drl"), """
                    package org.exkb.rules.kit;
                    import org.exkb.engine.model.*;
                    rule "symptom: android cannot open a connection"
                    when
                        $s : SymptomReport(code == "ANDROID_CANNOT_OPEN_CONNECTION")
                    then
                        insertLogical(new Indication("CLIENT_CANNOT_CONNECT", Evidence.of($s)));
                    end
                    """);
            shell.handle("reload");
            assertTrue(text.toString().contains("Reloaded:"), text.toString());
            // a broken edit: refused, and the rules in use stay
            Files.writeString(dir.resolve("rules/s.drl"), "package x;\nrule \"broken\" when then\n", StandardCharsets.UTF_8);
            int before = shell.failures();
            shell.handle("reload");
            assertEquals(before + 1, shell.failures());
            assertTrue(text.toString().contains("Reload refused; the rules in use are unchanged"), text.toString());
            shell.handle("symptom Unable to open connection to server");
        }
        assertTrue(text.toString().contains("Symptom recognised: ANDROID_CANNOT_OPEN_CONNECTION"), text.toString());
    }

    @Test
    void theCatalogueRendersAndTheReadmeCopyIsCurrent() throws IOException {
        Run md = kb("catalog");
        assertEquals(0, md.status(), md.err());
        assertTrue(md.out().contains("### NON_SNI_CLIENT_REJECTED"), md.out());
        assertTrue(md.out().contains("| Outlook for Mac 2011 | macOS | no |"), md.out());
        assertEquals(Files.readString(Path.of("../CATALOG.md"), StandardCharsets.UTF_8), md.out(),
                "CATALOG.md is stale: regenerate it with ./kb catalog --format markdown > CATALOG.md");

        Run with = kb("catalog", "--rules", EXAMPLE.toString(), "--format", "json");
        assertEquals(0, with.status(), with.err());
        JsonNode c = new ObjectMapper().readTree(with.out());
        assertTrue(c.path("root_causes").findValuesAsText("id").contains("TLS10_ONLY_CLIENT_REFUSED"));
        assertTrue(c.path("devices").findValuesAsText("name").contains("Android 2.3 Email"));
        assertEquals(14, c.path("root_causes").size());
    }
}
