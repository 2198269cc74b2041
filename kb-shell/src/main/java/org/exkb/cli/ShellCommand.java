package org.exkb.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.shell.GuidedShell;
import org.exkb.shell.Shells;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kb shell}: the guided diagnosis for tier-1 support (also what {@code kb} alone opens). */
@Command(name = "shell", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        header = "Guided diagnosis for tier-1 support: one question at a time, then a verdict and a ticket.",
        description = "Guided diagnosis: asks one question at a time (or for the evidence that decides), shows the hypotheses as they move, and ends with a verdict, fix steps and a ticket report. With --script FILE, or with input piped in, runs the same commands without prompts.")
final class ShellCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--script", paramLabel = "FILE", description = "Run the commands in FILE (one per line, # comments) without prompts.")
    Path script;

    @Option(names = "--no-color", description = "Plain text even on a colour terminal (NO_COLOR in the environment does the same).")
    boolean noColor;

    @Option(names = "--history", paramLabel = "FILE", description = "Where the command history is kept (default: ~/.kb_history, or $KB_HISTORY).")
    Path history;

    @Option(names = "--rules", paramLabel = "DIR",
            description = "A rule folder to use next to the built-in knowledge (repeatable); 'reload' picks up edits.")
    java.util.List<Path> rules = new java.util.ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Supplier<DiagnosisEngine> engines = RuleFolders.supplier(rules, out);
        if (script != null) {
            if (!Files.isReadable(script)) {
                spec.commandLine().getErr().println("kb shell: " + script + ": no such script (or not readable)");
                return 2;
            }
            try (GuidedShell shell = new GuidedShell(engines, org.exkb.shell.Shells.plainUi(out));
                 BufferedReader in = Files.newBufferedReader(script, StandardCharsets.UTF_8)) {
                return shell.runScript(in);
            }
        }
        if (System.console() == null) {
            // piped input: the same commands, no prompts, no colour
            try (GuidedShell shell = new GuidedShell(engines, org.exkb.shell.Shells.plainUi(out));
                 BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                return shell.runScript(in);
            }
        }
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            Supplier<DiagnosisEngine> onTerminal = RuleFolders.supplier(rules, terminal.writer());
            return Shells.interactive(terminal, onTerminal, historyFile(), !noColor);
        }
    }

    private Path historyFile() {
        if (history != null) {
            return history;
        }
        String env = System.getenv("KB_HISTORY");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".kb_history");
    }
}
