package org.exkb.engine.model;

import java.util.List;

/** A fact that can show the evidence it rests on. */
public interface HasEvidence {
    List<EvidenceRef> evidence();

    /** One line for people: what this fact says. */
    String describe();
}
