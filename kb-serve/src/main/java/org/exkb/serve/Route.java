package org.exkb.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;
import org.exkb.engine.api.Case;
import org.exkb.engine.api.Diagnosis;
import org.exkb.engine.api.DiagnosisEngine;
import org.exkb.engine.probe.ProbeTarget;
import org.exkb.serve.KbService.Body;
import org.exkb.serve.KbService.Reply;

/** The API's endpoints (openapi.yaml describes each): method, path, role, what body it takes, what it does. */
final class Route {
    interface Action {
        Reply run(KbService s, Role role, Body body, Request req, Matcher m) throws Exception;
    }

    final String method;
    final Pattern path;
    final Role needs;
    final boolean body;
    final boolean uploads;
    private final Action action;
    private Matcher matched;

    private Route(String method, String path, Role needs, boolean body, boolean uploads, Action action) {
        this.method = method;
        this.path = Pattern.compile(path.replace("{id}", "([0-9a-f]{32})").replace("{n}", "([0-9]{1,6})")
                .replace("{q}", "([a-z0-9_]{1,64})"));
        this.needs = needs;
        this.body = body;
        this.uploads = uploads;
        this.action = action;
    }

    private Route matched(Matcher m) {
        Route r = new Route(method, "", needs, body, uploads, action);
        r.matched = m;
        return r;
    }

    Reply run(KbService s, Role role, Body b, Request req) throws Exception {
        return action.run(s, role, b, req, matched);
    }

    private static final List<Route> ALL = List.of(
            new Route("POST", "/v1/diagnose", Role.DIAGNOSE, true, true, Route::diagnose),
            new Route("POST", "/v1/cases", Role.DIAGNOSE, true, true, Route::create),
            new Route("GET", "/v1/cases/{id}", Role.DIAGNOSE, false, false, (s, r, b, q, m) -> locked(s, m, o -> s.view(o, 200))),
            new Route("DELETE", "/v1/cases/{id}", Role.DIAGNOSE, false, false, Route::delete),
            new Route("POST", "/v1/cases/{id}/symptoms", Role.DIAGNOSE, true, false, Route::addSymptom),
            new Route("DELETE", "/v1/cases/{id}/symptoms/{n}", Role.DIAGNOSE, false, false, Route::removeSymptom),
            new Route("PUT", "/v1/cases/{id}/client", Role.DIAGNOSE, true, false, Route::client),
            new Route("PUT", "/v1/cases/{id}/answers/{q}", Role.DIAGNOSE, true, false, Route::answer),
            new Route("DELETE", "/v1/cases/{id}/answers/{q}", Role.DIAGNOSE, false, false, Route::unanswer),
            new Route("POST", "/v1/cases/{id}/evidence", Role.DIAGNOSE, true, true, Route::evidence),
            new Route("POST", "/v1/cases/{id}/probe", Role.PROBE, true, false, Route::probe),
            new Route("GET", "/v1/cases/{id}/report", Role.DIAGNOSE, false, false, Route::report),
            new Route("POST", "/v1/admin/reload", Role.ADMIN, false, false, Route::reload));

    static Route of(String method, String path) {
        boolean pathKnown = false;
        for (Route r : ALL) {
            Matcher m = r.path.matcher(path);
            if (m.matches()) {
                pathKnown = true;
                if (r.method.equals(method)) {
                    return r.matched(m);
                }
            }
        }
        if (pathKnown) {
            throw new Problem(405, "method", "Method not allowed", method + " is not an operation on " + path);
        }
        throw Problem.notFound("no endpoint " + path + " (the API is described at /v1/openapi.yaml)");
    }

    // ---------------------------------------------------------------- one-shot

