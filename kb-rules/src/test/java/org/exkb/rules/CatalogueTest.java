package org.exkb.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.exkb.engine.KnowledgeSamples;
import org.exkb.engine.kit.RuleFolder;
import org.exkb.engine.kit.RuleKit;
import org.exkb.engine.knowledge.Knowledge;
import org.exkb.engine.session.RuleBase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The catalogue's bookkeeping. The built-in knowledge is the rule folder {@code knowledge/}, held to
 * the same checks as any knowledge engineer's folder ({@link RuleKit#check}: every cause a folder
 * with a document, fix steps, sources, rules, a sample that fires it and a near miss; every name a
 * rule matches produced or defined; every question asked and read), with no warning allowed; and
 * what the build ships is exactly that folder.
 */
class CatalogueTest {
    static Knowledge knowledge;
    static RuleBase rules;
    static RuleFolder folder;

    @BeforeAll
    static void load() {
        knowledge = Knowledge.fromClasspath(CatalogueTest.class.getClassLoader());
        rules = RuleBase.fromClasspath(CatalogueTest.class.getClassLoader());
        folder = RuleFolder.read(KnowledgeSamples.ROOT);
    }

    @Test
    void theBuiltInKnowledgePassesTheRuleKitsChecksWithoutAWarning() {
        List<String> problems = RuleKit.check(CatalogueTest.class.getClassLoader(), KnowledgeSamples.ROOT).stream()
                .map(p -> p.in(KnowledgeSamples.ROOT)).toList();
        assertEquals(List.of(), problems);
        assertEquals(13, folder.causes().size(), "one folder per root cause");
    }

    @Test
    void theShippedKnowledgeIsTheFolder() {
        assertEquals(folder.entries(), knowledge.ids(), "the ids, in catalog.yaml's order");
        folder.entries().forEach(id -> assertEquals(folder.docs().get(id), knowledge.doc(id).orElseThrow(), id + "'s document"));
        assertEquals(new TreeSet<>(folder.questions().stream().map(q -> q.id()).toList()), new TreeSet<>(knowledge.questions().keySet()));
        assertEquals(new TreeSet<>(RuleKit.ruleNames(folder)), new TreeSet<>(rules.rules().stream().map(r -> r.getName()).toList()),
                "the compiled rules are the folder's rules");
    }

    @Test
    void everyDiagnosisRuleIsInItsCausesFolder() {
        Pattern named = Pattern.compile("(?m)^rule \"([A-Z0-9_]+):");
        int checked = 0;
        for (var e : folder.drl().entrySet()) {
            Matcher m = named.matcher(e.getValue());
            while (m.find()) {
                assertEquals("causes/" + m.group(1) + "/diagnosis.drl", e.getKey(), "rule about " + m.group(1));
                checked++;
            }
        }
        assertTrue(checked > 13, "diagnosis rules found: " + checked);
        Set<String> withRules = new TreeSet<>();
        rules.rules().stream().filter(r -> r.getPackageName().equals("org.exkb.rules.diagnosis"))
                .forEach(r -> withRules.add(r.getName().substring(0, Math.max(0, r.getName().indexOf(':')))));
        assertEquals(new TreeSet<>(knowledge.ids()), withRules, "catalogue ids with compiled diagnosis rules");
    }

    /** The contract: the ids in ../shared/KB-CATALOG.md, where that file is present beside the repository. */
    @Test
    void idsMatchTheSharedCatalogue() throws IOException {
        Path shared = Path.of("../../shared/KB-CATALOG.md");
        assumeTrue(Files.exists(shared), "shared/KB-CATALOG.md not beside the repository");
        Set<String> ids = new LinkedHashSet<>();
        for (String line : Files.readAllLines(shared)) {
            Matcher m = Pattern.compile("^\\| `([A-Z0-9_]+)` \\|").matcher(line);
            if (m.find()) {
                ids.add(m.group(1));
            }
        }
        assertEquals(13, ids.size(), "parsed the catalogue table");
        assertEquals(new ArrayList<>(ids), knowledge.ids());
    }
}
