package org.exkb.engine.session;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.drools.model.Model;
import org.drools.model.codegen.ExecutableModelProject;
import org.drools.modelcompiler.KieBaseBuilder;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.definition.rule.Rule;

/**
 * The compiled rules, loaded once and shared by every session (a {@link KieBase} is thread-safe for
 * creating sessions). The normal path loads the executable model that the kie-maven-plugin wrote at
 * build time, so start-up compiles nothing.
 */
public final class RuleBase {
    /**
     * Index resource a rules jar provides: one line per {@code drools-model} resource it carries. The
     * engine does not know the rules jar's Maven coordinates; the jar says where its model is.
     */
    public static final String INDEX = "META-INF/exkb/rule-models";

    private final Background<KieBase> kieBase;

    private RuleBase(Background<KieBase> kieBase) {
        this.kieBase = kieBase;
    }

    /** The rules; for a base built in the background, waits for it and throws what the build threw. */
    public KieBase kieBase() {
        return kieBase.get(c -> new RuleBaseException("the rules could not be loaded: " + c, c));
    }

    public List<String> ruleNames() {
        List<String> names = new ArrayList<>();
        kieBase().getKiePackages().forEach(p -> p.getRules().forEach(r -> names.add(r.getPackageName() + "." + r.getName())));
        Collections.sort(names);
        return names;
    }

    public List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        kieBase().getKiePackages().forEach(p -> rules.addAll(p.getRules()));
        return rules;
    }

    /** Every precompiled rule model named by an {@link #INDEX} resource on the class path. */
    public static RuleBase fromClasspath(ClassLoader cl) {
        return new RuleBase(Background.of(KieBaseBuilder.createKieBaseFromModel(models(cl))));
    }

    /**
     * As {@link #fromClasspath}, built on a background thread (about 0.3 s of a cold start), so the
     * caller can read evidence meanwhile; {@link #kieBase()} waits for it and throws what the build
     * threw.
     */
    public static RuleBase fromClasspathInBackground(ClassLoader cl) {
        return new RuleBase(Background.start("exkb-rule-base", () -> {
            KieBase k = KieBaseBuilder.createKieBaseFromModel(models(cl));
            org.kie.api.runtime.KieSession warm = k.newKieSession(); // loads the session's classes while the caller reads evidence
            try {
                warm.fireAllRules(LiveSession.MAX_FIRINGS);
            } finally {
                warm.dispose();
            }
            return k;
        }));
    }

    /**
     * Adds the packages of rules compiled at run time (rule folders) to this base, so their rules see
     * every fact the precompiled rules insert. Only for a base of one's own, before any session is
     * made from it: {@link #fromClasspath} gives a fresh base each time.
     */
    public RuleBase add(List<RuleBase> extra) {
        for (RuleBase e : extra) {
            try {
                kieBase().getClass().getMethod("addPackages", java.util.Collection.class).invoke(kieBase(), e.kieBase().getKiePackages());
            } catch (ReflectiveOperationException ex) {
                throw new RuleBaseException("cannot add rules to the precompiled base (" + kieBase().getClass().getName() + "): " + ex, ex);
            }
        }
        return this;
    }

    private static List<Model> models(ClassLoader cl) {
        List<Model> models = new ArrayList<>();
        try {
            for (URL index : Collections.list(cl.getResources(INDEX))) {
                for (String modelResource : lines(index)) {
                    URL model = cl.getResource(modelResource);
                    if (model == null) {
                        throw new RuleBaseException(index + " names " + modelResource + ", which is not on the class path");
                    }
                    for (String line : lines(model)) {
                        if (!line.startsWith("Drools-Model-Version")) {
                            models.add(instantiate(cl, line));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (models.isEmpty()) {
            throw new RuleBaseException("no precompiled rules on the class path (no " + INDEX + " resource): is kb-rules on the class path?");
        }
        return models;
    }

    /**
     * Compiles DRL at run time into the executable model (slow: seconds; for tests and rule folders).
     *
     * @param drlByName DRL text keyed by a file name used in messages, e.g. {@code rules/x.drl}
     */
    public static RuleBase compile(Map<String, String> drlByName) {
        KieServices ks = KieServices.get();
        KieFileSystem kfs = ks.newKieFileSystem();
        ReleaseId id = ks.newReleaseId("org.exkb.runtime", "rules-" + System.identityHashCode(drlByName) + "-" + System.nanoTime(), "1.0");
        kfs.generateAndWritePomXML(id);
        drlByName.forEach((name, drl) -> kfs.write("src/main/resources/" + name.replace('\\', '/'), drl));
        KieBuilder kb = ks.newKieBuilder(kfs).buildAll(ExecutableModelProject.class);
        List<Message> errors = kb.getResults().getMessages(Message.Level.ERROR);
        if (!errors.isEmpty()) {
            throw new RuleBaseException("rules do not compile:\n" + String.join("\n", errors.stream().map(Message::toString).toList()));
        }
        return new RuleBase(Background.of(ks.newKieContainer(id).getKieBase()));
    }

    private static Model instantiate(ClassLoader cl, String className) {
        try {
            return (Model) Class.forName(className.strip(), true, cl).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new RuleBaseException("cannot load rule model class " + className + ": " + e, e);
        }
    }

    private static List<String> lines(URL url) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
            return r.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        }
    }

    /** Rules that cannot be loaded or compiled. */
    public static final class RuleBaseException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public RuleBaseException(String message) {
            super(message);
        }

        public RuleBaseException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