    private static Reply diagnose(KbService s, Role role, Body b, Request req, Matcher m) {
        Case given = KbService.caseOf(b.json());
        List<ProbeTarget> probes = s.allowed(given.probe(), role);
        Case.Builder c = Case.builder();
        given.symptoms().forEach(c::symptom);
        c.client(given.client());
        given.answers().forEach(c::answer);
        b.evidence().forEach(c::evidence);
        b.trust().forEach(c::trust);
        probes.forEach(t -> c.probe(t.toString()));
        Diagnosis d = s.engine().diagnose(c.build());
        List<Path> hide = new ArrayList<>();
        if (b.folder() != null) {
            hide.add(b.folder().resolve("evidence"));
            hide.add(b.folder().resolve("trust"));
        }
        return s.diagnosis(d, req, hide);
    }

    // ---------------------------------------------------------------- guided cases

    interface CaseWork {
        Reply run(CaseStore.Open o) throws Exception;
    }

    private static Reply locked(KbService s, Matcher m, CaseWork w) throws Exception {
        CaseStore.Open o = s.cases().get(m.group(1));
        synchronized (o) {
            return w.run(o);
        }
    }

    private static Reply changed(KbService s, CaseStore.Open o) throws Exception {
        s.cases().save(o);
        return s.view(o, 200);
    }

    private static Reply create(KbService s, Role role, Body b, Request req, Matcher m) throws Exception {
        KbService.Given g = KbService.given(b.json());
        Case given = g.c();
        List<ProbeTarget> probes = s.allowed(given.probe(), role);
        CaseStore.Open o = s.cases().create();
        synchronized (o) {
            try {
                o.session.label(g.title(), g.notes());
                given.symptoms().forEach(o.session::addSymptom);
                if (given.client() != null) {
                    o.session.setClient(given.client());
                }
                for (var a : given.answers().entrySet()) {
                    Optional<String> error = o.session.answer(a.getKey(), a.getValue());
                    if (error.isPresent()) {
                        throw Problem.invalid("answers." + a.getKey() + ": " + error.get());
                    }
                }
                addFiles(s, o, b);
                if (!probes.isEmpty()) {
                    o.session.probe(probes, o.session.probeOptions(null, false, 5000));
                }
                s.cases().save(o);
            } catch (RuntimeException e) {
                s.cases().delete(o.id);
                throw e;
            }
            return s.view(o, 201).at("/v1/cases/" + o.id);
        }
    }

    private static void addFiles(KbService s, CaseStore.Open o, Body b) throws IOException {
        for (Path t : b.trust()) {
            Path kept = move(t, o.trustDir());
            Optional<String> error = o.session.trust(kept);
            if (error.isPresent()) {
                Files.deleteIfExists(kept);
                throw Problem.invalid(KbService.hidePaths(error.get(), List.of(o.trustDir())));
            }
        }
        List<Path> kept = new ArrayList<>();
        for (Path e : b.evidence()) {
            kept.add(move(e, o.evidenceDir()));
        }
        if (!kept.isEmpty()) {
            o.session.addEvidence(kept);
        }
    }

    /** Keeps an upload in the case's folder under a name no other upload of the case has. */
    private static Path move(Path upload, Path dir) throws IOException {
        Files.createDirectories(dir);
        String name = upload.getFileName().toString().replaceFirst("^\\d{3}-", "");
        long n;
        try (var files = Files.list(dir)) {
            n = files.count();
        }
        Path dest;
        do {
            dest = dir.resolve(Uploads.safeName((int) ++n, name));
        } while (Files.exists(dest));
        return Files.move(upload, dest);
    }

    private static Reply delete(KbService s, Role role, Body b, Request req, Matcher m) throws Exception {
        s.cases().delete(m.group(1));
        return new Reply(204, "application/json", new byte[0], null);
    }

