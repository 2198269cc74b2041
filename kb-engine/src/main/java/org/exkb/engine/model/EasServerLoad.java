package org.exkb.engine.model;

import java.util.List;
import java.util.Objects;

/** Raw fact: the ActiveSync work one server's web log shows (one per log file): requests and distinct devices. */
public record EasServerLoad(String server, long requests, long devices, List<EvidenceRef> evidence) implements HasEvidence {
    public EasServerLoad {
        Objects.requireNonNull(server, "server");
        evidence = Evidence.copy(evidence);
    }

    @Override
    public String describe() {
        return server + ": " + requests + " ActiveSync requests from " + devices + " devices";
    }
}
