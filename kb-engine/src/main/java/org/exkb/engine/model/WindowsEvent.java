package org.exkb.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * Raw fact: Windows events (from an .evtx or an XML, CSV or text export) with one source and event
 * id, counted, with the accounts their messages name (up to {@link #MAX_NAMES}), and the time of the
 * first and the last of them ({@code first}, {@code last}: UTC as Windows writes SystemTime, or empty
 * where the export gives no such time - CSV and text exports carry local, localised times).
 */
public record WindowsEvent(String computer, String source, int eventId, long count, List<String> names,
                           List<EvidenceRef> evidence, String first, String last) implements HasEvidence, java.io.Serializable {
    public static final int MAX_NAMES = 20;

    public WindowsEvent {
        computer = computer == null ? "" : computer;
        Objects.requireNonNull(source, "source");
        names = names == null ? List.of() : List.copyOf(names);
        evidence = Evidence.copy(evidence);
        first = first == null ? "" : first;
        last = last == null ? "" : last;
    }

    public WindowsEvent(String computer, String source, int eventId, long count, List<String> names, List<EvidenceRef> evidence) {
        this(computer, source, eventId, count, names, evidence, "", "");
    }

    @Override
    public String describe() {
        return count + " event" + (count == 1 ? "" : "s") + " " + eventId + " from " + source
                + (computer.isEmpty() ? "" : " on " + computer) + (names.isEmpty() ? "" : " naming " + String.join(", ", names))
                + (first.isEmpty() ? "" : first.equals(last) ? " at " + first : " from " + first + " to " + last);
    }
}
