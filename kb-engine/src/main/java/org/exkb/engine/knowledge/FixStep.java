package org.exkb.engine.knowledge;

import java.util.Objects;

/** One numbered fix step: who acts, what they do, and how they verify it worked. */
public record FixStep(String who, String action, String verify) {
    public FixStep {
        Objects.requireNonNull(who, "fix step needs 'who'");
        Objects.requireNonNull(action, "fix step needs 'action'");
        verify = verify == null ? "" : verify;
    }
}
