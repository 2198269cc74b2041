package org.exkb.engine.collect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Partials merged per class, in the order they were added (see {@link Partial}), and the facts they stand for. */
public final class MergedPartials {
    private final Map<Class<?>, Partial> byClass = new LinkedHashMap<>();

    /** Merges these, in order, into what was added before. */
    public void add(List<Partial> partials) {
        for (Partial p : partials) {
            byClass.merge(p.getClass(), p, Partial::plus);
        }
    }

    /** The facts of everything added so far. */
    public List<Object> facts() {
        List<Object> facts = new ArrayList<>();
        byClass.values().forEach(p -> facts.addAll(p.facts()));
        return facts;
    }
}
