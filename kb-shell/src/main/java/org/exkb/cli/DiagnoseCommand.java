package org.exkb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.exkb.engine.api.Case;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.api.DiagnosisJson;
import org.exkb.engine.collect.client.ClientResolver;
import org.exkb.engine.knowledge.Knowledge;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.report.ReportFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

@Command(name = "diagnose", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        header = "Diagnoses one case from symptoms, the failing client, answers and evidence files.",
        description = "Diagnoses one case from what the user reports, the failing client, answers to the engine's questions, and evidence files or folders.",
        footer = {"", "Examples:",
            "  kb diagnose --symptom \"bad username or password\" --client \"Outlook for Mac 2011\"",
            "  kb diagnose --symptom hr=0x80072f0d --client \"Windows Phone 7\" --answer chain_sent=leaf_only",
            "  kb diagnose knowledge/causes/NON_SNI_CLIENT_REJECTED/samples/non-sni-outlook-mac --format markdown",
            "  kb diagnose proxy-trace.pcapng --trust contoso-root.pem --symptom \"bad username or password\"",
            "",
            "Exit status: 0 diagnosis produced; 2 usage error; 3 diagnosis produced but some",
            "evidence could not be read."})
final class DiagnoseCommand implements Callable<Integer> {
    /** Evidence problems that mean something the user gave could not be read. */
    private static final Set<EvidenceProblem.Reason> UNREAD = Set.of(EvidenceProblem.UNREADABLE, EvidenceProblem.MALFORMED,
            EvidenceProblem.UNSUPPORTED, EvidenceProblem.EMPTY, EvidenceProblem.CONNECTIVITY);


    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--symptom", paramLabel = "TEXT",
            description = "What the user sees or reports (repeatable): an error message, an hr= code, \"OWA works\"...")
    List<String> symptoms = new ArrayList<>();

    @Option(names = "--client", paramLabel = "NAME", description = "The failing client or device, e.g. \"Outlook for Mac 2011\", \"Windows Phone 7\".")
    String client;

    @Option(names = "--answer", paramLabel = "ID=VALUE", description = "An answer to one of the engine's questions (repeatable).")
    List<String> answers = new ArrayList<>();

    @Option(names = "--trust", paramLabel = "FILE",
            description = "Your organisation's CA certificates (PEM, DER or PKCS#7; repeatable): roots that presented chains may end at, besides the JDK's; a chain that reaches none of them, or lacks an intermediate given here, is proven incomplete.")
    List<Path> trust = new ArrayList<>();

    @Option(names = "--probe", paramLabel = "HOST[:PORT]",
            description = "Also probe this server live (repeatable); see kb probe for the full per-target report.")
    List<String> probes = new ArrayList<>();

    @Option(names = "--case", paramLabel = "FILE", description = "A case as JSON (symptoms, client, answers, evidence), or - for standard input.")
    String caseJson;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (for people), json (the contract for ticketing systems) or markdown (for a ticket). Default: ${DEFAULT-VALUE}.")
    ReportFormat format;

    @Option(names = "--rules", paramLabel = "DIR",
            description = "A rule folder to use next to the built-in knowledge (repeatable); a broken folder is refused with its messages.")
    List<Path> rules = new ArrayList<>();

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "Evidence files or folders of them, alone, .gz or in a .zip:"
            + " captures (pcap, pcapng, Network Monitor .cap), IIS W3C and httperr logs, Windows event logs (.evtx) and their"
            + " exports (XML, CSV, text), certificates, case files.")
    List<Path> paths = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RuleFolders.Result loaded = RuleFolders.load(rules, spec.commandLine().getErr());
        DiagnosisEngine engine = loaded.engine();
        Case.Builder b = Case.builder();
        if (caseJson != null) {
            String json = caseJson.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(caseJson), StandardCharsets.UTF_8);
            Case c;
            try {
                c = DiagnosisJson.readCase(json);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), (caseJson.equals("-") ? "stdin" : caseJson) + ": " + e.getMessage());
            }
            c.symptoms().forEach(b::symptom);
            b.client(c.client());
            c.answers().forEach(b::answer);
            c.evidence().forEach(b::evidence);
            c.trust().forEach(b::trust);
            c.probe().forEach(b::probe);
        }
        for (Path t : trust) {
            try {
                org.exkb.engine.collect.tls.TrustAnchors.read(t);
            } catch (IOException | java.security.cert.CertificateException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--trust " + t + ": " + e.getMessage());
            }
            b.trust(t);
        }
        for (String s : symptoms) {
            if (s.length() > DiagnosisJson.MAX_SYMPTOM_CHARS) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--symptom is " + s.length() + " characters; a symptom is at most "
                        + DiagnosisJson.MAX_SYMPTOM_CHARS + " (give logs and exports as evidence files)");
            }
            b.symptom(s);
        }
        if (client != null) {
            checkClient(engine.knowledge(), client);
            b.client(client);
        }
        for (String a : answers) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--answer takes ID=VALUE, e.g. --answer chain_sent=leaf_only; got '" + a + "'");
            }
            String id = a.substring(0, eq).strip();
            String value = a.substring(eq + 1);
            Optional<String> error = engine.answers().check(id, value);
            if (error.isPresent()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--answer " + a + ": " + error.get());
            }
            b.answer(id, value);
        }
        paths.forEach(b::evidence);
        for (String p : probes) {
            try {
                org.exkb.engine.probe.ProbeTarget.parse(p);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--probe " + e.getMessage());
            }
            b.probe(p);
        }
        Case c = b.build();
        if (c.symptoms().isEmpty() && c.client() == null && c.answers().isEmpty() && c.evidence().isEmpty() && c.probe().isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "nothing to diagnose: give --symptom, --client, --answer, --case, --probe or an evidence PATH");
        }
        Diagnosis d = engine.diagnose(c);
        out.print(format.render(d));
        out.flush();
        // one rule wherever the case came from: what the flags refuse (an answer that is not one of its
        // question's values, a client that is a typo of a catalogued one) is exit 2 from a case file too
        List<EvidenceProblem> toCorrect = d.evidenceProblems().stream().filter(p -> p.reason() == EvidenceProblem.INVALID_ANSWER
                || p.reason() == EvidenceProblem.UNKNOWN_CLIENT && p.detail().contains("did you mean")).toList();
        if (!toCorrect.isEmpty()) {
            toCorrect.forEach(p -> err.println("kb: " + p.source() + (p.locator().isEmpty() ? "" : " " + p.locator()) + ": " + p.detail()));
            err.println("kb: the case names what is not known (above); correct it and run again");
            err.flush();
            return Main.EXIT_USAGE;
        }
        boolean unread = d.evidenceProblems().stream().anyMatch(p -> UNREAD.contains(p.reason()));
        return unread || !loaded.allAccepted() ? Main.EXIT_EVIDENCE_PROBLEMS : 0;
    }

    /** A name that is close to a catalogued one is most likely a typo: say so rather than guess. */
    private void checkClient(Knowledge k, String name) {
        if (k.devices().find(name).isEmpty()) {
            List<String> close = k.devices().suggest(name);
            if (!close.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--client: " + ClientResolver.unknownMessage(name, close)
                        + " Known clients: " + String.join(", ", k.devices().all().stream().map(dd -> dd.name()).toList()) + ".");
            }
        }
    }
}
