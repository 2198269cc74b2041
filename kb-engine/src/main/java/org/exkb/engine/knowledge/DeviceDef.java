package org.exkb.engine.knowledge;

import java.util.List;
import java.util.Objects;
import org.exkb.engine.model.DeviceProfile;
import org.exkb.engine.model.EvidenceRef;
import org.exkb.engine.model.Tri;

/**
 * A device catalogue entry as data. Capabilities are {@code true}, {@code false} or absent (not
 * known); the catalogue states only what its sources say.
 */
public record DeviceDef(String id, String name, List<String> aliases, String platform, String version,
                        Boolean sendsSni, Boolean completesChain, Boolean limitedRootStore,
                        Boolean fullEasPolicy, Boolean clientCertificates, Integer syncTimeoutSeconds,
                        String notes) {
    public DeviceDef {
        Objects.requireNonNull(id, "device id");
        Objects.requireNonNull(name, "name of device " + id);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        platform = platform == null ? "" : platform;
        version = version == null ? "" : version;
        notes = notes == null ? "" : notes.strip();
        if (syncTimeoutSeconds != null && syncTimeoutSeconds < 0) {
            throw new IllegalArgumentException("device " + id + ": syncTimeoutSeconds < 0");
        }
    }

    public DeviceProfile toProfile(EvidenceRef ref) {
        return new DeviceProfile(id, name, platform, version, Tri.of(sendsSni), Tri.of(completesChain),
                Tri.of(limitedRootStore), Tri.of(fullEasPolicy), Tri.of(clientCertificates),
                syncTimeoutSeconds == null ? 0 : syncTimeoutSeconds, ref);
    }

    /** Whether the catalogue says this device lacks {@code c} (unknown is not "lacks"). */
    public boolean lacks(org.exkb.engine.model.Capability c) {
        return switch (c) {
            case SENDS_SNI -> Boolean.FALSE.equals(sendsSni);
            case COMPLETES_CHAIN -> Boolean.FALSE.equals(completesChain);
            case OPEN_ROOT_STORE -> Boolean.TRUE.equals(limitedRootStore);
        };
    }

    /** A device that is not in the catalogue: every capability unknown. */
    public static DeviceDef unknown(String name) {
        return new DeviceDef("unknown", name, List.of(), "", "", null, null, null, null, null, null, "not in the device catalogue");
    }
}
