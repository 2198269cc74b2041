package org.exkb.engine.collect;

import org.exkb.engine.knowledge.Knowledge;

/** What collectors may consult: the knowledge data (symptom, device and question catalogues). */
public record CollectContext(Knowledge knowledge) {
}
