package org.exkb.engine.collect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Partials merged per class, in the order they were added (see {@link Partial}), and the facts they stand for. */
public final class MergedPartials {
    private final Map<Class<?>, Partial> byClass = new LinkedHashMap<>();
    /** The classes whose partial here is this one's own (merged into), not one of those given. */
    private final java.util.Set<Class<?>> owned = new java.util.HashSet<>();

    /**
     * Merges these, in order, into what was added before: into an {@link Partial#empty} partial of
     * their class once there are two (one alone is kept as it is), which leaves them as they were;
     * else into the first of them.
     */
    public void add(List<Partial> partials) {
        for (Partial p : partials) {
            Partial into = byClass.get(p.getClass());
            if (into == null) {
                byClass.put(p.getClass(), p);
                continue;
            }
            if (!owned.contains(p.getClass())) {
                Partial empty = into.empty();
                if (empty != null) {
                    into = empty.plus(into);
                }
                owned.add(p.getClass());
            }
            byClass.put(p.getClass(), into.plus(p));
        }
    }

    /** Whether merging this partial leaves it unchanged (its class has an empty partial to merge into). */
    public static boolean unchangedByMerging(Partial p) {
        return p.empty() != null;
    }

    /** Whether anything was added. */
    public boolean isEmpty() {
        return byClass.isEmpty();
    }

    /**
     * A copy of a partial that later merges cannot change (merging changes the partial merged into
     * when its class has no empty one), or null when the partial cannot be copied (it is not Serializable).
     */
    public static Partial copy(Partial p) {
        if (!(p instanceof java.io.Serializable)) {
            return null;
        }
        try {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(b)) {
                o.writeObject(p);
            }
            try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(b.toByteArray()))) {
                return (Partial) in.readObject();
            }
        } catch (java.io.IOException | ClassNotFoundException e) {
            return null;
        }
    }

    /** The facts of everything added so far. */
    public List<Object> facts() {
        List<Object> facts = new ArrayList<>();
        byClass.values().forEach(p -> facts.addAll(p.facts()));
        return facts;
    }
}
