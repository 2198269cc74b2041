package org.exkb.engine.knowledge;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the knowledge base says in words and data rather than rules: the catalogue of entry
 * ids with their documents, the device catalogue, the symptom catalogue and the questions. Loaded
 * from {@code kb/} resources on the classpath (every jar that has them contributes), immutable,
 * shared by all sessions.
 */
public final class Knowledge {
    /** Made on first use: about 50 ms of a cold start, which the knowledge image spares. */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    private final Map<String, EntryDoc> docs;
    private final DeviceCatalog devices;
    private final SymptomCatalog symptoms;
    private final Map<String, QuestionDef> questions;

    public Knowledge(Map<String, EntryDoc> docs, List<DeviceDef> devices, List<SymptomDef> symptoms,
                     List<QuestionDef> questions) {
        this.docs = Collections.unmodifiableMap(new LinkedHashMap<>(docs));
        this.devices = new DeviceCatalog(devices);
        this.symptoms = new SymptomCatalog(symptoms);
        Map<String, QuestionDef> q = new LinkedHashMap<>();
        for (QuestionDef d : questions) {
            if (q.putIfAbsent(d.id(), d) != null) {
                throw new KnowledgeException("question id '" + d.id() + "' is defined twice");
            }
        }
        this.questions = Collections.unmodifiableMap(q);
    }

    /**
     * Loads the knowledge from every {@code kb/} resource set visible to the class loader: from the
     * build's {@link KnowledgeImage} when one root holds it all, unchanged, else from the YAML.
     */
    public static Knowledge fromClasspath(ClassLoader cl) {
        Knowledge k = KnowledgeImage.read(cl);
        return k != null ? k : fromYaml(cl);
    }

    /**
     * Loads the knowledge from the YAML of every {@code kb/} resource set visible to the class loader:
     * the ids in {@code catalog.yaml}, each id's document ({@code causes/ID/cause.yaml}, or
     * {@code docs/ID.yaml} as older knowledge jars have it) and own questions
     * ({@code causes/ID/questions.yaml}), and the shared devices, symptoms and questions.
     */
    public static Knowledge fromYaml(ClassLoader cl) {
        List<String> ids = new ArrayList<>();
        for (JsonNode n : readAll(cl, "kb/catalog.yaml")) {
            for (JsonNode id : n.path("entries")) {
                if (ids.contains(id.asText())) {
                    throw new KnowledgeException("catalogue id '" + id.asText() + "' is listed twice");
                }
                ids.add(id.asText());
            }
        }
        Map<String, EntryDoc> docs = new LinkedHashMap<>();
        List<QuestionDef> questions = list(cl, "kb/questions.yaml", "questions", QUESTIONS);
        for (String id : ids) {
            URL url = null;
            for (String file : documentFiles(id)) {
                url = url != null ? url : cl.getResource("kb/" + file);
            }
            if (url == null) {
                throw new KnowledgeException("catalogue id " + id + " has no document kb/" + documentFiles(id).get(0));
            }
            EntryDoc doc = read(url, EntryDoc.class);
            if (!doc.id().equals(id)) {
                throw new KnowledgeException(url + ": document id '" + doc.id() + "' does not match its folder or file name " + id);
            }
            docs.put(id, doc);
            questions.addAll(list(cl, "kb/" + questionFile(id), "questions", QUESTIONS));
        }
        return new Knowledge(docs,
                list(cl, "kb/devices.yaml", "devices", new TypeReference<List<DeviceDef>>() { }),
                list(cl, "kb/symptoms.yaml", "symptoms", new TypeReference<List<SymptomDef>>() { }),
                questions);
    }

    private static final TypeReference<List<QuestionDef>> QUESTIONS = new TypeReference<>() { };

    /** Where a root cause's document may be, under {@code kb/}, in the order they are looked for. */
    static List<String> documentFiles(String id) {
        return List.of("causes/" + id + "/cause.yaml", "docs/" + id + ".yaml");
    }

    /** Where a root cause's own questions are, under {@code kb/}. */
    static String questionFile(String id) {
        return "causes/" + id + "/questions.yaml";
    }

    public List<String> ids() {
        return List.copyOf(docs.keySet());
    }

    public Optional<EntryDoc> doc(String id) {
        return Optional.ofNullable(docs.get(id));
    }

    public DeviceCatalog devices() {
        return devices;
    }

    public SymptomCatalog symptoms() {
        return symptoms;
    }

    public Optional<QuestionDef> question(String id) {
        return Optional.ofNullable(questions.get(id));
    }

    public Map<String, QuestionDef> questions() {
        return questions;
    }

    private static <T> List<T> list(ClassLoader cl, String resource, String field, TypeReference<List<T>> type) {
        List<T> out = new ArrayList<>();
        for (JsonNode n : readAll(cl, resource)) {
            try {
                out.addAll(Yaml.MAPPER.convertValue(n.path(field), type));
            } catch (IllegalArgumentException e) {
                throw new KnowledgeException(resource + ": " + rootMessage(e), e);
            }
        }
        return out;
    }

    private static List<JsonNode> readAll(ClassLoader cl, String resource) {
        List<JsonNode> out = new ArrayList<>();
        try {
            for (URL url : Collections.list(cl.getResources(resource))) {
                out.add(read(url, JsonNode.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static <T> T read(URL url, Class<T> type) {
        try (InputStream in = url.openStream()) {
            return Yaml.MAPPER.readValue(in, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new KnowledgeException(url + ": " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage().lines().findFirst().orElse("");
    }

    /** Knowledge data that cannot be loaded: names the resource and what is wrong. */
    public static final class KnowledgeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public KnowledgeException(String message) {
            super(message);
        }

        public KnowledgeException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
