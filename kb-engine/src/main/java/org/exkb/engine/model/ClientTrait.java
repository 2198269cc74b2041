package org.exkb.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * Meaningful fact about the failing client, from the device catalogue or from observed behaviour
 * (a ClientHello without server_name shows {@code NO_SNI} whatever the catalogue says).
 */
public record ClientTrait(String trait, String client, List<EvidenceRef> evidence) implements HasEvidence {
    public ClientTrait {
        Objects.requireNonNull(trait, "trait");
        Objects.requireNonNull(client, "client");
        evidence = Evidence.copy(evidence);
    }

    @Override
    public String describe() {
        return "client " + client + " has trait " + trait;
    }
}
