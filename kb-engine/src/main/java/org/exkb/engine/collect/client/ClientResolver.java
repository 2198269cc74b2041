package org.exkb.engine.collect.client;

import java.util.List;
import java.util.Optional;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.knowledge.DeviceCatalog;
import org.exkb.engine.knowledge.DeviceDef;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.model.EvidenceRef;

/**
 * Turns the name of the failing client into a {@code DeviceProfile} fact from the device catalogue.
 * A name the catalogue does not know still becomes a client (every capability unknown), with an
 * evidence problem that suggests the closest catalogued names.
 */
public final class ClientResolver {
    private final DeviceCatalog catalog;

    public ClientResolver(DeviceCatalog catalog) {
        this.catalog = catalog;
    }

    public CollectResult collect(String name, String source, String locator) {
        CollectResult r = new CollectResult();
        if (name == null || name.isBlank()) {
            return r;
        }
        String n = name.strip();
        EvidenceRef ref = EvidenceRef.of(source, locator, n);
        Optional<DeviceDef> found = catalog.find(n);
        if (found.isPresent()) {
            r.fact(found.get().toProfile(ref)).client(found.get().name());
        } else {
            r.fact(DeviceDef.unknown(n).toProfile(ref)).client(n);
            r.problem(new EvidenceProblem(source, locator, EvidenceProblem.UNKNOWN_CLIENT,
                    unknownMessage(n, catalog.suggest(n))));
        }
        return r;
    }

    public static String unknownMessage(String name, List<String> suggestions) {
        String msg = "'" + name + "' is not in the device catalogue, so its capabilities are treated as unknown";
        if (!suggestions.isEmpty()) {
            msg += "; did you mean " + String.join(" or ", suggestions.stream().map(s -> "'" + s + "'").toList()) + "?";
        }
        return msg;
    }
}
