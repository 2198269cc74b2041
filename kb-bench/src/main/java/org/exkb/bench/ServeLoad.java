package org.exkb.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.exkb.engine.api.Case;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.api.DiagnosisJson;
import org.exkb.serve.KbService;
import org.exkb.serve.ServeConfig;

/**
 * The load benchmark of {@code kb serve} (bench/serve), loopback only, bounded in time. Each server
 * runs in a JVM of its own (so that its memory is its own): the service itself, and the two HTTP
 * library candidates it was chosen between, each a minimal server doing the same work per request
 * (read the case JSON, diagnose it on a worker pool of the same size, write the diagnosis JSON):
 * Jetty 12 core and Undertow 2.3. Clients: the JDK's HttpClient, 1, 8 and 64 at once, each sending
 * its next request when the last is answered. Reported per server and level: diagnoses per second,
 * p50 and p99 latency, peak RSS of the server; and, in the same run, the embedded engine's warm rate
 * on one thread, the reference every rate is divided by. Then 10 MB capture uploads to the service.
 *
 * <p>Usage: {@code ServeLoad run SECONDS_PER_LEVEL CAPTURE_10MB} (parent) and
 * {@code ServeLoad server KIND PORT_FILE} (a child: kb, jetty or undertow; ends when its stdin closes).
 */
