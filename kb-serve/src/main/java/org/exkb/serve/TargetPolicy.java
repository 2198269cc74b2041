package org.exkb.serve;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.exkb.engine.probe.ProbeTarget;

/**
 * Which servers the service may probe: host names ({@code mail.contoso.com}), name suffixes
 * ({@code *.contoso.com}), addresses and networks ({@code 10.1.2.3}, {@code 192.0.2.0/24},
 * {@code 2001:db8::/32}), each optionally with {@code :PORT} (or {@code [v6/len]:PORT}) to allow one port
 * only. A target named by a listed name is allowed; any other target must resolve only to
 * addresses inside listed networks. Empty: nothing may be probed.
 */
public final class TargetPolicy {
    private record Name(String name, boolean suffix, int port) {
    }

    private record Network(byte[] address, int bits, int port) {
        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != address.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((b[i / 8] & mask) != (address[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Name> names = new ArrayList<>();
    private final List<Network> networks = new ArrayList<>();
    private final List<String> given;

    TargetPolicy(List<String> entries) {
        this.given = List.copyOf(entries);
        for (String raw : entries) {
            String e = raw.strip();
            if (e.isEmpty()) {
                continue;
            }
            int port = 0;
            String body = e;
            if (e.startsWith("[")) {
                int close = e.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("probe allow-list entry '" + raw + "': [ without ]");
                }
                body = e.substring(1, close);
                port = e.length() > close + 1 ? port(raw, e.substring(close + 1).replaceFirst("^:", "")) : 0;
            } else if (e.indexOf(':') > 0 && e.indexOf(':') == e.lastIndexOf(':')) {
                body = e.substring(0, e.indexOf(':'));
                port = port(raw, e.substring(e.indexOf(':') + 1));
            }
            String addr = body.contains("/") ? body.substring(0, body.indexOf('/')) : body;
            if (isAddressLiteral(addr)) {
                byte[] a;
                try {
                    a = InetAddress.getByName(addr).getAddress();
                } catch (UnknownHostException x) {
                    throw new IllegalArgumentException("probe allow-list entry '" + raw + "': not an address");
                }
                int bits = a.length * 8;
                if (body.contains("/")) {
                    try {
                        bits = Integer.parseInt(body.substring(body.indexOf('/') + 1));
                    } catch (NumberFormatException x) {
                        bits = -1;
                    }
                    if (bits < 0 || bits > a.length * 8) {
                        throw new IllegalArgumentException("probe allow-list entry '" + raw + "': prefix length must be 0.." + a.length * 8);
                    }
                }
                networks.add(new Network(a, bits, port));
            } else {
                String n = body.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
                boolean suffix = n.startsWith("*.");
                n = suffix ? n.substring(1) : n;
                if (!n.matches("\\.?[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?")) {
                    throw new IllegalArgumentException("probe allow-list entry '" + raw + "': not a host name, *.suffix, address or network");
                }
                names.add(new Name(n, suffix, port));
            }
        }
    }

    public boolean isEmpty() {
        return names.isEmpty() && networks.isEmpty();
    }

    public List<String> entries() {
        return given;
    }

    /** Null when the target may be probed, otherwise why not. */
    String refusal(ProbeTarget t) {
        if (isEmpty()) {
            return "this service probes no servers (the operator allows none: kb serve --allow-probe HOST|*.DOMAIN|NETWORK)";
        }
        String host = t.host().toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        for (Name n : names) {
            boolean match = n.suffix ? host.endsWith(n.name) && host.length() > n.name.length() : host.equals(n.name);
            if (match && (n.port == 0 || n.port == t.port())) {
                return null;
            }
        }
        if (networks.isEmpty()) {
            return t + " is not among the servers this service may probe";
        }
        InetAddress[] all;
        try {
            all = isAddressLiteral(host) ? new InetAddress[] {InetAddress.getByName(host)} : InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return t.host() + " does not resolve here, and it is not among the names this service may probe";
        }
        for (InetAddress a : all) {
            boolean inside = networks.stream().anyMatch(n -> n.contains(a) && (n.port == 0 || n.port == t.port()));
            if (!inside) {
                return t + " (" + a.getHostAddress() + ") is outside the networks this service may probe";
            }
        }
        return null;
    }

    private static boolean isAddressLiteral(String s) {
        return s.contains(":") || s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static int port(String raw, String p) {
        try {
            int n = Integer.parseInt(p);
            if (n >= 1 && n <= 65535) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // said below
        }
        throw new IllegalArgumentException("probe allow-list entry '" + raw + "': port must be 1..65535");
    }
}
