package org.exkb.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLogWriter;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.exkb.engine.api.Case;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.api.DiagnosisJson;
import org.exkb.engine.collect.casefile.CaseCodec;
import org.exkb.engine.probe.ProbeTarget;
import org.exkb.engine.report.ReportFormat;

/**
 * {@code kb serve}: the engine over HTTP for ticketing systems (the API is described in
 * {@code openapi.yaml}, served at {@code /v1/openapi.yaml}). Jetty's core server reads requests
 * asynchronously (a slow upload holds no thread); the diagnosis work runs on a bounded pool of
 * workers with a deadline per request. Evidence comes only as uploads, kept in the case's folder.
 */
public final class KbService implements AutoCloseable {
    static final String PROBLEM_JSON = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A JSON body (a case, an answer) at most, whatever the upload limit. */
    static final int MAX_JSON_BYTES = CaseCodec.MAX_CASE_CHARS * 4;

    private final ServeConfig config;
    private final Server server;
    private final ServerConnector connector;
    private final ThreadPoolExecutor workers;
    private final java.util.concurrent.ScheduledThreadPoolExecutor timer;
    private final CaseStore cases;
    private final Path uploads;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicInteger uploadCount = new AtomicInteger();
    private volatile DiagnosisEngine engine;

    private KbService(ServeConfig config) throws IOException {
        this.config = config;
        if (config.tokens().isEmpty() && !isLoopback(config.bind())) {
            throw new IllegalArgumentException("kb serve: refusing to listen on " + config.bind()
                    + " without API tokens; give --tokens FILE (or KB_SERVE_TOKENS), or bind 127.0.0.1");
        }
        this.engine = config.engines().get().warmUp();
        this.cases = new CaseStore(config.casesDir(), config.retention(), () -> engine);
        this.uploads = cases.root().resolve(".uploads");
        CaseStore.removeTree(uploads);          // what a crash left behind
        Files.createDirectories(uploads);
        this.workers = new ThreadPoolExecutor(config.workers(), config.workers(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(256, config.workers() * 64)), r -> {
                    Thread t = new Thread(r, "kb-serve-worker");
                    t.setDaemon(true);
                    return t;
                });
        java.util.concurrent.ScheduledThreadPoolExecutor t1 = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kb-serve-timer");
            t.setDaemon(true);
            return t;
        });
        t1.setRemoveOnCancelPolicy(true);      // a request's deadline goes with its answer, not 120 s later
        this.timer = t1;

        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("kb-serve-http");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(16 * 1024);
        http.setMinRequestDataRate(1024);      // a body trickled slower than 1 KiB/s is cut off
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(config.bind());
        connector.setPort(config.port());
        connector.setIdleTimeout(config.idleTimeout().toMillis());
        server.addConnector(connector);
        server.setHandler(new GracefulHandler(new Api()));
        server.setErrorHandler(new ProblemErrors());
        server.setStopTimeout(10_000);          // on stop (SIGTERM too): requests in flight get 10 s to finish
        server.addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
            @Override
            public void lifeCycleStopping(org.eclipse.jetty.util.component.LifeCycle event) {
                stopping.set(true);             // readiness answers 503 from here on
            }
        });
        server.setStopAtShutdown(true);
        RequestLogWriter log = config.accessLog() == null ? new RequestLogWriter() : new RequestLogWriter(config.accessLog().toString());
        if (config.accessLog() != null) {
            log.setAppend(true);
        }
        server.setRequestLog(new CustomRequestLog(log, CustomRequestLog.EXTENDED_NCSA_FORMAT + " %{ms}T ms"));
    }

    /** Starts a service; {@link #port()} tells the port when 0 was asked for. */
    public static KbService start(ServeConfig config) throws Exception {
        KbService s = new KbService(config);
        s.cases.sweep(Instant.now());
        long every = Math.max(60_000L, Math.min(3_600_000L, config.retention().toMillis() / 10));
        s.timer.scheduleWithFixedDelay(s::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
        s.server.start();
        return s;
    }

    /** Deadlines of requests not yet answered (each goes with its answer). */
    int pendingDeadlines() {
        return timer.getQueue().size();
    }

    public int port() {
        return connector.getLocalPort();
    }

    public String url() {
        String h = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
        return "http://" + h + ":" + port();
    }

    /** Blocks until the server stops (a SIGTERM stops it gracefully through the JVM's shutdown hook). */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() throws Exception {
        stopping.set(true);
        server.stop();
        workers.shutdownNow();
        timer.shutdownNow();
        cases.close();
    }

    private void sweepQuietly() {
        try {
            int n = cases.sweep(Instant.now());
            if (n > 0) {
                System.err.println("kb serve: removed " + n + " case(s) older than the retention time");
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("kb serve: removing old cases failed: " + e.getMessage());
        }
    }

    static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- requests

    /** What a route gives back: a status, a media type and the bytes, plus headers. */
    record Reply(int status, String type, byte[] body, String location) {
        static Reply json(int status, JsonNode node) {
            try {
                return new Reply(status, "application/json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node), null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Reply text(String type, String text) {
            return new Reply(200, type, text.getBytes(StandardCharsets.UTF_8), null);
        }

        Reply at(String loc) {
            return new Reply(status, type, body, loc);
        }
    }

    /** A request's body as read: JSON bytes, or the parts of a multipart upload written to a folder. */
    record Body(byte[] json, Path folder, List<Path> evidence, List<Path> trust, MultiPartFormData.Parts parts) {
        static final Body EMPTY = new Body(new byte[0], null, List.of(), List.of());

        Body(byte[] json, Path folder, List<Path> evidence, List<Path> trust) {
            this(json, folder, evidence, trust, null);
        }
    }

    private final class Api extends Handler.Abstract {
        @Override
        public boolean handle(Request req, Response resp, Callback cb) {
            long deadline = System.nanoTime() + config.requestTimeout().toNanos();
            String path = Request.getPathInContext(req);
            String method = req.getMethod();
            try {
                Optional<Reply> open = publicRoute(method, path);
                if (open.isPresent()) {
                    send(resp, cb, open.get());
                    return true;
                }
                Role role = authenticate(req);            // before routing: without a token not even which paths exist
                Route route = Route.of(method, path);
                if (!role.allows(route.needs)) {
                    throw new Problem(403, "forbidden", "Not allowed for this token",
                            "this needs a token with the role '" + route.needs.label() + "'; this one has '" + role.label() + "'");
                }
                long length = req.getLength();
                if (length > config.maxUploadBytes()) {
                    throw tooLarge(length);
                }
                CompletableFuture<Body> body = read(req, route);
                CompletableFuture<Reply> reply = body.thenCompose(b -> work(kept -> route.run(KbService.this, role, kept, req), b));
                timeout(reply, deadline);
                reply.whenComplete((r, err) -> {
                    if (err != null) {
                        body.thenAccept(KbService.this::discard);
                        sendProblem(req, resp, cb, unwrap(err));
                    } else {
                        send(resp, cb, r);
                    }
                });
            } catch (Problem p) {
                sendProblem(req, resp, cb, p);
            } catch (IOException | RuntimeException e) {
                sendProblem(req, resp, cb, internal(e));
            }
            return true;
        }
    }

    private Optional<Reply> publicRoute(String method, String path) throws IOException {
        if (!method.equals("GET")) {
            return Optional.empty();
        }
        return switch (path) {
            case "/v1/health" -> Optional.of(Reply.json(200, JSON.createObjectNode().put("status", "up")));
            case "/v1/ready" -> Optional.of(stopping.get()
                    ? Reply.json(503, JSON.createObjectNode().put("status", "stopping"))
                    : Reply.json(200, JSON.createObjectNode().put("status", "ready")
                            .put("root_causes", engine.knowledge().ids().size())
                            .put("rules", engine.rules().ruleNames().size())));
            case "/v1/openapi.yaml" -> Optional.of(Reply.text("application/yaml", resource("openapi.yaml")));
            case "/v1/schemas/diagnosis.schema.json" -> Optional.of(Reply.text("application/schema+json",
                    resourceAt(DiagnosisJson.SCHEMA_RESOURCE)));
            case "/v1/schemas/case.schema.json" -> Optional.of(Reply.text("application/schema+json",
                    resourceAt("/org/exkb/engine/api/case.schema.json")));
            default -> Optional.empty();
        };
    }

    static String resource(String name) throws IOException {
        return resourceAt("/org/exkb/serve/" + name);
    }

    private static String resourceAt(String name) throws IOException {
        try (InputStream in = KbService.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Role authenticate(Request req) {
        if (config.tokens().isEmpty()) {
            return Role.ADMIN;        // only on loopback, see the constructor
        }
        String h = req.getHeaders().get(HttpHeader.AUTHORIZATION);
        String token = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).strip() : null;
        Optional<Role> role = config.tokens().role(token);
        if (role.isEmpty()) {
            throw new Problem(401, "unauthorized", "A valid API token is needed",
                    token == null ? "send 'Authorization: Bearer TOKEN'" : "this token is not known to the service");
        }
        return role.get();
    }

    private Problem tooLarge(long length) {
        return Problem.limit(413, "upload size", "--max-upload-mb", "the request is " + (length >> 20) + " MiB; this service takes "
                + Uploads.mib(config.maxUploadBytes()) + " MiB at most (kb serve --max-upload-mb)");
    }

    private CompletableFuture<Body> read(Request req, Route route) {
        String type = req.getHeaders().get(HttpHeader.CONTENT_TYPE);
        boolean multipart = type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
        if (multipart) {
            if (!route.uploads) {
                throw Problem.invalid("this endpoint takes JSON, not an upload; evidence goes to POST /v1/diagnose or /v1/cases/{id}/evidence");
            }
            return readParts(req, type);
        }
        if (!route.body) {
            return Content.Source.asByteArrayAsync(req, 1).handle((b, e) -> {
                if (e != null || (b != null && b.length > 0)) {
                    throw Problem.invalid("this request takes no body");
                }
                return Body.EMPTY;
            });
        }
        if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new Problem(415, "media-type", "Unsupported media type", "send application/json"
                    + (route.uploads ? " or multipart/form-data (parts: case, evidence, trust)" : "") + ", not " + type);
        }
        int max = (int) Math.min(MAX_JSON_BYTES, config.maxUploadBytes());
        return Content.Source.asByteArrayAsync(req, max + 1).handle((b, e) -> {
            if (e != null) {
                throw readFailure(unwrap(e), Problem.limit(413, "JSON size", "--max-upload-mb", "a JSON body is " + (max >> 20) + " MiB at most"));
            }
            if (b.length > max) {
                throw Problem.limit(413, "JSON size", "--max-upload-mb", "a JSON body is " + (max >> 20) + " MiB at most");
            }
            return new Body(b, null, List.of(), List.of());
        });
    }

    private CompletableFuture<Body> readParts(Request req, String type) {
        String boundary = MultiPart.extractBoundary(type);
        if (boundary == null || boundary.isEmpty()) {
            throw Problem.badRequest("multipart/form-data without a boundary");
        }
        Path folder;
        try {
            folder = Files.createDirectory(uploads.resolve(String.format(Locale.ROOT, "%08d", uploadCount.incrementAndGet())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
        parser.setFilesDirectory(folder);
        parser.setMaxMemoryFileSize(1 << 16);      // larger parts go to files in the request's folder
        parser.setMaxLength(config.maxUploadBytes());
        parser.setMaxFileSize(config.maxUploadBytes());
        parser.setMaxParts(config.maxFiles() + 1L);
        parser.setUseFilesForPartsWithoutFileName(false);
        return parser.parse(req).handle((parts, err) -> {
            if (err != null) {
                discard(new Body(null, folder, List.of(), List.of()));
                Throwable t = unwrap(err);
                String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                if (m.contains("max parts") || m.contains("too many parts")) {
                    throw tooMany();
                }
                throw readFailure(t, tooLarge(config.maxUploadBytes() + 1));
            }
            return new Body(null, folder, List.of(), List.of(), parts);   // kept and checked on a worker (see work)
        });
    }

    /** Why reading a body failed: a limit passed, the client went quiet (idle or too slow), or a malformed body. */
    private Problem readFailure(Throwable t, Problem overLimit) {
        if (t instanceof Problem p) {
            return p;
        }
        String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("max") || m.contains("limit") || m.contains("exceed") || m.contains("too large")) {
            return overLimit;
        }
        if (t instanceof TimeoutException || m.contains("idle") || m.contains("rate")) {
            return Problem.limit(408, "idle time", "--idle-timeout", "the client sent nothing for " + config.idleTimeout().toSeconds()
                    + " s, or sent its body slower than 1 KiB/s (kb serve --idle-timeout)");
        }
        return Problem.badRequest("the body cannot be read: " + t.getMessage());
    }

    private Problem tooMany() {
        return Problem.limit(413, "file count", "--max-files", "a request takes " + config.maxFiles()
                + " files at most (kb serve --max-files)");
    }

    /** Moves each uploaded file to a name of the service's choosing; checks what archives expand to. */
    private Body keep(MultiPartFormData.Parts parts, Path folder) throws IOException {
        byte[] json = new byte[0];
        List<Path> evidence = new ArrayList<>();
        List<Path> trust = new ArrayList<>();
        int files = 0;
        for (MultiPart.Part p : parts) {
            String name = p.getName() == null ? "" : p.getName();
            switch (name) {
                case "case" -> {
                    if (p.getLength() > MAX_JSON_BYTES) {
                        throw Problem.limit(413, "JSON size", "--max-upload-mb", "the case part is " + (MAX_JSON_BYTES >> 20) + " MiB at most");
                    }
                    json = p.getContentAsString(StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
                }
                case "evidence", "trust" -> {
                    if (++files > config.maxFiles()) {
                        throw tooMany();
                    }
                    String safe = Uploads.safeName(files, p.getFileName());
                    Path dest = folder.resolve(name).resolve(safe);
                    Files.createDirectories(dest.getParent());
                    p.writeTo(dest);
                    Uploads.checkExpansion(dest, p.getFileName() == null ? safe : p.getFileName(), config.maxExpandedBytes());
                    (name.equals("evidence") ? evidence : trust).add(dest);
                }
                default -> throw Problem.invalid("unknown part '" + name + "': the parts are case (JSON), evidence and trust (files)");
            }
        }
        return new Body(json, folder, evidence, trust);
    }

    void discard(Body b) {
        if (b != null && b.folder() != null) {
            try {
                CaseStore.removeTree(b.folder());
            } catch (IOException ignored) {
                // the next start clears the upload folder
            }
        }
    }

    interface Work {
        Reply run(Body body) throws Exception;
    }

    /** Runs on a worker; interrupted when the request's deadline passes (evidence reading stops between files). */
    private CompletableFuture<Reply> work(Work w, Body b) {
        CompletableFuture<Reply> out = new CompletableFuture<>();
        Body[] b2 = {b};   // an upload's files are moved to their names and checked on the worker, under the deadline
        Future<?> f;
        try {
            f = workers.submit(() -> {
                Reply r;
                try {
                    if (b.parts() != null) {
                        try (MultiPartFormData.Parts parts = b.parts()) {
                            b2[0] = keep(parts, b.folder());
                        }
                    }
                    r = w.run(b2[0]);
                } catch (Throwable t) {
                    discard(b);
                    out.completeExceptionally(t);
                    return;
                }
                discard(b);           // before answering: a request's files are gone once it is answered
                out.complete(r);
            });
        } catch (RejectedExecutionException busy) {
            discard(b);
            throw new Problem(503, "busy", "The service is busy", "every worker is busy and the queue is full; try again shortly")
                    .with("retry_after_seconds", 5);
        }
        out.whenComplete((r, e) -> {
            if (e != null && unwrap(e) instanceof TimeoutException) {
                f.cancel(true);
            }
        });
        return out;
    }

    private void timeout(CompletableFuture<Reply> reply, long deadline) {
        long left = Math.max(1, deadline - System.nanoTime());
        java.util.concurrent.ScheduledFuture<?> t = timer.schedule(() -> reply.completeExceptionally(new TimeoutException()),
                left, TimeUnit.NANOSECONDS);
        reply.whenComplete((r, e) -> t.cancel(false));
    }

    private Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private Problem asProblem(Throwable t) {
        if (t instanceof Problem p) {
            return p;
        }
        if (t instanceof TimeoutException || t instanceof CancellationException) {
            return Problem.limit(408, "request time", "--request-timeout", "reading and diagnosing this request took longer than "
                    + config.requestTimeout().toSeconds() + " s (kb serve --request-timeout); send less evidence at once, or raise it");
        }
        if (t instanceof org.eclipse.jetty.http.BadMessageException bad) {
            return new Problem(bad.getCode(), "bad-request", "The request cannot be read", String.valueOf(bad.getReason()));
        }
        if (t instanceof IllegalArgumentException e) {
            return Problem.invalid(e.getMessage());
        }
        return internal(t);
    }

    private Problem internal(Throwable t) {
        System.err.println("kb serve: internal error: " + t);
        t.printStackTrace();
        return new Problem(500, "internal", "Internal error", "the service failed on this request; its log says why");
    }

    private void send(Response resp, Callback cb, Reply r) {
        resp.setStatus(r.status());
        resp.getHeaders().put(HttpHeader.CONTENT_TYPE, r.type() + (r.type().startsWith("text/") ? "; charset=utf-8" : ""));
        resp.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (r.location() != null) {
            resp.getHeaders().put(HttpHeader.LOCATION, r.location());
        }
        resp.write(true, ByteBuffer.wrap(r.body()), cb);
    }

    private void sendProblem(Request req, Response resp, Callback cb, Throwable t) {
        Problem p = asProblem(t);
        ObjectNode n = problemJson(p.status, p.type, p.title, p.getMessage(), Request.getPathInContext(req));
        p.extra.forEach((k, v) -> n.set(k, JSON.valueToTree(v)));
        if (p.status == 401) {
            resp.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
        }
        if (p.status == 503) {
            resp.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
        }
        if (p.status == 408 || p.status == 413) {
            resp.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        Reply r = Reply.json(p.status, n);
        send(resp, cb, new Reply(r.status(), PROBLEM_JSON, r.body(), null));
    }

    static ObjectNode problemJson(int status, String type, String title, String detail, String instance) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type).put("title", title).put("status", status).put("detail", detail);
        if (instance != null) {
            n.put("instance", instance);
        }
        return n;
    }

    /** Jetty's own errors (a malformed request line, headers too large) as problem details too. */
    private static final class ProblemErrors extends ErrorHandler {
        ProblemErrors() {
            setShowStacks(false);
            setShowCauses(false);
        }

        @Override
        protected void generateResponse(Request req, Response resp, int code, String message, Throwable cause, Callback cb) {
            ObjectNode n = problemJson(code, "urn:exkb:problem:http", "HTTP error " + code,
                    message == null ? org.eclipse.jetty.http.HttpStatus.getMessage(code) : message, null);
            resp.getHeaders().put(HttpHeader.CONTENT_TYPE, PROBLEM_JSON);
            resp.write(true, ByteBuffer.wrap(n.toString().getBytes(StandardCharsets.UTF_8)), cb);
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, org.eclipse.jetty.http.HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, PROBLEM_JSON);
            return ByteBuffer.wrap(problemJson(status, "urn:exkb:problem:http", "HTTP error " + status,
                    reason == null ? org.eclipse.jetty.http.HttpStatus.getMessage(status) : reason, null).toString()
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    // ---------------------------------------------------------------- what the routes do

    DiagnosisEngine engine() {
        return engine;
    }

    ServeConfig config() {
        return config;
    }

    CaseStore cases() {
        return cases;
    }

    /** A case as a request gives it, with the title and notes a guided case keeps. */
    record Given(Case c, String title, String notes) {
    }

    /** The case a request's JSON gives, refused when it names files on the server. */
    static Given given(byte[] json) {
        if (json.length == 0) {
            return new Given(Case.builder().build(), "", "");
        }
        Case c = caseOf(json);
        CaseCodec.Description d = CaseCodec.json(new String(json, StandardCharsets.UTF_8)).description();
        return new Given(c, d == null ? "" : d.title(), d == null ? "" : d.notes());
    }

    static Case caseOf(byte[] json) {
        if (json.length == 0) {
            return Case.builder().build();
        }
        try {
            JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw Problem.badRequest("the case is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Case c;
        try {
            c = DiagnosisJson.readCase(new String(json, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw Problem.invalid("the case: " + e.getMessage());
        }
        if (!c.evidence().isEmpty() || !c.trust().isEmpty()) {
            throw Problem.invalid("a case sent to the service cannot name files on the server (" + String.join(", ",
                    c.evidence().stream().map(Path::toString).toList()) + (c.trust().isEmpty() ? "" : ", trust: " + c.trust())
                    + "); upload them as multipart parts named evidence (or trust)");
        }
        return c;
    }

    /** Probe targets, each checked against the operator's allow-list (403 for one outside it). */
    List<ProbeTarget> allowed(List<String> targets, Role role) {
        List<ProbeTarget> out = new ArrayList<>();
        for (String s : targets) {
            if (!role.allows(Role.PROBE)) {
                throw new Problem(403, "forbidden", "Not allowed for this token", "probing needs a token with the role 'probe'");
            }
            ProbeTarget t;
            try {
                t = ProbeTarget.parse(s);
            } catch (IllegalArgumentException e) {
                throw Problem.invalid("probe target: " + e.getMessage());
            }
            String why = config.probeAllow().refusal(t);
            if (why != null) {
                throw new Problem(403, "probe-not-allowed", "This server may not be probed from here", why);
            }
            out.add(t);
        }
        return out;
    }

    Reply diagnosis(Diagnosis d, Request req, List<Path> hide) {
        String format = query(req, "format");
        ReportFormat f;
        try {
            f = format == null ? ReportFormat.json : ReportFormat.valueOf(format);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid("format is json, markdown or text, not '" + format + "'");
        }
        String text = hidePaths(f.render(d), hide);
        return switch (f) {
            case json -> new Reply(200, "application/json", text.getBytes(StandardCharsets.UTF_8), null);
            case markdown -> Reply.text("text/markdown", text);
            case text -> Reply.text("text/plain", text);
        };
    }

    /** Evidence names as the client gave them, never the server's folders. */
    static String hidePaths(String text, List<Path> folders) {
        String out = text;
        for (Path f : folders) {
            out = out.replace(f.toAbsolutePath().normalize() + java.io.File.separator, "");
        }
        return out;
    }

    static String query(Request req, String name) {
        org.eclipse.jetty.util.Fields q = Request.extractQueryParameters(req);
        org.eclipse.jetty.util.Fields.Field f = q.get(name);
        return f == null ? null : f.getValue();
    }

    JsonNode parse(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw Problem.badRequest("the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A guided case as the API shows it: the case, the next question, the diagnosis. */
    Reply view(CaseStore.Open o, int status) throws IOException {
        Diagnosis d = o.session.diagnose();
        ObjectNode n = JSON.createObjectNode();
        n.put("id", o.id);
        CaseCodec.Description desc = o.session.describe();
        ObjectNode c = n.putObject("case");
        c.put("title", desc.title());
        ArrayNode s = c.putArray("symptoms");
        desc.symptoms().forEach(s::add);
        if (desc.client() == null) {
            c.putNull("client");
        } else {
            c.put("client", desc.client());
        }
        ObjectNode a = c.putObject("answers");
        desc.answers().forEach(a::put);
        ArrayNode ev = c.putArray("evidence");
        desc.evidence().forEach(e -> ev.add(o.dir.relativize(Path.of(e)).toString()));
        ArrayNode tr = c.putArray("trust");
        desc.trust().forEach(e -> tr.add(o.dir.relativize(Path.of(e)).toString()));
        ArrayNode pr = c.putArray("probe");
        desc.probe().forEach(pr::add);
        ArrayNode notes = n.putArray("notes");
        o.problems.forEach(notes::add);
        JsonNode tree = JSON.readTree(hidePaths(DiagnosisJson.write(d), List.of(o.dir)));
        JsonNode qs = tree.path("questions");
        n.set("next_question", qs.isArray() && qs.size() > 0 ? qs.get(0) : JSON.nullNode());
        n.set("diagnosis", tree);
        return Reply.json(status, n);
    }

    DiagnosisEngine reload() {
        DiagnosisEngine fresh;
        try {
            fresh = config.engines().get().warmUp();
        } catch (RuntimeException e) {
            throw Problem.invalid("reload refused; the rules in use are unchanged: " + e.getMessage());
        }
        engine = fresh;
        cases.reset(() -> engine);
        return fresh;
    }

    ObjectMapper json() {
        return JSON;
    }
}
