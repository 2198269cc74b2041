package org.exkb.serve;

import java.util.Locale;

/** What a token may do; each role includes the ones before it. */
enum Role {
    /** Diagnose cases (one-shot and guided), read reports. */
    DIAGNOSE,
    /** Also probe servers live (only those the operator allows). */
    PROBE,
    /** Also reload the rule folders. */
    ADMIN;

    boolean allows(Role needed) {
        return ordinal() >= needed.ordinal();
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Role parse(String s) {
        for (Role r : values()) {
            if (r.label().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + s + "' (diagnose, probe or admin)");
    }
}
