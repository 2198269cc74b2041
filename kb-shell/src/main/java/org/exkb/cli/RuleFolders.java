package org.exkb.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.kit.RuleFolder;
import org.exkb.engine.kit.RuleKit;

/** {@code --rules DIR}: the built-in knowledge plus rule folders; refused folders are reported, never fatal. */
final class RuleFolders {
    private RuleFolders() {
    }

    record Result(DiagnosisEngine engine, boolean allAccepted) {
    }

    /** An engine started before the command line was parsed (see {@link #prestart}), taken once. */
    private static final java.util.concurrent.atomic.AtomicReference<DiagnosisEngine> PRESTARTED =
            new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * Starts loading the built-in knowledge and rules (on their background threads) before the
     * command line is parsed, which takes about 0.1 s of a cold start; the next {@link #load} without
     * rule folders takes it. Only a hint: if nothing takes it, it is dropped with the process.
     */
    static void prestart() {
        PRESTARTED.set(DiagnosisEngine.fromClasspath());
    }

    static Result load(List<Path> dirs, PrintWriter err) {
        if (dirs.isEmpty()) {
            DiagnosisEngine early = PRESTARTED.getAndSet(null);
            return new Result(early != null ? early : DiagnosisEngine.fromClasspath(), true);   // the fast path: nothing compiled
        }
        RuleKit.Loaded l = RuleKit.load(RuleFolders.class.getClassLoader(), dirs);
        report(l, err);
        return new Result(l.engine(), l.allAccepted());
    }

    /**
     * Each call loads the folders afresh (the shell's reload). At start a refused folder is reported
     * and left out; on a reload it makes the reload fail with the messages, so the shell keeps the
     * rules it has.
     */
    static Supplier<DiagnosisEngine> supplier(List<Path> dirs, PrintWriter err) {
        java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (!started.getAndSet(true)) {
                return load(dirs, err).engine();
            }
            return dirs.isEmpty() ? DiagnosisEngine.fromClasspath() : RuleKit.engine(RuleFolders.class.getClassLoader(), dirs);
        };
    }

    static void report(RuleKit.Loaded l, PrintWriter err) {
        l.refused().forEach((dir, problems) -> {
            err.println("kb: rule folder " + dir + " refused; the built-in knowledge and the other folders are used:");
            for (RuleFolder.Problem p : problems) {
                err.println("  " + p.in(dir));
            }
        });
        err.flush();
    }
}
