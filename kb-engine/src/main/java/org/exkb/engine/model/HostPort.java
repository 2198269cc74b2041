package org.exkb.engine.model;

/** {@code host:port} as people and URLs write it: an IPv6 address in brackets ({@code [2001:db8::1]:443}). */
public final class HostPort {
    private HostPort() {
    }

    public static String of(String host, int port) {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
