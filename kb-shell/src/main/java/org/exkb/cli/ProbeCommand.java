package org.exkb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.exkb.engine.api.CaseSession;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.collect.client.ClientResolver;
import org.exkb.engine.collect.tls.TrustAnchors;
import org.exkb.engine.knowledge.DeviceDef;
import org.exkb.engine.probe.Probe;
import org.exkb.engine.probe.ProbeReport;
import org.exkb.engine.probe.ProbeTarget;
import org.exkb.engine.report.ReportFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "probe", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        header = "Tests servers live as each catalogued device would, and diagnoses what it finds.",
        description = "Tests servers live the way each device would: handshakes with and without SNI, the chain as presented (checked strictly and as a browser would), name, dates, protocol versions, client certificate requests, ActiveSync/Autodiscover/EWS answers without credentials, and a verdict per catalogued device. Several targets (the published name, the proxy, the Exchange server) are probed in parallel and shown side by side. The findings go through the same rules as captures and logs.",
        footer = {"", "Examples:",
            "  kb probe mail.contoso.com",
            "  kb probe mail.contoso.com 10.0.0.5:443 --sni mail.contoso.com --device \"Windows Phone 7\"",
            "  kb probe 127.0.0.1:8443 --sni mail.example.test --trust my-root.pem --format markdown",
            "",
            "Exit status: 0 every target probed; 2 usage error; 3 some target could not be probed."})
final class ProbeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "HOST[:PORT]", arity = "1..*", description = "Servers to probe; the port defaults to 443.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--sni", paramLabel = "NAME",
            description = "The name to send as SNI and check the certificate against (default: the host name given).")
    String sni;

    @Option(names = "--no-sni", description = "Send no SNI in the main handshakes, the way devices without SNI connect.")
    boolean noSni;

    @Option(names = "--device", paramLabel = "NAME", description = "Give verdicts for this device only (repeatable; default: every catalogued device).")
    List<String> devices = new ArrayList<>();

    @Option(names = "--client", paramLabel = "NAME", description = "The failing client, for the diagnosis (as in kb diagnose).")
    String client;

    @Option(names = "--trust", paramLabel = "PEMFILE", description = "Your organisation's CA certificates (PEM, DER or PKCS#7; repeatable): roots that presented chains may end at, besides the JDK's; a chain that reaches none of them, or lacks an intermediate given here, is proven incomplete.")
    List<Path> trust = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "Connect and read timeout of each connection. Default: ${DEFAULT-VALUE}.")
    double timeout;

    @Option(names = "--no-http", description = "Skip the HTTP checks (ActiveSync, Autodiscover, EWS).")
    boolean noHttp;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text, json or markdown. Default: ${DEFAULT-VALUE}.")
    ReportFormat format;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (sni != null && noSni) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--sni and --no-sni exclude each other");
        }
        if (!(timeout > 0 && timeout <= 120)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be between 0 and 120 seconds, got " + timeout);
        }
        List<ProbeTarget> parsed = new ArrayList<>();
        for (String t : targets) {
            try {
                parsed.add(ProbeTarget.parse(t));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "target " + e.getMessage());
            }
        }
        if (parsed.size() > Probe.MAX_TARGETS) {
            throw new CommandLine.ParameterException(spec.commandLine(), "at most " + Probe.MAX_TARGETS + " targets at once");
        }
        DiagnosisEngine engine = DiagnosisEngine.fromClasspath();
        List<DeviceDef> chosen = new ArrayList<>();
        for (String d : devices) {
            DeviceDef def = engine.knowledge().devices().find(d).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                    "--device: " + ClientResolver.unknownMessage(d, engine.knowledge().devices().suggest(d))
                            + " Known: " + String.join(", ", engine.knowledge().devices().all().stream().map(DeviceDef::name).toList()) + "."));
            chosen.add(def);
        }
        try (CaseSession s = engine.open()) {
            for (Path t : trust) {
                try {
                    TrustAnchors.read(t);
                } catch (IOException | CertificateException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--trust " + t + ": " + e.getMessage());
                }
                s.trust(t);
            }
            if (client != null) {
                s.setClient(client);
            }
            Probe.Options base = s.probeOptions(sni, noSni, (int) Math.round(timeout * 1000));
            Probe.Options o = new Probe.Options(base.sni(), base.noSni(), base.timeoutMillis(), base.trust(),
                    chosen.isEmpty() ? base.devices() : chosen, !noHttp);
            List<ProbeReport> reports = s.probe(parsed, o);
            Diagnosis d = s.diagnose();
            out.print(format.render(d));
            out.flush();
            return reports.stream().anyMatch(r -> !r.error().isEmpty()) ? Main.EXIT_EVIDENCE_PROBLEMS : 0;
        }
    }
}
