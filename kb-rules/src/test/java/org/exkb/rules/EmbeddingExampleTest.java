package org.exkb.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.exkb.engine.api.Case;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.api.DiagnosisJson;
import org.exkb.engine.testing.SchemaAssert;
import org.junit.jupiter.api.Test;

/**
 * The embedding example for ticketing systems, as the README shows it: a case arrives as JSON,
 * the engine diagnoses it, the answer goes back as JSON that matches the checked-in schema.
 */
class EmbeddingExampleTest {
    @Test
    void caseInJsonOut() {
        // Load once per process; the engine is thread-safe and opens a fresh session per case.
        DiagnosisEngine engine = DiagnosisEngine.fromClasspath();

        String ticket = """
                {
                  "symptoms": ["Connection to Microsoft Exchange is unavailable", "hr=0x80072f0d in the phone log"],
                  "client": "Polycom CX600",
                  "answers": {"chain_sent": "leaf_only"}
                }
                """;
        assertTrue(SchemaAssert.caseProblems(ticket).isEmpty(), "the example case matches case.schema.json");
        Case c = DiagnosisJson.readCase(ticket);
        Diagnosis d = engine.diagnose(c);
        String json = DiagnosisJson.write(d);

        JsonNode out = SchemaAssert.assertValid(json);
        assertEquals("MISSING_INTERMEDIATE_CERTIFICATE", out.at("/findings/0/id").asText());
        assertEquals("confirmed", out.at("/findings/0/status").asText());
        assertEquals("Lync Phone Edition", out.at("/client").asText());
        assertEquals("answer", out.at("/findings/0/evidence/0/source").asText());
        assertEquals("probe_server", out.at("/questions/0/id").asText(), "a probe decides the three open certificate causes");
        assertEquals("probe", out.at("/questions/0/evidence").asText());
        assertEquals("root_in_device_store", out.at("/questions/1/id").asText());
        assertEquals(org.exkb.engine.api.Versions.ENGINE, out.at("/engine/version").asText());
        assertEquals("built-in", out.at("/knowledge/0/name").asText());
    }

    /** The case schema and the case reader agree: what one refuses the other refuses, and the reader names the field. */
    @Test
    void theCaseSchemaAndTheReaderAgree() {
        for (String good : List.of("{}", "{\"symptoms\": null, \"client\": null}", "{\"title\": \"4711\", \"answers\": {\"chain_sent\": \"leaf_only\"},"
                + " \"evidence\": [\"trace.pcapng\"], \"trust\": [\"root.pem\"], \"probe\": [\"mail.contoso.com\"], \"notes\": \"x\"}")) {
            assertTrue(SchemaAssert.caseProblems(good).isEmpty(), good + ": " + SchemaAssert.caseProblems(good));
            DiagnosisJson.readCase(good);
        }
        for (String bad : List.of("{\"symptom\": []}", "{\"symptoms\": [1]}", "{\"client\": 7}", "{\"answers\": {\"chain_sent\": true}}",
                "{\"evidence\": \"trace.pcapng\"}", "{\"symptoms\": [\"" + "x".repeat(10_001) + "\"]}")) {
            assertFalse(SchemaAssert.caseProblems(bad).isEmpty(), "the schema refuses " + bad.substring(0, Math.min(60, bad.length())));
            assertThrows(IllegalArgumentException.class, () -> DiagnosisJson.readCase(bad), "the reader refuses it too");
        }
    }
}
