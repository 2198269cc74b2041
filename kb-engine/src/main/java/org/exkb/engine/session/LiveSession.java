package org.exkb.engine.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.exkb.engine.knowledge.Knowledge;
import org.exkb.engine.model.Answer;
import org.exkb.engine.model.DeviceProfile;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;

/**
 * The Drools side of a case: one {@link KieSession}, fact handles for the facts that can be replaced
 * (one answer per question, one client), and a record of the rules that fired. Consequences do no
 * I/O; everything the session produces is read back from working memory after firing.
 */
public final class LiveSession implements AutoCloseable {
    /** A ceiling on firings per call, so a looping rule cannot hang the caller. */
    public static final int MAX_FIRINGS = 100_000;

    private final RuleBase rules;
    private KieSession session;
    private final java.util.function.Supplier<Knowledge> knowledge;
    private final Map<String, FactHandle> answers = new HashMap<>();
    private final Map<String, Integer> fired = new TreeMap<>();
    private FactHandle client;
    private String clientName;

    public LiveSession(RuleBase rules, Knowledge knowledge) {
        this(rules, () -> knowledge);
        java.util.Objects.requireNonNull(knowledge, "knowledge");
    }

    /** A session whose knowledge (still loading, perhaps) is fetched when a diagnosis is assembled. */
    public LiveSession(RuleBase rules, java.util.function.Supplier<Knowledge> knowledge) {
        this.rules = rules;
        this.knowledge = knowledge;
    }

    /**
     * The Drools session, made on first use: a rule base still being built (on its background
     * thread) is waited for only then, so evidence can be read before.
     */
    private KieSession session() {
        if (session == null) {
            KieSession made = rules.kieBase().newKieSession();
            made.addEventListener(new DefaultAgendaEventListener() {
                @Override
                public void afterMatchFired(AfterMatchFiredEvent event) {
                    fired.merge(event.getMatch().getRule().getName(), 1, Integer::sum);
                }
            });
            session = made;
        }
        return session;
    }

    public void insertAll(Collection<?> facts) {
        for (Object f : facts) {
            session().insert(f);
        }
    }

    private final List<FactHandle> merged = new ArrayList<>();

    /**
     * Replaces the facts made from merged partials (server-log aggregates over every file added so
     * far) by {@code facts}: the earlier ones are deleted, so what followed from them is retracted.
     */
    public void replaceMerged(Collection<?> facts) {
        for (FactHandle h : merged) {
            session().delete(h);
        }
        merged.clear();
        for (Object f : facts) {
            merged.add(session().insert(f));
        }
    }

    /** Inserts the answer, replacing any earlier answer to the same question. */
    public void putAnswer(Answer a) {
        FactHandle h = answers.get(a.questionId());
        if (h == null) {
            answers.put(a.questionId(), session().insert(a));
        } else {
            session().update(h, a);
        }
    }

    /** Deletes every fact {@code which} accepts (what followed from them is retracted); returns how many. */
    public int retractWhere(java.util.function.Predicate<Object> which) {
        List<FactHandle> gone = new ArrayList<>(session().getFactHandles(which::test));
        gone.forEach(h -> session().delete(h));
        return gone.size();
    }

    public boolean retractAnswer(String questionId) {
        FactHandle h = answers.remove(questionId);
        if (h != null) {
            session().delete(h);
        }
        return h != null;
    }

    public void putClient(DeviceProfile d) {
        clientName = d.name();
        if (client == null) {
            client = session().insert(d);
        } else {
            session().update(client, d);
        }
    }

    /** Fires to quiescence; false when the firing ceiling was hit. */
    public boolean fire() {
        return session().fireAllRules(MAX_FIRINGS) < MAX_FIRINGS;
    }

    /** What the rules left in working memory, in no particular order. */
    public List<Object> memory() {
        return new ArrayList<>(session().getObjects());
    }

    /** The client named last, or null. */
    public String clientName() {
        return clientName;
    }

    /** How often each rule fired, by name. */
    public java.util.Map<String, Integer> fired() {
        return java.util.Collections.unmodifiableMap(fired);
    }

    /** The knowledge the session was made with. */
    public Knowledge knowledge() {
        return knowledge.get();
    }

    @Override
    public void close() {
        if (session != null) {
            session.dispose();
        }
    }
}
