package org.exkb.engine.probe;

/**
 * A server to probe: {@code host}, {@code host:port}, {@code [v6]:port} or a bare IPv6 address.
 * The port defaults to 443.
 */
public record ProbeTarget(String host, int port) {
    public ProbeTarget {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("no host given");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
        }
    }

    /** Parses a target as typed; throws IllegalArgumentException with the reason. */
    public static ProbeTarget parse(String text) {
        String s = text == null ? "" : text.strip();
        if (s.startsWith("https://")) {
            s = s.substring(8);
            int slash = s.indexOf('/');
            s = slash < 0 ? s : s.substring(0, slash);
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty target");
        }
        String host = s;
        int port = 443;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "': IPv6 address without the closing ]");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("'" + text + "': expected :PORT after ]");
                }
                port = port(text, rest.substring(1));
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = port(text, s.substring(s.indexOf(':') + 1));
        }
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@')) {
            throw new IllegalArgumentException("'" + text + "': not a host name or address");
        }
        return new ProbeTarget(host, port);
    }

    private static int port(String text, String p) {
        try {
            int n = Integer.parseInt(p);
            if (n < 1 || n > 65535) {
                throw new IllegalArgumentException("'" + text + "': port " + p + " is not between 1 and 65535");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': port '" + p + "' is not a number");
        }
    }

    /** An IP literal rather than a name (SNI never carries an address: RFC 6066 section 3). */
    public boolean literal() {
        return host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    @Override
    public String toString() {
        return org.exkb.engine.model.HostPort.of(host, port);
    }
}
