package org.exkb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.exkb.serve.KbService;
import org.exkb.serve.ServeConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        header = "Serves the engine over HTTP for ticketing systems (JSON, uploads, guided cases).",
        description = "One-shot diagnoses with evidence uploaded in the request, and guided cases kept on disk (the shell's"
                + " *.case.yaml with their files) until the retention time passes. The API is described at /v1/openapi.yaml."
                + " API tokens come from --tokens FILE or the environment variable KB_SERVE_TOKENS (lines or commas of"
                + " 'ROLE TOKEN', roles diagnose, probe, admin); without tokens the service only listens on loopback."
                + " It stops gracefully on SIGTERM.",
        footer = {"", "Examples:",
            "  kb serve --cases /var/lib/kb-cases --tokens /etc/kb/tokens",
            "  kb serve --port 8427 --allow-probe '*.contoso.com' --allow-probe 10.20.0.0/16",
            "  curl -s -H 'Authorization: Bearer TOKEN' -F 'case={\"symptoms\":[\"hr=0x80072f0d\"]};type=application/json'"
                    + " -F evidence=@trace.pcapng http://127.0.0.1:8427/v1/diagnose"})
final class ServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8427", description = "Port to listen on (0: any free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1", description = "Address to listen on. Default: ${DEFAULT-VALUE}.")
    String bind;

    @Option(names = "--cases", paramLabel = "DIR", defaultValue = "kb-cases", description = "Folder for guided cases and their files. Default: ${DEFAULT-VALUE}.")
    Path cases;

    @Option(names = "--retention", paramLabel = "DAYS", defaultValue = "30", description = "Days a case untouched is kept. Default: ${DEFAULT-VALUE}.")
    double retentionDays;

    @Option(names = "--tokens", paramLabel = "FILE", description = "API tokens, a line 'ROLE TOKEN' each (diagnose, probe, admin).")
    Path tokens;

    @Option(names = "--allow-probe", paramLabel = "HOST|*.DOMAIN|NETWORK[:PORT]",
            description = "A server or network the service may probe live (repeatable); none by default.")
    List<String> allowProbe = new ArrayList<>();

    @Option(names = "--max-upload-mb", paramLabel = "MB", defaultValue = "100", description = "A request's body at most. Default: ${DEFAULT-VALUE}.")
    long maxUploadMb;

    @Option(names = "--max-files", paramLabel = "N", defaultValue = "20", description = "Files in one request at most. Default: ${DEFAULT-VALUE}.")
    int maxFiles;

    @Option(names = "--max-expanded-mb", paramLabel = "MB", defaultValue = "1024", description = "What one uploaded archive may expand to. Default: ${DEFAULT-VALUE}.")
    long maxExpandedMb;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", defaultValue = "120", description = "Reading and diagnosing one request at most. Default: ${DEFAULT-VALUE}.")
    double requestTimeout;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "30", description = "A connection silent this long is closed. Default: ${DEFAULT-VALUE}.")
    double idleTimeout;

    @Option(names = "--workers", paramLabel = "N", description = "Requests diagnosed at once (default: the number of cores, at least 2).")
    Integer workers;

    @Option(names = "--access-log", paramLabel = "FILE", description = "Append the access log here (default: standard error).")
    Path accessLog;

    @Option(names = "--rules", paramLabel = "DIR", description = "Rule folders to use beside the built-in knowledge (repeatable); POST /v1/admin/reload reads them again.")
    List<Path> rules = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        ServeConfig.Builder b = ServeConfig.builder(cases).bind(bind).port(port)
                .retention(seconds(retentionDays * 86400)).allowProbe(allowProbe)
                .maxUploadBytes(maxUploadMb << 20).maxFiles(maxFiles).maxExpandedBytes(maxExpandedMb << 20)
                .requestTimeout(seconds(requestTimeout)).idleTimeout(seconds(idleTimeout)).accessLog(accessLog)
                .engines(RuleFolders.supplier(rules, err));
        if (workers != null) {
            b.workers(workers);
        }
        try {
            if (tokens != null) {
                b.tokens(Files.readString(tokens, StandardCharsets.UTF_8), tokens.toString());
            } else if (System.getenv("KB_SERVE_TOKENS") != null) {
                b.tokens(System.getenv("KB_SERVE_TOKENS"), "KB_SERVE_TOKENS");
            }
            ServeConfig config = b.build();
            KbService s = KbService.start(config);
            err.println("kb serve: listening on " + s.url() + " (API: " + s.url() + "/v1/openapi.yaml; cases in "
                    + cases.toAbsolutePath() + ", kept " + retentionDays + " days"
                    + (config.tokens().isEmpty() ? "; no tokens: loopback only, every role" : "; " + config.tokens().size() + " token(s)")
                    + (allowProbe.isEmpty() ? "; probes: none allowed" : "; probes allowed: " + String.join(", ", allowProbe)) + ")");
            err.flush();
            s.join();
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            err.println("kb serve: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis(Math.round(s * 1000));
    }
}
