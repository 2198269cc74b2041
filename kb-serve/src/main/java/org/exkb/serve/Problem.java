package org.exkb.serve;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer that is not a success, as RFC 9457 problem details: a status, a stable type (a URI under
 * {@code urn:exkb:problem:}), a title, a detail naming what was wrong and, for a limit, which limit
 * and the setting that changes it. Never carries a stack trace to the client.
 */
final class Problem extends RuntimeException {
    final int status;
    final String type;
    final String title;
    final Map<String, Object> extra = new LinkedHashMap<>();

    Problem(int status, String type, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.type = "urn:exkb:problem:" + type;
        this.title = title;
    }

    Problem with(String key, Object value) {
        extra.put(key, value);
        return this;
    }

    static Problem badRequest(String detail) {
        return new Problem(400, "bad-request", "The request cannot be read", detail);
    }

    static Problem invalid(String detail) {
        return new Problem(422, "invalid", "The request is well-formed but not acceptable", detail);
    }

    static Problem notFound(String detail) {
        return new Problem(404, "not-found", "Not found", detail);
    }

    /** A configured limit was passed: 413 for sizes and counts, 408 for time. */
    static Problem limit(int status, String limit, String setting, String detail) {
        return new Problem(status, "limit", status == 408 ? "A time limit was reached" : "A size limit was passed", detail)
                .with("limit", limit).with("setting", setting);
    }
}