    private static String field(KbService s, Body b, String name) {
        JsonNode n = s.parse(b.json());
        if (!n.isObject()) {
            throw Problem.invalid("expected a JSON object with \"" + name + "\"");
        }
        n.fieldNames().forEachRemaining(f -> {
            if (!f.equals(name)) {
                throw Problem.invalid("unknown field '" + f + "' (this takes only \"" + name + "\")");
            }
        });
        JsonNode v = n.get(name);
        if (v == null || !v.isTextual()) {
            throw Problem.invalid("\"" + name + "\" must be a string");
        }
        return v.asText();
    }

    private static Reply addSymptom(KbService s, Role role, Body b, Request req, Matcher m) throws Exception {
        String text = field(s, b, "text");
        if (text.length() > org.exkb.engine.collect.casefile.CaseCodec.MAX_SYMPTOM_CHARS) {
            throw Problem.invalid("a symptom is " + org.exkb.engine.collect.casefile.CaseCodec.MAX_SYMPTOM_CHARS
                    + " characters at most (this one has " + text.length() + "); give the error line that matters");
        }
        return locked(s, m, o -> {
            o.session.addSymptom(text);
            return changed(s, o);
        });
    }

    private static Reply removeSymptom(KbService s, Role role, Body b, Request req, Matcher m) throws Exception {
        int n = Integer.parseInt(m.group(2));
        return locked(s, m, o -> {
            if (o.session.removeSymptom(n - 1).isEmpty()) {
                throw Problem.notFound("the case has no symptom " + n + " (they are numbered from 1 in the order given)");
            }
            return changed(s, o);
        });
    }

    private static Reply client(KbService s, Role role, Body b, Request req, Matcher m) throws Exception {
        String name = field(s, b, "client");
        return locked(s, m, o -> {
            o.session.setClient(name);
            return changed(s, o);
        });
    }

    private static Reply answer(KbService s, Role role, Body b, Request req, Matcher m) throws Exception {
        String value = field(s, b, "value");
        return locked(s, m, o -> {
            Optional<String> error = o.session.answer(m.group(2), value);
            if (error.isPresent()) {
                throw Problem.invalid(error.get());
            }
            return changed(s, o);
        });
    }

    private static Reply unanswer(KbService s, Role role, Body b, Request req, Matcher m) throws Exception {
        return locked(s, m, o -> {
            if (!o.session.unanswer(m.group(2))) {
                throw Problem.notFound("question " + m.group(2) + " is not answered in this case");
            }
            return changed(s, o);
        });
    }

    private static Reply evidence(KbService s, Role role, Body b, Request req, Matcher m) throws Exception {
        if (b.folder() == null) {
            throw Problem.invalid("upload the files as multipart/form-data parts named evidence (or trust)");
        }
        if (b.json().length > 0) {
            throw Problem.invalid("a 'case' part belongs to POST /v1/cases; here only evidence and trust files");
        }
        return locked(s, m, o -> {
            addFiles(s, o, b);
            return changed(s, o);
        });
    }

    private static Reply probe(KbService s, Role role, Body b, Request req, Matcher m) throws Exception {
        List<ProbeTarget> targets = s.allowed(List.of(field(s, b, "target")), role);
        return locked(s, m, o -> {
            o.session.probe(targets, o.session.probeOptions(null, false, 5000));
            return changed(s, o);
        });
    }

    private static Reply report(KbService s, Role role, Body b, Request req, Matcher m) throws Exception {
        return locked(s, m, o -> {
            Diagnosis d = o.session.diagnose();
            String f = KbService.query(req, "format");
            if (f == null) {
                return Reply.text("text/markdown", KbService.hidePaths(org.exkb.engine.report.ReportFormat.markdown.render(d), List.of(o.dir)));
            }
            return s.diagnosis(d, req, List.of(o.dir));
        });
    }

    private static Reply reload(KbService s, Role role, Body b, Request req, Matcher m) {
        DiagnosisEngine e = s.reload();
        return Reply.json(200, s.json().createObjectNode().put("status", "reloaded")
                .put("root_causes", e.knowledge().ids().size()).put("rules", e.rules().ruleNames().size()));
    }
}
