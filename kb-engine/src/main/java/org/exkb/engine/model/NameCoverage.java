package org.exkb.engine.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether the server's certificate covers the name the client asked for. */
public enum NameCoverage {
    /** One of its names (DNS subject alternative names, or the common name without them) matches. */
    COVERED,
    /** None of its names matches the name asked for. */
    NOT_COVERED,
    /** No name was asked for (no SNI and none known), so nothing can be compared. */
    NOT_REQUESTED;

    /** The contract's word: {@code covered}, {@code not_covered}, {@code not_requested}. */
    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
