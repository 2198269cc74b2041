package org.exkb.serve;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.exkb.engine.api.DiagnosisEngine;

/**
 * How a service runs: where it listens, where guided cases live and for how long, who may call it
 * (tokens per role), which servers it may probe, and the limits on what a request may bring.
 *
 * @param engines       builds the engine: at start and again on each reload (throws when a rule folder is broken)
 * @param maxUploadBytes the whole request body at most (uploads and case together)
 * @param maxFiles      files in one request at most
 * @param maxExpandedBytes what one uploaded archive (zip, gzip) may expand to at most
 * @param requestTimeout reading a request and diagnosing it, at most
 * @param idleTimeout   a connection that sends nothing for this long is closed (slow clients)
 * @param workers       requests diagnosed at once; more wait in a bounded queue, then 503
 */
public record ServeConfig(String bind, int port, Path casesDir, Duration retention, Tokens tokens, TargetPolicy probeAllow,
                          long maxUploadBytes, int maxFiles, long maxExpandedBytes, Duration requestTimeout, Duration idleTimeout,
                          int workers, Path accessLog, Supplier<DiagnosisEngine> engines) {

    public static Builder builder(Path casesDir) {
        return new Builder(casesDir);
    }

    public static final class Builder {
        private String bind = "127.0.0.1";
        private int port = 8427;
        private final Path casesDir;
        private Duration retention = Duration.ofDays(30);
        private Tokens tokens = Tokens.NONE;
        private List<String> allow = List.of();
        private long maxUploadBytes = 100L << 20;
        private int maxFiles = 20;
        private long maxExpandedBytes = 1L << 30;
        private Duration requestTimeout = Duration.ofSeconds(120);
        private Duration idleTimeout = Duration.ofSeconds(30);
        private int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
        private Path accessLog;
        private Supplier<DiagnosisEngine> engines = DiagnosisEngine::fromClasspath;

        private Builder(Path casesDir) {
            this.casesDir = casesDir;
        }

        public Builder bind(String v) { bind = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder retention(Duration v) { retention = v; return this; }
        /** Token lines as {@link Tokens#parse} reads them. */
        public Builder tokens(String text, String where) { tokens = Tokens.parse(text, where); return this; }
        public Builder allowProbe(List<String> v) { allow = List.copyOf(v); return this; }
        public Builder maxUploadBytes(long v) { maxUploadBytes = v; return this; }
        public Builder maxFiles(int v) { maxFiles = v; return this; }
        public Builder maxExpandedBytes(long v) { maxExpandedBytes = v; return this; }
        public Builder requestTimeout(Duration v) { requestTimeout = v; return this; }
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        public Builder workers(int v) { workers = v; return this; }
        public Builder accessLog(Path v) { accessLog = v; return this; }
        public Builder engines(Supplier<DiagnosisEngine> v) { engines = v; return this; }

        public ServeConfig build() {
            return new ServeConfig(bind, port, casesDir, retention, tokens, new TargetPolicy(allow), maxUploadBytes, maxFiles,
                    maxExpandedBytes, requestTimeout, idleTimeout, workers, accessLog, engines);
        }
    }
}
