package org.exkb.engine.collect;

import org.exkb.engine.collect.tls.TrustAnchors;
import org.exkb.engine.knowledge.Knowledge;

/**
 * What collectors may consult: the knowledge data (symptom, device and question catalogues) and
 * the roots that certificate chains are checked against (the JDK's plus the user's {@code --trust}).
 */
public record CollectContext(Knowledge knowledge, TrustAnchors trust) {
    public CollectContext(Knowledge knowledge) {
        this(knowledge, TrustAnchors.jdkDefault());
    }

    public CollectContext withTrust(TrustAnchors anchors) {
        return new CollectContext(knowledge, anchors);
    }
}
