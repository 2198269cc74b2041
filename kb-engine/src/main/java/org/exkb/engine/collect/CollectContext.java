package org.exkb.engine.collect;

import java.util.Objects;
import java.util.function.Supplier;
import org.exkb.engine.collect.tls.TrustAnchors;
import org.exkb.engine.knowledge.Knowledge;

/**
 * What collectors may consult: the knowledge data (symptom, device and question catalogues) and
 * the roots that certificate chains are checked against (the JDK's plus the user's {@code --trust}).
 * The knowledge may still be loading when a collector starts (a cold start reads evidence
 * meanwhile): {@link #knowledge()} then waits for it, so a collector that never asks never waits.
 */
public final class CollectContext {
    private final Supplier<Knowledge> knowledge;
    private final TrustAnchors trust;

    public CollectContext(Knowledge knowledge, TrustAnchors trust) {
        this(() -> knowledge, trust);
    }

    public CollectContext(Knowledge knowledge) {
        this(knowledge, TrustAnchors.jdkDefault());
    }

    /** A context whose knowledge is fetched (and waited for) on first use. */
    public CollectContext(Supplier<Knowledge> knowledge, TrustAnchors trust) {
        this.knowledge = Objects.requireNonNull(knowledge, "knowledge");
        this.trust = Objects.requireNonNull(trust, "trust");
    }

    public Knowledge knowledge() {
        return knowledge.get();
    }

    public TrustAnchors trust() {
        return trust;
    }

    public CollectContext withTrust(TrustAnchors anchors) {
        return new CollectContext(knowledge, anchors);
    }
}
