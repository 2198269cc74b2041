package org.exkb.shell;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The shell's commands, one small picocli class each; they call into {@link GuidedShell}. */
final class ShellCommands {
    private ShellCommands() {
    }

    static CommandLine commandLine(GuidedShell shell, PrintWriter out) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (Base.class.isAssignableFrom(cls)) {
                    K k = cls.getDeclaredConstructor().newInstance();
                    ((Base) k).shell = shell;
                    return k;
                }
                return CommandLine.defaultFactory().create(cls);
            }
        };
        CommandLine cl = new CommandLine(new Root(), factory);
        cl.setOut(out);
        cl.setErr(out);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println(shell.ui().error(ex.getMessage()));
            c.getErr().println("Usage: " + c.getHelp().synopsis(0).strip() + "   ('help " + c.getCommandName() + "' for more)");
            c.getErr().flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println(shell.ui().error(c.getCommandName() + ": " + ex));
            c.getErr().flush();
            return 1;
        });
        return cl;
    }

    /** The order 'help' lists the commands in, with one-line descriptions from their annotations. */
    static final List<String> ORDER = List.of("symptom", "forget", "client", "answer", "skip", "back", "change", "add", "probe", "trust",
            "status", "why", "fix", "report", "save", "open", "new", "reload", "help", "exit");

    @Command(name = "", subcommands = {Symptom.class, Forget.class, Client.class, Answer.class, Skip.class, Back.class, Change.class,
            Add.class, ProbeCmd.class, Trust.class, Status.class, Why.class, Fix.class, Report.class, Save.class,
            Open.class, NewCase.class, Reload.class, Help.class, Exit.class, Quit.class})
    static final class Root implements Runnable {
        @Override
        public void run() {
        }
    }

    abstract static class Base implements Runnable {
        GuidedShell shell;
    }

    @Command(name = "symptom", description = "Add what the user reports (error text, what they see).")
    static final class Symptom extends Base {
        @Parameters(arity = "1..*", paramLabel = "TEXT")
        List<String> text;

        @Override
        public void run() {
            shell.symptom(String.join(" ", text));
        }
    }

    @Command(name = "forget", description = "Withdraw a symptom given by mistake: forget N (its number in 'status'); what followed from it is retracted.")
    static final class Forget extends Base {
        @Parameters(arity = "1", paramLabel = "N")
        int number;

        @Override
        public void run() {
            shell.forget(number);
        }
    }

    @Command(name = "new", aliases = "reset", description = "Start the next case in this shell (the current one is closed: 'save FILE' first to keep it).")
    static final class NewCase extends Base {
        @Override
        public void run() {
            shell.newCase();
        }
    }

    @Command(name = "client", description = "Set the failing mail client or device (TAB completes from the catalogue).")
    static final class Client extends Base {
        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> name;

        @Override
        public void run() {
            shell.client(String.join(" ", name));
        }
    }

    @Command(name = "answer", description = {"Answer the question on screen (a choice number or value),",
            "or any question: answer QUESTION VALUE."})
    static final class Answer extends Base {
        @Parameters(arity = "1..*", paramLabel = "[QUESTION] VALUE")
        List<String> words;

        @Override
        public void run() {
            if (words.size() >= 2 && shell.engine().knowledge().question(words.get(0).toLowerCase(Locale.ROOT)).isPresent()) {
                shell.answer(words.get(0).toLowerCase(Locale.ROOT), String.join(" ", words.subList(1, words.size())));
            } else if (shell.question() != null) {
                shell.answer(shell.question().id(), String.join(" ", words));
            } else if (words.size() >= 2) {
                shell.failed("No question '" + words.get(0) + "' in the catalogue.");
            } else {
                shell.failed("No question is on screen; use: answer QUESTION VALUE");
            }
        }
    }

    @Command(name = "skip", description = "Leave the current question for later and go to the next.")
    static final class Skip extends Base {
        @Override
        public void run() {
            shell.skip();
        }
    }

    @Command(name = "back", description = "Withdraw the last answer (what followed from it is retracted) and ask it again.")
    static final class Back extends Base {
        @Override
        public void run() {
            shell.back();
        }
    }

    @Command(name = "change", description = {"Ask an earlier question again, or give it a new answer at once:",
            "change QUESTION [VALUE]. What followed from the old answer is retracted."})
    static final class Change extends Base {
        @Parameters(index = "0", paramLabel = "QUESTION")
        String question;
        @Parameters(index = "1..*", arity = "0..*", paramLabel = "VALUE")
        List<String> value;

        @Override
        public void run() {
            shell.change(question.toLowerCase(Locale.ROOT), value == null || value.isEmpty() ? null : String.join(" ", value));
        }
    }

    @Command(name = "add", description = "Add evidence: captures (.pcap, .pcapng, .gz), IIS/HTTPERR logs, event exports, certificates, folders, zips.")
    static final class Add extends Base {
        @Parameters(arity = "1..*", paramLabel = "PATH")
        List<String> paths;

        @Override
        public void run() {
            shell.add(paths);
        }
    }

    @Command(name = "probe", description = "Probe servers now (TLS versions, SNI, chain, client-certificate requests): HOST[:PORT]...")
    static final class ProbeCmd extends Base {
        @Parameters(arity = "1..*", paramLabel = "HOST[:PORT]")
        List<String> targets;
        @Option(names = "--sni", paramLabel = "NAME", description = "Server name to send (default: the host name).")
        String sni;
        @Option(names = "--no-sni", description = "Send no server name at all.")
        boolean noSni;

        @Override
        public void run() {
            shell.probe(targets, sni, noSni);
        }
    }

    @Command(name = "trust", description = "Trust private root certificates (PEM or DER) for evidence added from now on.")
    static final class Trust extends Base {
        @Parameters(paramLabel = "FILE")
        String file;

        @Override
        public void run() {
            shell.trust(file);
        }
    }

    @Command(name = "status", description = "The hypotheses ranked, the pending questions, the answers so far.")
    static final class Status extends Base {
        @Override
        public void run() {
            shell.status();
        }
    }

    @Command(name = "why", description = "The evidence behind a finding, with files and frame or line numbers: why ID (or its rank).")
    static final class Why extends Base {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public void run() {
            shell.why(id);
        }
    }

    @Command(name = "fix", description = "The fix for a root cause: numbered steps, who acts, how to verify: fix ID.")
    static final class Fix extends Base {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public void run() {
            shell.fix(id);
        }
    }


    @Command(name = "report", description = "The case as ticket text, on screen or into FILE: report [--format text|markdown|json] [FILE].")
    static final class Report extends Base {
        @Option(names = {"--format", "-f"}, defaultValue = "text", paramLabel = "FORMAT", description = "text, markdown or json")
        org.exkb.engine.report.ReportFormat format;
        @Parameters(arity = "0..1", paramLabel = "FILE")
        String file;

        @Override
        public void run() {
            shell.report(format, file);
        }
    }

    @Command(name = "save", description = "Save the case (symptoms, client, answers, evidence paths, probes) to continue later or hand over.")
    static final class Save extends Base {
        @Parameters(paramLabel = "FILE")
        String file;

        @Override
        public void run() {
            shell.save(file);
        }
    }

    @Command(name = "open", description = "Open a saved case: replays its symptoms, client, answers, evidence and probes.")
    static final class Open extends Base {
        @Parameters(paramLabel = "FILE")
        String file;

        @Override
        public void run() {
            shell.open(file);
        }
    }

    @Command(name = "reload", description = "Reload the rules (built-in and --rules folders) and re-run the case on them.")
    static final class Reload extends Base {
        @Override
        public void run() {
            shell.reload();
        }
    }

    @Command(name = "help", description = "List the commands, or describe one: help [COMMAND].")
    static final class Help extends Base {
        @Parameters(arity = "0..1", paramLabel = "COMMAND")
        String command;

        @Override
        public void run() {
            Map<String, CommandLine> subs = shell.commands().getSubcommands();
            if (command != null) {
                CommandLine c = subs.get(command.toLowerCase(Locale.ROOT));
                if (c == null) {
                    shell.failed("No command '" + command + "'. Commands: " + String.join(", ", ORDER));
                } else {
                    shell.ui().println(c.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing());
                }
                return;
            }
            shell.ui().println(shell.ui().bold("Commands") + " (a bare reply answers the question on screen):");
            for (String name : ORDER) {
                String[] d = subs.get(name).getCommandSpec().usageMessage().description();
                shell.ui().println(String.format("  %-8s %s", name, String.join(" ", d)));
            }
            shell.ui().println(shell.ui().faint("TAB completes commands, ids and paths; Up/Down walk the history; Ctrl-C cancels "
                    + "a line or a running step; Ctrl-D or 'exit' leaves."));
        }
    }

    @Command(name = "exit", description = "Leave the shell ('save FILE' first to keep the case).")
    static final class Exit extends Base {
        @Override
        public void run() {
            shell.exit();
        }
    }

    @Command(name = "quit", hidden = true)
    static final class Quit extends Base {
        @Override
        public void run() {
            shell.exit();
        }
    }
}
