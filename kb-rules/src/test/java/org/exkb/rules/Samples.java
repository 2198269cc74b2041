package org.exkb.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.exkb.engine.kit.Expectation;

/**
 * The sample folders in evidence-samples and what each expects, as the rule kit reads any sample's
 * expected.yaml ({@link Expectation}: expect, absent, none, questions, unrecognized, evidence, healthy).
 */
record Samples(Path folder, Expectation expected) {
    static final Path ROOT = Path.of(System.getProperty("samples.dir", "../evidence-samples"));

    static List<Samples> all() {
        try (Stream<Path> s = Files.list(ROOT)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("expected.yaml"))).sorted().map(Samples::load).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
