package org.exkb.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * Raw fact: HTTP.sys error-log entries (httperr) with one server, reason, application pool queue and
 * ActiveSync command, counted.
 *
 * @param reason  the s-reason phrase, e.g. {@code Connection_Abandoned_By_AppPool}, {@code Timer_ConnectionIdle}
 * @param queue   the s-queuename (application pool), e.g. {@code MSExchangeSyncAppPool}, or empty
 * @param method  the request method, or empty
 * @param command the ActiveSync Cmd from the URL, or empty
 */
public record HttpErrors(String server, String reason, String queue, String method, String command, long count,
                         List<EvidenceRef> evidence) implements HasEvidence {
    public HttpErrors {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(reason, "reason");
        queue = queue == null ? "" : queue;
        method = method == null ? "" : method;
        command = command == null ? "" : command;
        evidence = Evidence.copy(evidence);
    }

    /** The ActiveSync application pool (Exchange 2007-2013 name it MSExchangeSyncAppPool). */
    public boolean syncPool() {
        return queue.toLowerCase(java.util.Locale.ROOT).contains("syncapppool");
    }

    @Override
    public String describe() {
        return count + " " + reason + " on " + server + (queue.isEmpty() ? "" : " in " + queue)
                + (method.isEmpty() ? "" : " for " + method + (command.isEmpty() ? "" : " " + command));
    }
}
