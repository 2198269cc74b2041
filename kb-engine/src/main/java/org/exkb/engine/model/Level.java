package org.exkb.engine.model;

/**
 * How strongly one piece of reasoning bears on a root cause. The finding's status is the strongest
 * level any rule asserted: confirmed, then ruled out, then likely, then possible.
 */
public enum Level {
    POSSIBLE("possible"),
    LIKELY("likely"),
    RULED_OUT("ruled_out"),
    CONFIRMED("confirmed");

    private final String json;

    Level(String json) {
        this.json = json;
    }

    /** The status as the JSON contract spells it. */
    public String json() {
        return json;
    }

    /** Confirmed and ruled out settle a hypothesis; possible and likely leave it open. */
    public boolean decides() {
        return this == CONFIRMED || this == RULED_OUT;
    }
}
