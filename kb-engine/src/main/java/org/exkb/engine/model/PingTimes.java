package org.exkb.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * Raw fact: how long ActiveSync Ping requests were held on one server, for one heartbeat the
 * devices asked for (Direct Push: the server holds a Ping up to the heartbeat).
 *
 * @param heartbeatSeconds the heartbeat asked for (from Exchange's Log= diagnostics), 0 when not logged
 * @param modeSeconds      the most common duration, in whole seconds
 * @param atMode           Pings that lasted the most common duration (within a second)
 * @param atHeartbeat      Pings that lasted the heartbeat (within 5% of it)
 */
public record PingTimes(String server, int heartbeatSeconds, long count, long modeSeconds, long atMode, long atHeartbeat,
                        List<EvidenceRef> evidence) implements HasEvidence {
    public PingTimes {
        Objects.requireNonNull(server, "server");
        evidence = Evidence.copy(evidence);
    }

    @Override
    public String describe() {
        return count + " Pings on " + server + (heartbeatSeconds == 0 ? "" : " with a " + heartbeatSeconds + " s heartbeat")
                + ": " + atMode + " lasted " + modeSeconds + " s, " + atHeartbeat + " lasted the heartbeat";
    }
}
