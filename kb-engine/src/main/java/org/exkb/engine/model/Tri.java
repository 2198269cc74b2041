package org.exkb.engine.model;

/** A capability that can be known to be present, known to be absent, or not known. */
public enum Tri {
    YES, NO, UNKNOWN;

    public static Tri of(Boolean b) {
        return b == null ? UNKNOWN : (b ? YES : NO);
    }
}
