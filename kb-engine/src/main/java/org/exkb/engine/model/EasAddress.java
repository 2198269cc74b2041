package org.exkb.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * Raw fact: one client address as one server's web log saw it on ActiveSync: how many distinct
 * devices (DeviceId) came from it and how many requests. Many devices behind one address means a
 * NAT (a mobile carrier's gateway).
 */
public record EasAddress(String server, String address, long devices, long requests, List<EvidenceRef> evidence)
        implements HasEvidence {
    public EasAddress {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(address, "address");
        evidence = Evidence.copy(evidence);
    }

    @Override
    public String describe() {
        return address + " on " + server + ": " + devices + " ActiveSync devices, " + requests + " requests";
    }
}
