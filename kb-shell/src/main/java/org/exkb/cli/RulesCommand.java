package org.exkb.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.exkb.engine.kit.RuleFolder;
import org.exkb.engine.kit.RuleKit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kb rules check|test DIR}: the knowledge engineer's checks on a rule folder. */
@Command(name = "rules", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        header = "Checks and tests a rule folder: your own, or a working copy of the built-in knowledge.",
        description = "Check and test a rule folder (causes/ID/ folders with document, rules, questions and samples; shared rules, devices, symptoms, questions, samples). The built-in knowledge (knowledge/ in the source tree) is a rule folder too: given it, check and test work on it alone.",
        subcommands = {RulesCommand.Check.class, RulesCommand.Test.class})
final class RulesCommand implements Runnable {
    /** Exit status of 'rules check' with errors and of 'rules test' with failing samples. */
    static final int EXIT_FAILED = 4;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            header = "Checks a rule folder: every problem of every file, with file, line and column.",
            description = "Every problem of every file in one pass, as file:line:column: message: DRL errors (classic compiler), unreadable data, and the catalogue rules (id new and unique, document with fix steps, a rule, a sample that fires it and a near miss per id, diagnosis rules on meanings not raw facts, every name a rule matches produced or defined, every question asked and read). Exit 0 clean, " + EXIT_FAILED + " with errors.")
    static final class Check implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "DIR")
        List<Path> dirs;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            int errors = 0;
            int warnings = 0;
            for (Path dir : dirs) {
                for (RuleFolder.Problem p : RuleKit.check(RulesCommand.class.getClassLoader(), dir)) {
                    out.println(p.in(dir));
                    if (p.warning()) {
                        warnings++;
                    } else {
                        errors++;
                    }
                }
            }
            out.println(errors == 0 ? "ok: " + dirs.size() + " folder(s) checked, " + warnings + " warning(s)"
                    : errors + " error(s), " + warnings + " warning(s)");
            out.flush();
            return errors == 0 ? 0 : EXIT_FAILED;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            header = "Runs a rule folder's samples and says which pass and which rules no sample fires.",
            description = "Runs every sample of the folder (causes/ID/samples/CASE and samples/CASE: evidence or case.yaml, and expected.yaml with expect, absent, none, questions, evidence) through the real collectors and rules with the folder loaded; prints pass/fail per sample and the folder's rules that fired on no sample. Exit 0 all pass, "
                        + EXIT_FAILED + " otherwise.")
    static final class Test implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "DIR")
        Path dir;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ClassLoader cl = RulesCommand.class.getClassLoader();
            RuleFolder f = RuleFolder.read(dir);
            org.exkb.engine.api.DiagnosisEngine engine;
            if (RuleKit.isBuiltIn(f, org.exkb.engine.knowledge.Knowledge.fromClasspath(cl))) {
                // a working copy of the built-in knowledge: tested with an engine made from it alone
                out.println("testing " + dir + " as the built-in knowledge (compiled from this folder now)");
                try {
                    engine = RuleKit.standalone(f);
                } catch (RuntimeException e) {
                    out.println("not tested: the rules do not compile (run 'kb rules check " + dir + "'): " + e.getMessage());
                    out.flush();
                    return EXIT_FAILED;
                }
            } else {
                RuleKit.Loaded l = RuleKit.load(cl, List.of(dir));
                if (!l.allAccepted()) {
                    RuleFolders.report(l, out);
                    out.println("not tested: the folder is refused (run 'kb rules check " + dir + "')");
                    out.flush();
                    return EXIT_FAILED;
                }
                engine = l.engine();
                f = l.accepted().get(0);
            }
            List<String> names = RuleKit.ruleNames(f);
            RuleKit.TestReport r = RuleKit.test(engine, f.samples(), names);
            int failed = 0;
            for (RuleKit.SampleResult s : r.samples()) {
                String name = dir.relativize(s.sample()).toString().replace('\\', '/');
                if (s.passed()) {
                    out.println("PASS " + name + "  " + s.got());
                } else {
                    failed++;
                    out.println("FAIL " + name);
                    s.failures().forEach(x -> out.println("     " + x));
                }
            }
            if (r.samples().isEmpty()) {
                out.println("no samples: add causes/ID/samples/CASE/ folders with expected.yaml");
            }
            out.println("coverage: " + (names.size() - r.neverFired().size()) + " of " + names.size() + " rule(s) fired on some sample"
                    + (r.neverFired().isEmpty() ? "" : "; never fired:"));
            r.neverFired().forEach(n -> out.println("     \"" + n + "\""));
            out.println(failed == 0 && !r.samples().isEmpty() ? "ok: " + r.samples().size() + " sample(s) passed"
                    : failed + " of " + r.samples().size() + " sample(s) failed");
            out.flush();
            return failed == 0 && !r.samples().isEmpty() ? 0 : EXIT_FAILED;
        }
    }
}
