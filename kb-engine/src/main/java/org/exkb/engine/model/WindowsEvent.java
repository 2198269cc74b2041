package org.exkb.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * Raw fact: Windows events from an export (XML, CSV or text) with one source and event id, counted,
 * with the accounts their messages name (up to {@link #MAX_NAMES}).
 */
public record WindowsEvent(String computer, String source, int eventId, long count, List<String> names,
                           List<EvidenceRef> evidence) implements HasEvidence {
    public static final int MAX_NAMES = 20;

    public WindowsEvent {
        computer = computer == null ? "" : computer;
        Objects.requireNonNull(source, "source");
        names = names == null ? List.of() : List.copyOf(names);
        evidence = Evidence.copy(evidence);
    }

    @Override
    public String describe() {
        return count + " event" + (count == 1 ? "" : "s") + " " + eventId + " from " + source
                + (computer.isEmpty() ? "" : " on " + computer) + (names.isEmpty() ? "" : " naming " + String.join(", ", names));
    }
}
