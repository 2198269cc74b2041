package org.exkb.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * Raw fact: the client or device that fails, as the device catalogue describes it. Capabilities that
 * the catalogue does not know are {@link Tri#UNKNOWN}, never guessed.
 *
 * @param id                 catalogue id, e.g. {@code outlook-mac-2011}
 * @param name               display name
 * @param platform           e.g. {@code iOS}, {@code Windows Phone}
 * @param version            platform or product version as catalogued ("" when not known)
 * @param sendsSni           whether the client sends the TLS server_name extension
 * @param completesChain     whether it fills in intermediates the server did not send (AIA fetch, cache)
 * @param limitedRootStore   whether it trusts only a small fixed or pushed set of roots
 * @param fullEasPolicy      whether it supports every ActiveSync mailbox policy setting
 * @param clientCertificates whether it can authenticate to ActiveSync with a client certificate
 * @param syncTimeoutSeconds the ActiveSync request timeout it uses, 0 when not known
 */
public record DeviceProfile(String id, String name, String platform, String version, Tri sendsSni,
                            Tri completesChain, Tri limitedRootStore, Tri fullEasPolicy,
                            Tri clientCertificates, int syncTimeoutSeconds, EvidenceRef ref) implements HasEvidence {
    public DeviceProfile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        platform = platform == null ? "" : platform;
        version = version == null ? "" : version;
        sendsSni = orUnknown(sendsSni);
        completesChain = orUnknown(completesChain);
        limitedRootStore = orUnknown(limitedRootStore);
        fullEasPolicy = orUnknown(fullEasPolicy);
        clientCertificates = orUnknown(clientCertificates);
        if (syncTimeoutSeconds < 0) {
            throw new IllegalArgumentException("syncTimeoutSeconds must be >= 0: " + syncTimeoutSeconds);
        }
        Objects.requireNonNull(ref, "ref");
    }

    private static Tri orUnknown(Tri t) {
        return t == null ? Tri.UNKNOWN : t;
    }

    @Override
    public List<EvidenceRef> evidence() {
        return List.of(ref);
    }

    @Override
    public String describe() {
        return "client " + name + (version.isEmpty() ? "" : " (" + platform + " " + version + ")");
    }
}
