package org.exkb.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.exkb.engine.session.RuleBase;
import org.exkb.engine.testing.SchemaAssert;
import org.exkb.engine.testing.TestKnowledge;
import org.junit.jupiter.api.Test;

class DiagnosisJsonTest {
    @Test
    void outputMatchesTheSchema() {
        DiagnosisEngine engine = new DiagnosisEngine(RuleBase.compile(Map.of("t.drl", TestKnowledge.DRL)),
                TestKnowledge.small(), DiagnosisEngine.defaultCollectors());
        Diagnosis d = engine.diagnose(Case.builder().symptom("bad certificate").symptom("unknown words")
                .client("nsp").evidence(Path.of("no/such/file.pcap")).build());
        JsonNode json = SchemaAssert.assertValid(DiagnosisJson.write(d));
        assertEquals("TEST_CAUSE", json.at("/findings/0/id").asText());
        assertEquals("likely", json.at("/findings/0/status").asText());
        assertEquals(1, json.at("/findings/0/fix/0/step").asInt());
        assertEquals("server_rejects", json.at("/questions/0/id").asText());
        assertEquals("unreadable", json.at("/evidence_problems/0/reason").asText());
        assertTrue(json.at("/symptoms/1/recognized").isEmpty());
    }

    static final String MINIMAL = """
            {"schema":"exkb-diagnosis/2","engine":{"name":"kb","version":"1.0.0"},"knowledge":[{"name":"built-in","version":"1.0.0"}],
            "client":null,"findings":[{"id":"X","status":"STATUS","kind":"fault",
            "title":"t","summary":"","reasons":[],"evidence":[],"fix":[],"sources":[]}],"questions":[],
            "evidence_problems":[],"symptoms":[],"facts":[],"connections":[],"examined":[],"fired_rules":{}}""";

    @Test
    void schemaRefusesAWrongStatus() {
        assertTrue(SchemaAssert.problems(MINIMAL.replace("STATUS", "likely")).isEmpty(), SchemaAssert.problems(MINIMAL.replace("STATUS", "likely")).toString());
        assertFalse(SchemaAssert.problems(MINIMAL.replace("STATUS", "maybe")).isEmpty());
    }

    @Test
    void theSchemaKeepsItsPromiseThatFieldsMayBeAdded() {
        String later = MINIMAL.replace("STATUS", "likely").replace("\"title\":\"t\"", "\"title\":\"t\",\"severity\":3")
                .replace("\"fired_rules\":{}", "\"fired_rules\":{},\"ticket\":{\"id\":4711}");
        assertTrue(SchemaAssert.problems(later).isEmpty(), "a client validating with this schema accepts the next release's additions: "
                + SchemaAssert.problems(later));
    }

    @Test
    void readsACase() {
        Case c = DiagnosisJson.readCase("""
                {"symptoms": ["hr=0x80072f0d"], "client": "Windows Phone 7",
                 "answers": {"chain_sent": "leaf_only"}, "evidence": ["trace.pcapng"]}""");
        assertEquals("Windows Phone 7", c.client());
        assertEquals(Map.of("chain_sent", "leaf_only"), c.answers());
        assertEquals(Path.of("trace.pcapng"), c.evidence().get(0));
    }

    @Test
    void refusesBadCasesWithTheirPlace() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DiagnosisJson.readCase("{\"symptoms\": [1, {}]}"));
        assertTrue(e.getMessage().contains("symptoms[0] must be a string, not number 1"), "a number is not a symptom: " + e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DiagnosisJson.readCase("{\"symptom\": []}"));
        assertTrue(e.getMessage().contains("unknown field 'symptom'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DiagnosisJson.readCase("{\n\"symptoms\": [\n"));
        assertTrue(e.getMessage().contains("line"), e.getMessage());
    }

    @Test
    void parsesStrictlyAndTakesNullAsNotGivenForEveryField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DiagnosisJson.readCase("{\"client\": \"Outlook 2013\"} {\"client\": \"iPhone\"}"));
        assertTrue(e.getMessage().contains("not valid JSON"), "trailing data: " + e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DiagnosisJson.readCase("{\"client\": \"a\", \"client\": \"b\"}"));
        assertTrue(e.getMessage().contains("client"), "a duplicate key names the field: " + e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DiagnosisJson.readCase("{\"answers\": {\"chain_sent\": true}}"));
        assertTrue(e.getMessage().contains("answers.chain_sent must be a string"), e.getMessage());
        Case nulls = DiagnosisJson.readCase("{\"symptoms\": null, \"client\": null, \"answers\": null, \"evidence\": null}");
        assertEquals(null, nulls.client());
        assertEquals(Map.of(), nulls.answers());
        e = assertThrows(IllegalArgumentException.class, () -> DiagnosisJson.readCase("{\"symptoms\": [\"" + "x".repeat(20_000) + "\"]}"));
        assertTrue(e.getMessage().contains("symptoms[0] is 20000 characters"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DiagnosisJson.readCase("{\"symptoms\": [\"" + "x".repeat(2_000_000) + "\"]}"));
        assertTrue(e.getMessage().startsWith("case JSON is 2000018 characters; at most 1000000"), e.getMessage());
    }
}
