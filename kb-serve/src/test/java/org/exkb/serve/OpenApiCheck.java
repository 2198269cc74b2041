package org.exkb.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.exkb.engine.testing.SchemaAssert;

/**
 * Holds every answer the tests get to the checked-in openapi.yaml: the operation and its status must
 * be described, the media type must be one it lists, and a JSON body must match the schema it names
 * (the diagnosis parts against the diagnosis schema the description refers to). Records which
 * operations were exercised, so that a test can require all of them.
 */
final class OpenApiCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    final JsonNode api;
    final Set<String> exercised = ConcurrentHashMap.newKeySet();

    OpenApiCheck() {
        try {
            api = new YAMLMapper().readTree(KbService.resource("openapi.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every operation the description has, as "METHOD /path". */
    Set<String> operations() {
        Set<String> out = new TreeSet<>();
        api.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            if (!m.equals("parameters")) {
                out.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey());
            }
        }));
        return out;
    }

    void check(String method, String path, int status, String contentType, String body) {
        String template = null;
        for (Iterator<String> it = api.get("paths").fieldNames(); it.hasNext(); ) {
            String t = it.next();
            if (path.matches(t.replaceAll("\\{[^}]+}", "[^/]+"))) {
                template = t;
            }
        }
        if (status == 400 && body.contains("\"urn:exkb:problem:http\"")) {
            return;   // refused by the HTTP layer before any endpoint (openapi.yaml says so in its description)
        }
        if (template == null && status == 404) {
            assertTrue(contentType.startsWith(KbService.PROBLEM_JSON), "an unknown path is a problem: " + body);
            return;
        }
        assertNotNull(template, "openapi.yaml has no path for " + path);
        JsonNode op = api.get("paths").get(template).get(method.toLowerCase(Locale.ROOT));
        if (op == null && status == 405) {
            assertTrue(contentType.startsWith(KbService.PROBLEM_JSON), "a method not described is a problem: " + body);
            return;
        }
        assertNotNull(op, "openapi.yaml has no " + method + " " + template);
        exercised.add(method + " " + template);
        JsonNode response = op.path("responses").get(String.valueOf(status));
        assertNotNull(response, "openapi.yaml does not list status " + status + " for " + method + " " + template + ": " + body);
        response = resolve(response);
        JsonNode content = response.get("content");
        if (content == null) {
            assertTrue(body.isEmpty(), method + " " + template + " " + status + " has no content in openapi.yaml but answered " + body);
            return;
        }
        String type = contentType == null ? "" : contentType.split(";")[0].strip();
        JsonNode media = content.get(type);
        assertNotNull(media, method + " " + template + " " + status + ": " + type + " is not among " + content.fieldNames().next() + "...");
        JsonNode schema = media.get("schema");
        if (schema != null) {
            validate(schema, body, method + " " + template + " " + status);
        }
    }

    private JsonNode resolve(JsonNode n) {
        while (n.has("$ref") && n.get("$ref").asText().startsWith("#/")) {
            n = api.at(n.get("$ref").asText().substring(1));
        }
        return n;
    }

    private void validate(JsonNode schema, String body, String where) {
        String ref = schema.path("$ref").asText("");
        if (ref.equals("./schemas/diagnosis.schema.json")) {
            SchemaAssert.assertValid(body);
            return;
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(where + ": not JSON: " + body);
        }
        JsonNode inlined = inline(resolve(schema));
        Set<ValidationMessage> problems = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(inlined).validate(tree);
        assertTrue(problems.isEmpty(), where + ": the answer does not match openapi.yaml: " + problems + "\n" + body);
        if (ref.equals("#/components/schemas/CaseView")) {
            SchemaAssert.assertValid(tree.get("diagnosis").toString());
            JsonNode qs = tree.get("diagnosis").get("questions");
            assertEquals(qs.size() == 0 ? JSON.nullNode() : qs.get(0), tree.get("next_question"), "next_question is the first pending question");
        }
    }

    /** The schema with references to components copied in, and those to the diagnosis schema checked separately. */
    private JsonNode inline(JsonNode n) {
        if (n.isObject()) {
            if (n.has("$ref")) {
                String r = n.get("$ref").asText();
                return r.startsWith("#/") ? inline(api.at(r.substring(1))) : JSON.createObjectNode().put("type", "object");
            }
            ObjectNode out = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey(), inline(e.getValue()));
            }
            return out;
        }
        if (n.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            n.forEach(x -> out.add(inline(x)));
            return out;
        }
        return n;
    }
}
