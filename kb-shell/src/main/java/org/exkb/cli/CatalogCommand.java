package org.exkb.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.report.CatalogReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kb catalog}: the whole knowledge base (built-in plus rule folders) as a readable catalogue. */
@Command(name = "catalog", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        header = "The knowledge base as a catalogue: root causes, symptoms, devices, questions.",
        description = "The knowledge base as a catalogue: root causes (what recognises them, fixes, sources), symptoms, devices and their capabilities, questions. Built-in plus any --rules folders.")
final class CatalogCommand implements Callable<Integer> {
    enum Format { markdown, json }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--format", defaultValue = "markdown", paramLabel = "FORMAT", description = "markdown or json. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = "--rules", paramLabel = "DIR", description = "A rule folder to include (repeatable).")
    List<Path> rules = new ArrayList<>();

    @Override
    public Integer call() {
        RuleFolders.Result loaded = RuleFolders.load(rules, spec.commandLine().getErr());
        DiagnosisEngine e = loaded.engine();
        spec.commandLine().getOut().print(format == Format.json ? CatalogReport.json(e.knowledge(), e.rules())
                : CatalogReport.markdown(e.knowledge(), e.rules()));
        spec.commandLine().getOut().flush();
        return loaded.allAccepted() ? 0 : Main.EXIT_EVIDENCE_PROBLEMS;
    }
}
