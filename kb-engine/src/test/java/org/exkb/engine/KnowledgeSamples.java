package org.exkb.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.exkb.engine.kit.RuleFolder;

/**
 * The built-in knowledge's sample cases ({@code knowledge/causes/ID/samples/CASE} and
 * {@code knowledge/samples/CASE}), found as the rule kit finds any rule folder's samples.
 */
public final class KnowledgeSamples {
    /** The built-in rule folder, from a module's folder. */
    public static final Path ROOT = Path.of(System.getProperty("knowledge.dir", "../knowledge"));

    private KnowledgeSamples() {
    }

    /** Every sample folder (one with an expected.yaml), sorted by path. */
    public static List<Path> all() {
        return RuleFolder.read(ROOT).samples();
    }

    /** The sample folder of that name, wherever it is filed; fails when there is none or more than one. */
    public static Path named(String name) {
        List<Path> found = all().stream().filter(p -> p.getFileName().toString().equals(name)).toList();
        if (found.size() != 1) {
            throw new IllegalArgumentException("no single sample named " + name + " under " + ROOT + ": " + found);
        }
        return found.get(0);
    }

    /** A file in the sample folder of that name. */
    public static Path file(String name, String file) {
        Path p = named(name).resolve(file);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("no file " + file + " in sample " + name);
        }
        return p;
    }
}
