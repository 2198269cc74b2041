package org.exkb.engine.model;

import java.util.List;
import java.util.Objects;

/** Raw fact: a TCP connection that carried data that is not TLS (plain HTTP, RPC, SMTP...). */
public record PlainConnection(String serverAddress, int serverPort, long count, List<EvidenceRef> evidence)
        implements HasEvidence {
    public PlainConnection {
        Objects.requireNonNull(serverAddress, "serverAddress");
        evidence = Evidence.copy(evidence);
    }

    @Override
    public String describe() {
        return count + " connection" + (count == 1 ? "" : "s") + " to " + serverAddress + ":" + serverPort + " without TLS";
    }
}
