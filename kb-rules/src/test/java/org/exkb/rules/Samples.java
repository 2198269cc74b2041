package org.exkb.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.exkb.engine.kit.Expectation;

/**
 * The built-in knowledge's sample folders and what each expects, as the rule kit reads any sample's
 * expected.yaml ({@link Expectation}: expect, absent, none, questions, unrecognized, evidence, healthy).
 */
record Samples(Path folder, Expectation expected) {
    static final Path ROOT = org.exkb.engine.KnowledgeSamples.ROOT;

    static List<Samples> all() {
        return org.exkb.engine.KnowledgeSamples.all().stream().map(Samples::load).toList();
    }

    static Samples load(Path folder) {
        try {
            return new Samples(folder, Expectation.read(folder));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, String> expect() {
        return expected.expect();
    }

    List<String> absent() {
        return expected.absent();
    }

    boolean healthy() {
        return expected.healthy();
    }

    @Override
    public String toString() {
        return folder.getFileName().toString();
    }
}
