package org.exkb.engine.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One diagnosis request: what the user reported, the failing client, answers already known and
 * evidence files or folders, servers to probe live. Immutable; build it with {@link #builder()}.
 */
public record Case(List<String> symptoms, String client, Map<String, String> answers, List<Path> evidence,
                   List<Path> trust, List<String> probe) {
    public Case {
        symptoms = List.copyOf(symptoms);
        answers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(answers));
        evidence = List.copyOf(evidence);
        trust = List.copyOf(trust);
        probe = List.copyOf(probe);
    }

    public Case(List<String> symptoms, String client, Map<String, String> answers, List<Path> evidence) {
        this(symptoms, client, answers, evidence, List.of(), List.of());
    }

    /** The case a description gives (its paths as paths; nothing is read yet). */
    public static Case of(org.exkb.engine.collect.casefile.CaseCodec.Description d) {
        Builder b = builder();
        d.symptoms().forEach(b::symptom);
        b.client(d.client());
        d.answers().forEach(b::answer);
        d.evidence().forEach(e -> b.evidence(Path.of(e)));
        d.trust().forEach(t -> b.trust(Path.of(t)));
        d.probe().forEach(b::probe);
        return b.build();
    }

    /** The description of this case, as a case file holds it. */
    public org.exkb.engine.collect.casefile.CaseCodec.Description describe(String title, String notes) {
        return new org.exkb.engine.collect.casefile.CaseCodec.Description(title, symptoms, client, answers,
                evidence.stream().map(Path::toString).toList(), trust.stream().map(Path::toString).toList(), probe, notes);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final List<String> symptoms = new ArrayList<>();
        private String client;
        private final Map<String, String> answers = new LinkedHashMap<>();
        private final List<Path> evidence = new ArrayList<>();
        private final List<Path> trust = new ArrayList<>();
        private final List<String> probe = new ArrayList<>();

        public Builder symptom(String text) {
            symptoms.add(Objects.requireNonNull(text, "symptom"));
            return this;
        }

        public Builder client(String name) {
            client = name;
            return this;
        }

        public Builder answer(String questionId, String value) {
            answers.put(Objects.requireNonNull(questionId, "question id"), Objects.requireNonNull(value, "answer"));
            return this;
        }

        public Builder evidence(Path path) {
            evidence.add(Objects.requireNonNull(path, "evidence path"));
            return this;
        }

        /** A file of private root certificates (PEM or DER) that presented chains may end at. */
        public Builder trust(Path file) {
            trust.add(Objects.requireNonNull(file, "trust file"));
            return this;
        }

        /** A server to probe live, {@code host[:port]} (see {@code org.exkb.engine.probe.Probe}). */
        public Builder probe(String target) {
            probe.add(Objects.requireNonNull(target, "probe target"));
            return this;
        }

        public Case build() {
            return new Case(symptoms, client, answers, evidence, trust, probe);
        }
    }
}
