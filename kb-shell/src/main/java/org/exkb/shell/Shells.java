package org.exkb.shell;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.exkb.engine.api.DiagnosisEngine;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Terminal;

/** Starts the interactive shell on a terminal: line editing, history kept in a file, completion. */
public final class Shells {
    private Shells() {
    }

    /** Plain-text output for scripts and piped input. */
    public static Ui plainUi(java.io.PrintWriter out) {
        return Ui.plain(out);
    }

    public static int interactive(Terminal terminal, Supplier<DiagnosisEngine> engines, Path history, boolean colour) {
        try (GuidedShell shell = new GuidedShell(engines, new Ui(terminal.writer(), terminal, colour))) {
            LineReader reader = LineReaderBuilder.builder()
                    .appName("kb")
                    .terminal(terminal)
                    .completer(new ShellCompleter(shell))
                    .variable(LineReader.HISTORY_FILE, history)
                    .variable(LineReader.HISTORY_SIZE, 2000)
                    .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .build();
            int rc = shell.runInteractive(reader);
            try {
                reader.getHistory().save();
            } catch (IOException e) {
                terminal.writer().println("kb: cannot save the history to " + history + ": " + e.getMessage());
            }
            return rc;
        }
    }
}
