package org.exkb.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.exkb.engine.knowledge.Knowledge;
import org.exkb.engine.knowledge.KnowledgeImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build's knowledge image gives the same knowledge as the YAML, and is never used when it does not match it. */
class KnowledgeImageTest {
    /** Everything the knowledge holds, as text (SymptomDef holds compiled patterns, which compare by identity). */
    static String dump(Knowledge k) {
        StringBuilder b = new StringBuilder();
        for (String id : k.ids()) {
            b.append(k.doc(id).orElseThrow()).append('\n');
        }
        k.devices().all().forEach(d -> b.append(d).append('\n'));
        k.symptoms().all().forEach(s -> b.append(s.code()).append(s.title()).append(s.patterns()).append(s.examples()).append('\n'));
        k.questions().values().forEach(q -> b.append(q).append('\n'));
        return b.toString();
    }

    private static Path copyOfBuiltKnowledge(Path dir) throws IOException {
        URL catalog = KnowledgeImageTest.class.getClassLoader().getResource("kb/catalog.yaml");
        Path kb = Path.of(catalog.getPath()).getParent(); // target/classes/kb when the tests run
        try (Stream<Path> files = Files.walk(kb)) {
            for (Path f : files.toList()) {
                Path to = dir.resolve("kb").resolve(kb.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        return dir;
    }

    private static Knowledge load(Path... roots) throws IOException {
        URL[] urls = new URL[roots.length];
        for (int i = 0; i < roots.length; i++) {
            urls[i] = roots[i].toUri().toURL();
        }
        try (URLClassLoader cl = new URLClassLoader(urls, null)) {
            return Knowledge.fromClasspath(cl);
        }
    }

    @Test
    void theImageHoldsWhatTheYamlSays(@TempDir Path dir) throws Exception {
        ClassLoader cl = KnowledgeImageTest.class.getClassLoader();
        assertTrue(cl.getResource("kb/knowledge.image") != null, "the build wrote kb/knowledge.image");
        String yaml = dump(Knowledge.fromYaml(cl));
        assertEquals(yaml, dump(Knowledge.fromClasspath(cl)));
        assertEquals(13, Knowledge.fromClasspath(cl).ids().size());
        copyOfBuiltKnowledge(dir);
        assertEquals(yaml, dump(load(dir)));
    }

    @Test
    void yamlEditedAfterTheBuildWins(@TempDir Path dir) throws Exception {
        copyOfBuiltKnowledge(dir);
        Path doc = dir.resolve("kb/causes/NON_SNI_CLIENT_REJECTED/cause.yaml");
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        String edited = text.replaceFirst("(?m)^title: .*$", "title: Edited after the build");
        assertNotEquals(text, edited);
        Files.writeString(doc, edited, StandardCharsets.UTF_8);
        assertEquals("Edited after the build", load(dir).doc("NON_SNI_CLIENT_REJECTED").orElseThrow().title());
    }

    @Test
    void aSecondRootOrADamagedImageMeansTheYaml(@TempDir Path dir, @TempDir Path other) throws Exception {
        copyOfBuiltKnowledge(dir);
        int devices = load(dir).devices().all().size();
        Files.createDirectories(other.resolve("kb"));
        Files.writeString(other.resolve("kb/devices.yaml"), "devices:\n  - id: test-phone\n    name: Test Phone 1\n", StandardCharsets.UTF_8);
        assertEquals(devices + 1, load(dir, other).devices().all().size(), "the other root's device counts");

        String yaml = dump(Knowledge.fromYaml(KnowledgeImageTest.class.getClassLoader()));
        Path image = dir.resolve("kb/knowledge.image");
        byte[] whole = Files.readAllBytes(image);
        for (int cut : List.of(0, 3, 8, 200, whole.length / 2, whole.length - 1)) {
            Files.write(image, java.util.Arrays.copyOf(whole, cut));
            assertEquals(yaml, dump(load(dir)), "image cut to " + cut + " bytes");
        }
        for (int at : List.of(5, 12, 30, whole.length / 3, whole.length - 5)) {
            byte[] flipped = whole.clone();
            flipped[at] ^= 0x55;
            Files.write(image, flipped);
            assertEquals(yaml, dump(load(dir)), "image with a flipped byte at " + at);
        }
    }

    @Test
    void theImageIsWrittenForAFolderOfKnowledge(@TempDir Path dir) throws Exception {
        copyOfBuiltKnowledge(dir);
        Files.delete(dir.resolve("kb/knowledge.image"));
        KnowledgeImage.main(new String[] {dir.toString()});
        assertTrue(Files.size(dir.resolve("kb/knowledge.image")) > 1000);
        assertEquals(dump(Knowledge.fromYaml(KnowledgeImageTest.class.getClassLoader())), dump(load(dir)));
    }
}
