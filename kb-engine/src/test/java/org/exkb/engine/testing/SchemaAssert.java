package org.exkb.engine.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import org.exkb.engine.api.DiagnosisJson;

/** Validates diagnosis JSON against the schema checked into kb-engine (shared by every module's tests). */
public final class SchemaAssert {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchema SCHEMA = load();
    private static final JsonSchema CASE = load("/org/exkb/engine/api/case.schema.json");

    private SchemaAssert() {
    }

    private static JsonSchema load() {
        try (InputStream in = DiagnosisJson.class.getResourceAsStream(DiagnosisJson.SCHEMA_RESOURCE)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonSchema load(String resource) {
        try (InputStream in = DiagnosisJson.class.getResourceAsStream(resource)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What is wrong with a case against case.schema.json. */
    public static Set<ValidationMessage> caseProblems(String json) {
        try {
            return CASE.validate(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Set<ValidationMessage> problems(String json) {
        try {
            return SCHEMA.validate(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode assertValid(String json) {
        Set<ValidationMessage> problems = problems(json);
        assertTrue(problems.isEmpty(), () -> "diagnosis JSON does not match the schema: " + problems + "\n" + json);
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
