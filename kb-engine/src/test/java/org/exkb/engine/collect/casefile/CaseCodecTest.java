package org.exkb.engine.collect.casefile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One reader of cases for files, the shell and JSON: the same checks, JSON strict, YAML as people write it. */
class CaseCodecTest {
    @Test
    void whatTheShellSavesReadsBackTheSame() {
        CaseCodec.Description d = new CaseCodec.Description("ticket 4711", List.of("bad username or password", "hr=0x80072f0d"),
                "Outlook for Mac 2011", Map.of("chain_sent", "leaf_only"), List.of("/cases/4711/trace.cap"), List.of("/cases/root.pem"),
                List.of("mail.contoso.com:443"), "called back on Monday");
        CaseCodec.Result back = CaseCodec.yaml(CaseCodec.yaml(d));
        assertEquals(List.of(), back.problems());
        assertEquals(d, back.description());
        assertEquals(List.of(), CaseCodec.json("{\"symptoms\": [\"a\"], \"client\": null, \"answers\": null}").problems(),
                "null is 'not given' for every field");
    }

    @Test
    void yamlTakesWhatPeopleWriteJsonOnlyWhatTheContractSays() {
        CaseCodec.Result yaml = CaseCodec.yaml("symptoms: 404 from the phone\nclient: 7\nanswers: {server_rejects: yes}\n");
        assertEquals(List.of(), yaml.problems());
        assertEquals(List.of("404 from the phone"), yaml.description().symptoms());
        assertEquals("7", yaml.description().client());
        CaseCodec.Result json = CaseCodec.json("{\"symptoms\": \"one\", \"client\": 7}");
        assertEquals(List.of("symptoms", "client"), json.problems().stream().map(CaseCodec.Problem::where).toList());
        assertTrue(json.problems().get(1).message().contains("client must be a string, not number 7"), json.problems().toString());
    }

    @Test
    void everyProblemNamesItsFieldAndTheRestIsKept() {
        CaseCodec.Result r = CaseCodec.yaml("symptom: typo\nsymptoms: [ok, {a: b}, '" + "x".repeat(10_001) + "']\nevidence: trace.cap\n");
        assertEquals(List.of("symptom", "symptoms[1]", "symptoms[2]", "evidence"), r.problems().stream().map(CaseCodec.Problem::where).toList());
        assertEquals(List.of("ok"), r.description().symptoms());
        assertTrue(r.problems().get(2).message().contains("is 10001 characters; a symptom is at most 10000"));
    }

    @Test
    void whatCannotBeReadAtAllIsFatalWithItsLine() {
        CaseCodec.Result broken = CaseCodec.yaml("symptoms:\n  - one\n  bad: [\n");
        assertNull(broken.description());
        assertTrue(broken.problems().get(0).fatal() && broken.problems().get(0).where().startsWith("line "), broken.problems().toString());
        CaseCodec.Result empty = CaseCodec.yaml("");
        assertTrue(empty.problems().get(0).empty());
        CaseCodec.Result duplicate = CaseCodec.json("{\"client\": \"a\", \"client\": \"b\"}");
        assertTrue(duplicate.problems().get(0).message().contains("client"), duplicate.problems().toString());
        CaseCodec.Result trailing = CaseCodec.json("{\"client\": \"a\"} {}");
        assertTrue(trailing.problems().get(0).fatal());
        assertTrue(CaseCodec.yaml("x".repeat(CaseCodec.MAX_CASE_CHARS + 1)).problems().get(0).message().contains("at most 1000000"));
    }
}