public final class ServeLoad {
    private static final String CASE = "{\"symptoms\":[\"bad username or password\"],\"client\":\"Outlook for Mac 2011\"}";
    private static final int WORKERS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private ServeLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("server")) {
            server(args[1], Path.of(args[2]));
        } else if (args.length >= 3 && args[0].equals("run")) {
            run(Integer.parseInt(args[1]), Path.of(args[2]), args.length > 3 ? args[3] : "");
            System.exit(0);   // the clients' thread pools end with the process
        } else {
            System.err.println("usage: ServeLoad run SECONDS CAPTURE [JVM_OPTS] | server kb|jetty|undertow PORT_FILE");
            System.exit(2);
        }
    }

    // ---------------------------------------------------------------- the servers

    static String diagnose(DiagnosisEngine engine, byte[] body) {
        Case c = DiagnosisJson.readCase(new String(body, StandardCharsets.UTF_8));
        return DiagnosisJson.write(engine.diagnose(c));
    }

    private static void server(String kind, Path portFile) throws Exception {
        DiagnosisEngine engine = DiagnosisEngine.fromClasspath().warmUp();
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        AutoCloseable stop;
        int port;
        switch (kind) {
            case "kb" -> {
                Path cases = Files.createTempDirectory("kb-serve-bench");
                KbService s = KbService.start(ServeConfig.builder(cases).port(0).workers(WORKERS).engines(() -> engine)
                        .accessLog(cases.resolve("access.log")).maxUploadBytes(64L << 20).build());
                port = s.port();
                stop = s;
            }
            case "jetty" -> {
                Server server = new Server(new org.eclipse.jetty.util.thread.QueuedThreadPool(64, 4));
                ServerConnector c = new ServerConnector(server);
                c.setHost("127.0.0.1");
                server.addConnector(c);
                server.setHandler(new Handler.Abstract() {
                    @Override
                    public boolean handle(Request req, Response resp, Callback cb) {
                        Content.Source.asByteArrayAsync(req, 4 << 20)
                                .thenApplyAsync(b -> diagnose(engine, b).getBytes(StandardCharsets.UTF_8), pool)
                                .whenComplete((out, err) -> {
                                    if (err != null) {
                                        Response.writeError(req, resp, cb, 500);
                                    } else {
                                        resp.getHeaders().put("Content-Type", "application/json");
                                        resp.write(true, ByteBuffer.wrap(out), cb);
                                    }
                                });
                        return true;
                    }
                });
                server.start();
                port = c.getLocalPort();
                stop = server::stop;
            }
            case "undertow" -> {
                io.undertow.Undertow u = io.undertow.Undertow.builder().addHttpListener(0, "127.0.0.1")
                        .setHandler(exchange -> exchange.getRequestReceiver().receiveFullBytes((ex, bytes) ->
                                ex.dispatch(pool, () -> {
                                    byte[] out = diagnose(engine, bytes).getBytes(StandardCharsets.UTF_8);
                                    ex.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_TYPE, "application/json");
                                    ex.getResponseSender().send(ByteBuffer.wrap(out));
                                }))).build();
                u.start();
                port = ((java.net.InetSocketAddress) u.getListenerInfo().get(0).getAddress()).getPort();
                stop = u::stop;
            }
            default -> throw new IllegalArgumentException("server kind " + kind);
        }
        Files.writeString(portFile, String.valueOf(port));
        while (System.in.read() >= 0) {
            // runs until the parent closes our stdin
        }
        stop.close();
        pool.shutdownNow();
        System.exit(0);
    }

    // ---------------------------------------------------------------- the load

    record Result(double perSecond, double p50ms, double p99ms, long errors) {
    }

    interface Call {
        int send(HttpClient http) throws Exception;
    }

    static Result load(int clients, int seconds, Call call) throws Exception {
        ExecutorService io = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(io).build();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> lat = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        List<CompletableFuture<long[]>> all = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        for (int i = 0; i < clients; i++) {
            all.add(CompletableFuture.supplyAsync(() -> {
                long[] mine = new long[1 << 16];
                int n = 0;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        if (call.send(http) != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    if (n == mine.length) {
                        mine = Arrays.copyOf(mine, n * 2);
                    }
                    mine[n++] = System.nanoTime() - t0;
                }
                return Arrays.copyOf(mine, n);
            }, threads));
        }
        long started = System.nanoTime();
        for (CompletableFuture<long[]> f : all) {
            lat.add(f.get());
        }
        double took = (System.nanoTime() - started) / 1e9;
        threads.shutdownNow();
        io.shutdownNow();
        long[] every = lat.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        if (every.length == 0) {
            return new Result(0, 0, 0, errors.get());
        }
        return new Result(every.length / took, every[every.length / 2] / 1e6, every[(int) (every.length * 0.99)] / 1e6, errors.get());
    }

    static long rssKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // gone
        }
        return -1;
    }

    private static void run(int seconds, Path capture, String jvmOpts) throws Exception {
        System.out.printf(Locale.ROOT, "kb serve load, loopback, %d cores, %d s per level, %d workers per server%n",
                Runtime.getRuntime().availableProcessors(), seconds, WORKERS);
        // the reference: the embedded engine, warm, one thread, the same case
        DiagnosisEngine engine = DiagnosisEngine.fromClasspath().warmUp();
        byte[] body = CASE.getBytes(StandardCharsets.UTF_8);
        long until = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < until) {
            diagnose(engine, body);
        }
        long n = 0;
        long t0 = System.nanoTime();
        until = t0 + seconds * 1_000_000_000L;
        while (System.nanoTime() < until) {
            diagnose(engine, body);
            n++;
        }
        double embedded = n / ((System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "embedded engine, warm, one thread (JSON in, JSON out): %.0f diagnoses/s%n", embedded);
        System.out.println("server     clients  diagnoses/s  x embedded  p50 ms  p99 ms  errors  peak RSS MB");

        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        String kinds = System.getenv().getOrDefault("SERVE_KINDS", "undertow jetty kb");
        for (String kind : kinds.trim().split("\\s+")) {
            Path portFile = Files.createTempFile("serve-port", ".txt");
            Files.delete(portFile);
            List<String> cmd = new ArrayList<>(List.of(javaBin));
            if (!jvmOpts.isBlank()) {
                cmd.addAll(Arrays.asList(jvmOpts.trim().split("\\s+")));
            }
            cmd.addAll(List.of("-cp", cp, ServeLoad.class.getName(), "server", kind, portFile.toString()));
            Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                long wait = System.nanoTime() + 60_000_000_000L;
                while (!Files.exists(portFile) || Files.readString(portFile).isBlank()) {
                    if (System.nanoTime() > wait || !child.isAlive()) {
                        throw new IllegalStateException(kind + " server did not start");
                    }
                    Thread.sleep(50);
                }
                Thread.sleep(100);
                int port = Integer.parseInt(Files.readString(portFile).trim());
                URI uri = URI.create("http://127.0.0.1:" + port + "/v1/diagnose");
                HttpRequest req = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                Call call = http -> http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                load(8, 3, call);    // warm-up
                for (int clients : List.of(1, 8, 64)) {
                    Result r = load(clients, seconds, call);
                    System.out.printf(Locale.ROOT, "%-9s  %7d  %11.0f  %10.2f  %6.2f  %6.2f  %6d  %11d%n", kind, clients, r.perSecond(),
                            r.perSecond() / embedded, r.p50ms(), r.p99ms(), r.errors(), rssKb(child.pid(), "VmHWM") / 1024);
                }
                if (kind.equals("kb") && Files.isRegularFile(capture)) {
                    uploads(port, capture, seconds, child.pid());
                }
            } finally {
                child.getOutputStream().close();
                if (!child.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
                Files.deleteIfExists(portFile);
            }
        }
    }

    private static void uploads(int port, Path capture, int seconds, long pid) throws Exception {
        String boundary = "benchboundary";
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"case\"\r\nContent-Type: application/json\r\n\r\n"
                + CASE + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"trace.pcap\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        o.writeBytes(Files.readAllBytes(capture));
        o.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        byte[] multipart = o.toByteArray();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/diagnose"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofByteArray(multipart)).build();
        Call call = http -> http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        double mb = multipart.length / 1e6;
        for (int clients : List.of(1, 8)) {
            Result r = load(clients, Math.max(seconds, 10), call);
            System.out.printf(Locale.ROOT, "kb upload  %7d  %11.1f  %7.0f MB/s  p50 %.0f ms  p99 %.0f ms  errors %d  peak RSS %d MB (%.1f MB capture each)%n",
                    clients, r.perSecond(), r.perSecond() * mb, r.p50ms(), r.p99ms(), r.errors(), rssKb(pid, "VmHWM") / 1024, mb);
        }
    }
}
