package org.exkb.bench;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.Arrays;
import java.util.Locale;
import org.exkb.engine.api.CaseSession;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.shell.GuidedShell;
import org.exkb.shell.Shells;

/**
 * How long the shell takes from an answer to the re-evaluated screen (change an answer, fire, diff,
 * pick the next question, render), against the engine alone doing the same re-answer and diagnose in
 * the same run. Usage: ShellLatency [iterations]
 */
public final class ShellLatency {
    private ShellLatency() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        DiagnosisEngine engine = DiagnosisEngine.fromClasspath();
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        long[] shell = new long[n];
        long[] bare = new long[n];
        try (GuidedShell s = new GuidedShell(() -> engine, Shells.plainUi(sink));
             CaseSession c = engine.open()) {
            for (String line : new String[] {"hr=0x80072f0d", "Windows Phone 7", "answer network_side inside_only"}) {
                s.handle(line);
            }
            c.addSymptom("hr=0x80072f0d");
            c.setClient("Windows Phone 7");
            c.answer("network_side", "inside_only");
            for (int warm = 0; warm < 2; warm++) {
                for (int i = 0; i < n; i++) {
                    String v = i % 2 == 0 ? "leaf_only" : "complete";
                    long t0 = System.nanoTime();
                    s.handle("change chain_sent " + v);
                    long t1 = System.nanoTime();
                    c.answer("chain_sent", v);
                    c.diagnose();
                    long t2 = System.nanoTime();
                    shell[i] = t1 - t0;
                    bare[i] = t2 - t1;
                }
            }
        }
        Arrays.sort(shell);
        Arrays.sort(bare);
        System.out.printf(Locale.ROOT, "shell: answer -> re-evaluated screen median %.2f ms, p99 %.2f ms; engine alone (answer + diagnose) "
                        + "median %.2f ms, p99 %.2f ms; ratio %.1fx (%d answers)%n",
                ms(shell[n / 2]), ms(shell[n * 99 / 100]), ms(bare[n / 2]), ms(bare[n * 99 / 100]),
                (double) shell[n / 2] / bare[n / 2], n);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
