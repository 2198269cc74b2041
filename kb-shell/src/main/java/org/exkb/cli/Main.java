package org.exkb.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kb} command line. */
@Command(name = "kb", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Diagnoses why mail clients and devices fail to reach Microsoft Exchange through TLS terminators"
                + " (Web Application Proxy, ISA/TMG, load balancers, IIS).",
        subcommands = {CommandLine.HelpCommand.class},
        footer = {"", "Without a command, kb opens the guided shell (kb shell).",
                "", "Exit status: 0 diagnosis produced; 2 usage error, or a client or answer in the case that is not known;"
                        + " 3 diagnosis produced but some evidence could not be read (listed under evidence problems);"
                        + " 1 internal error."})
public final class Main implements Runnable {
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_EVIDENCE_PROBLEMS = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length == 0) {
            args = new String[] {"shell"};
        }
        if (args[0].equals("diagnose") && java.util.Arrays.stream(args).noneMatch(a -> a.equals("--rules") || a.startsWith("--rules="))) {
            RuleFolders.prestart(); // the rules and knowledge load while picocli builds its model
        }
        CommandLine cl = new CommandLine(new Main());
        // Building a subcommand's model is reflection over its annotations (measurable at start), so
        // only the one being run is registered; help and usage errors get them all.
        Map<String, Class<?>> all = new LinkedHashMap<>();
        all.put("shell", ShellCommand.class);
        all.put("diagnose", DiagnoseCommand.class);
        all.put("probe", ProbeCommand.class);
        all.put("rules", RulesCommand.class);
        all.put("catalog", CatalogCommand.class);
        all.put("serve", ServeCommand.class);
        Class<?> only = all.get(args[0]);
        if (only != null) {
            cl.addSubcommand(args[0], only);
        } else {
            all.forEach(cl::addSubcommand);
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            err.println("kb: internal error: " + e);
            if (System.getenv("KB_DEBUG") != null) {
                e.printStackTrace(err);
            } else {
                err.println("(set KB_DEBUG=1 for the stack trace)");
            }
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("kb: " + ex.getMessage());
            c.getErr().println("See '" + c.getCommandSpec().qualifiedName() + " --help'.");
            return c.getCommandSpec().exitCodeOnInvalidInput();
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"kb " + org.exkb.engine.api.Versions.ENGINE + " (diagnosis JSON " + org.exkb.engine.api.DiagnosisJson.SCHEMA_ID
                    + "; built-in knowledge of the same release; Java " + System.getProperty("java.version") + ")"};
        }
    }
}
