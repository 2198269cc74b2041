package org.exkb.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * Raw fact: ActiveSync requests in a web server log with one server, command and status, counted
 * while streaming (a log of millions of lines becomes a few of these).
 *
 * @param server   the server that logged them (s-computername, else the folder name, else s-ip)
 * @param command  the ActiveSync Cmd (Sync, Ping, SendMail, ...), or empty
 * @param status   the HTTP status
 * @param users    up to {@link #MAX_USERS} distinct users (User parameter or cs-username)
 * @param devices  distinct DeviceId values seen (counted up to a cap)
 * @param diagnostic the most frequent Exchange diagnostic for these requests (from Log=), or empty
 */
public record EasRequests(String server, String command, int status, long count, List<String> users, long devices,
                          String diagnostic, List<EvidenceRef> evidence) implements HasEvidence {
    public static final int MAX_USERS = 20;

    public EasRequests {
        Objects.requireNonNull(server, "server");
        command = command == null ? "" : command;
        users = users == null ? List.of() : List.copyOf(users);
        diagnostic = diagnostic == null ? "" : diagnostic;
        evidence = Evidence.copy(evidence);
    }

    /** Commands that carry a message body or attachment from the device (the uploads that renegotiation blocks). */
    public boolean largeCommand() {
        return command.equalsIgnoreCase("SendMail") || command.equalsIgnoreCase("SmartReply")
                || command.equalsIgnoreCase("SmartForward");
    }

    @Override
    public String describe() {
        return count + " ActiveSync " + (command.isEmpty() ? "request" : command) + (count == 1 ? "" : "s") + " on " + server
                + " answered " + status + (users.isEmpty() ? "" : " for " + String.join(", ", users))
                + (diagnostic.isEmpty() ? "" : " (" + diagnostic + ")");
    }
}
